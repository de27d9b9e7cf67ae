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
BENCH_PACKAGES := crun runc bubblewrap time hyperfine
# `make fuzz FUZZ_SECONDS=300 FUZZ_TARGETS=cpu-list`: every target has its seeds in Tests/Fuzz/Corpus/TARGET.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?= $(notdir $(wildcard Tests/Fuzz/Corpus/*))
FUZZ_BUILD := $(CURDIR)/.build-fuzz
# A crash's stack frames worth showing: ours, as the sanitizer prints them (Swift-mangled, $$s + length + module;
# NEW_FUNC lines name the same symbols, hence the frame number the pattern starts with).
FUZZ_MODULES := 13SandboxPolicy|10SandboxOCI|11SandboxJSON|12SandboxLinux|12sandbox_fuzz
# The manual page, made (or checked) from the release binary's help by the tool of swift-argument-parser's plugin.
MANUAL = $(SWIFT) build -q --product generate-manual && \
	Tests/Docs/manual.sh "$$($(SWIFT) build --show-bin-path)/generate-manual" $(SANDBOX) docs/sandbox.1

.PHONY: deps build rootfs demo test bench install fuzz man

deps:
	@$(call apt_install,$(APT_PACKAGES))

# A static executable: no loader, no relocations, no library search; it starts in 1.4 ms instead of 3.9.
build: deps
	$(SWIFT) build -c release --static-swift-stdlib -Xswiftc -static-executable --product sandbox

rootfs: deps $(ROOTFS)/bin/busybox

$(ROOTFS)/bin/busybox: rootfs-scripts/busybox.sh
	rootfs-scripts/busybox.sh $(ROOTFS)

demo: build rootfs
	Tests/Demo/demo.sh $(SANDBOX) $(ROOTFS)

# The container tests run the binary users run, the static release build; `swift test` alone runs the debug one.
# The manual page is checked first: it must be what the binary's help makes.
test: build rootfs
	@$(call apt_install,$(ENGINE_PACKAGES))
	$(MANUAL) --check
	SANDBOX_TEST_BINARY=$(SANDBOX) $(SWIFT) test

# docs/sandbox.1 from the shipped binary's own help, by swift-argument-parser's generate-manual (Tests/Docs/manual.sh).
man: build
	$(MANUAL)

bench: build rootfs
	@$(call apt_install,$(BENCH_PACKAGES) $(ENGINE_PACKAGES))
	Tests/Benchmarks/bench.sh $(SANDBOX) $(ROOTFS)
	Tests/Benchmarks/lifecycle.sh $(SANDBOX) $(ROOTFS)
	Tests/Benchmarks/logs.sh $(SANDBOX) $(ROOTFS)

# libFuzzer, from the Swift toolchain, for FUZZ_SECONDS a target. What it learns stays in .build-fuzz/corpus;
# an input that crashes, hangs or exhausts memory goes to .build-fuzz/crashes, and
# `swift run sandbox-fuzz TARGET FILE` replays it in a debug build. Swift's backtracer is off: it would take the
# trap's signal before libFuzzer could save the input.
fuzz: deps
	$(SWIFT) build -c release --product sandbox-fuzz --scratch-path $(FUZZ_BUILD) -Xswiftc -DFUZZING \
		-Xswiftc -sanitize=fuzzer -Xswiftc -enable-experimental-feature -Xswiftc Extern
	@failed=; for target in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$target $(FUZZ_BUILD)/crashes; \
		if SWIFT_BACKTRACE=enable=no $(FUZZ_BUILD)/release/sandbox-fuzz $$target -max_total_time=$(FUZZ_SECONDS) \
			-timeout=10 -artifact_prefix=$(FUZZ_BUILD)/crashes/$$target- \
			$(FUZZ_BUILD)/corpus/$$target Tests/Fuzz/Corpus/$$target >$(FUZZ_BUILD)/$$target.log 2>&1; then \
			sed -n "s/^Done \([0-9]*\) runs in \([0-9]*\) second.*/$$target: \1 inputs in \2 s, nothing found/p" $(FUZZ_BUILD)/$$target.log; \
		else \
			grep -E 'ERROR: libFuzzer|Fatal error|runtime failure|^ *#[0-9]+ 0x[0-9a-f]+ in .s($(FUZZ_MODULES))|Test unit written' $(FUZZ_BUILD)/$$target.log; \
			echo "$$target: FOUND A CRASH (log: $(FUZZ_BUILD)/$$target.log)"; failed="$$failed $$target"; \
		fi; \
	done; test -z "$$failed" || { echo "crashed:$$failed"; exit 1; }

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
