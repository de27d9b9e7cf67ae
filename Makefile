# The README's two commands are `make demo` and `make test`; .ci/run runs `make test`.
# Every target that needs a system package depends on `deps`, which installs what is missing, so a fresh
# Debian machine needs nothing by hand.

SWIFT ?= swift
PREFIX ?= /usr/local
ROOTFS := $(CURDIR)/.rootfs/busybox
SANDBOX := $(CURDIR)/.build/release/sandbox
APT_PACKAGES := libcap-dev libseccomp-dev pkg-config busybox-static uidmap
# The engines the tests drive sandbox from, as their OCI runtime.
ENGINE_PACKAGES := podman conmon containerd
BENCH_PACKAGES := hyperfine crun runc bubblewrap

.PHONY: deps build rootfs demo test bench install

deps:
	@$(call apt_install,$(APT_PACKAGES))

build: deps
	$(SWIFT) build -c release --static-swift-stdlib

rootfs: deps $(ROOTFS)/bin/busybox

$(ROOTFS)/bin/busybox: rootfs-scripts/busybox.sh
	rootfs-scripts/busybox.sh $(ROOTFS)

demo: build rootfs
	Tests/Demo/demo.sh $(SANDBOX) $(ROOTFS)

test: deps rootfs
	@$(call apt_install,$(ENGINE_PACKAGES))
	$(SWIFT) test

bench: build rootfs
	@$(call apt_install,$(BENCH_PACKAGES))
	Tests/Benchmarks/bench.sh $(SANDBOX) $(ROOTFS)

install: build
	install -D -m 755 $(SANDBOX) $(DESTDIR)$(PREFIX)/bin/sandbox

# apt-get only for the packages not installed yet: the target is idempotent and quick when all are there.
define apt_install
missing=$$(for package in $(1); do \
	dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'ok installed' || echo $$package; done); \
if [ -n "$$missing" ]; then \
	echo "installing:" $$missing; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
fi
endef
