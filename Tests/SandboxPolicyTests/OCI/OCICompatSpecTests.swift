import PolicyFixtures
import SandboxJSON
import SandboxOCI
import Testing
@testable import SandboxPolicy

/// What podman, Docker and containerd hand a runtime maps to the container they meant, without a warning.
struct OCICompatSpecTests {
    @Test(.enabled(if: OCIFixtures.has(OCIFixtures.podman), "needs ../shared/compat/oci/\(OCIFixtures.podman)"))
    func podman() throws {
        let (spec, warnings) = try OCIFixtures.map(try OCIFixtures.config(OCIFixtures.podman))
        #expect(warnings.isEmpty)
        #expect(spec.process.user == UserSpec.Resolved(uid: 1000, gid: 1000, supplementaryGroups: [1000, 1001], home: "/home/u"))
        #expect(spec.process.umask == 0o22)
        let netAdmin = CapabilityMask([Capability(12)])
        #expect(spec.process.capabilities.bounding.contains(Capability(12)) && spec.process.capabilities.bounding.capabilities.count == 12)
        #expect(spec.process.capabilities.ambient == netAdmin && spec.process.capabilities.effective == netAdmin)
        #expect(spec.process.rlimits == [ResourceLimit(resource: 7, soft: 1024, hard: 1024), ResourceLimit(resource: 6, soft: 1024, hard: 1024)])
        #expect(spec.resources.memory == 64 << 20 && spec.resources.memorySwap == 128 << 20 && spec.resources.memorySwapGiven)
        #expect(spec.resources.pidsLimit == 100)
        #expect(spec.namespaces[.network] == .join(path: "/run/netns/netns-bbe12ffc-92fb-6fb8-1d74-80906a987cb9"))
        #expect(spec.namespaces[.pid] == .new && spec.namespaces[.user] == .host && spec.namespaces[.cgroup] == .host)
        guard case .filter(let filter) = spec.seccomp else { Issue.record("no seccomp filter"); return }
        #expect(filter.defaultDecision == .errno(38) && filter.architectures == ["x86_64", "x86", "x32"])
        #expect(!filter.rules.isEmpty)
        #expect(spec.hostname == "c2f58e2c8402" && spec.sysctls == ["net.ipv4.ping_group_range": "0 0"])
        #expect(spec.cgroupPath == "/libpod_parent/libpod-c2f58e2c8402f14c37a3ffc88e40be3066d3c69c5c3e5073e5636ff768650056")
        #expect(spec.root == ContainerSpec.Root(path: "/bundles/one/rootfs", layout: .bind, readOnly: false))
        // podman's binds are not recursive; its cgroup mount is the container's own cgroups, read-only.
        let hosts = try #require(spec.mounts.first { $0.target == "/etc/hosts" })
        guard case .bind(_, idmapped: false, recursive: false) = hosts.kind else { Issue.record("\(hosts.kind)"); return }
        #expect(hosts.propagation == .recursivePrivate)
        let cgroup = try #require(spec.mounts.first { $0.target == "/sys/fs/cgroup" })
        #expect(cgroup.kind == .cgroup && cgroup.attributes == [.readOnly, .noSetuid, .noDevices, .noExec])
        #expect(spec.mounts.contains(MountEntry(.mask(within: "/sys"), at: "/sys/fs/selinux")))
        #expect(spec.devices == DevicePolicy(allowsAll: false, allowed: DevicePolicy.runtimeDefaults))
    }

    @Test(.enabled(if: OCIFixtures.has(OCIFixtures.docker), "needs ../shared/compat/oci/\(OCIFixtures.docker)"))
    func docker() throws {
        let (spec, warnings) = try OCIFixtures.map(try OCIFixtures.config(OCIFixtures.docker),
                                                   context: OCIFixtures.context(passwd: "u:x:1000:1000::/home/u:/bin/sh\n"))
        #expect(warnings.isEmpty)
        #expect(spec.hooks.prestart.map(\.path) == ["/proc/29924/exe"])
        #expect(spec.hooks.prestart.first?.args.first == "libnetwork-setkey")
        #expect(spec.process.oomScoreAdj == 0)
        // Docker leaves HOME to the runtime, which finds it in the image's passwd, as runc does.
        #expect(spec.process.environment.last == "HOME=/home/u" && spec.process.user.home == "/home/u")
        // `weight: 0` and `shares: 0` are unset, as runc reads them.
        #expect(spec.resources.blockIOWeight == nil && spec.resources.cpuShares == nil)
        #expect(spec.resources.memory == 64 << 20 && spec.resources.pidsLimit == 100)
        #expect(spec.namespaces[.network] == .new)
        // Docker's allowances, then runc's defaults that it did not list; its fuse deny removes nothing.
        let allowed = [(1, 5), (1, 3), (1, 9), (1, 8), (5, 0), (5, 1)].map { DeviceRule(.character, $0, $1) }
        #expect(spec.devices.allowed == allowed + DevicePolicy.runtimeDefaults.filter { !allowed.contains($0) })
        #expect(spec.sysctls["net.ipv4.ip_unprivileged_port_start"] == "0")
        let resolv = try #require(spec.mounts.first { $0.target == "/etc/resolv.conf" })
        #expect(resolv.kind == .bind(source: "/var/lib/docker/containers/e8ff5a82fec9d12c7a7fc62eab653776cc66cb1494528fe2e213f9508de5b8d0/resolv.conf"))
        guard case .filter(let filter) = spec.seccomp else { Issue.record("no seccomp filter"); return }
        #expect(filter.defaultDecision == .errno(1))
    }

    @Test(.enabled(if: OCIFixtures.has(OCIFixtures.containerd), "needs ../shared/compat/oci/\(OCIFixtures.containerd)"))
    func containerd() throws {
        let (spec, warnings) = try OCIFixtures.map(try OCIFixtures.config(OCIFixtures.containerd))
        #expect(warnings.isEmpty)
        #expect(spec.process.rlimits == [ResourceLimit(resource: 7, soft: 1024, hard: 1024)])
        #expect(spec.process.noNewPrivileges)
        #expect(spec.process.environment == ["HOME=/"])
        let masked = spec.mounts.compactMap { if case .mask(let within) = $0.kind { "\(within) \($0.target)" } else { nil } }
        #expect(masked == ["/proc /proc/acpi", "/proc /proc/asound", "/proc /proc/kcore", "/proc /proc/keys", "/proc /proc/latency_stats",
                           "/proc /proc/timer_list", "/proc /proc/timer_stats", "/proc /proc/sched_debug", "/sys /sys/firmware",
                           "/proc /proc/scsi"])
        #expect(spec.mounts.filter { if case .readOnly = $0.kind { true } else { false } }.count == 5)
        #expect(spec.cgroupPath == "/default/cap1" && spec.resources.cpuShares == 1024)
        #expect(spec.seccomp == .unconfined && spec.hooks == Hooks())
        #expect(spec.process.capabilities.inheritable.rawValue == 0 && spec.process.capabilities.effective.capabilities.count == 14)
    }

    /// The container's /dev, after the config's mounts: runc's nodes (made, as there is no user namespace),
    /// the links, then the masks, which come last.
    @Test(.enabled(if: OCIFixtures.has(OCIFixtures.containerd), "needs ../shared/compat/oci/\(OCIFixtures.containerd)"))
    func devIsFilledInRuncsOrder() throws {
        let (spec, _) = try OCIFixtures.map(try OCIFixtures.config(OCIFixtures.containerd))
        let targets = spec.mounts.map(\.target)
        #expect(Array(targets.prefix(7)) == ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/run"])
        #expect(Array(targets[7..<18]) == MountTable.devices + ["/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/ptmx"])
        #expect(spec.mounts[7] == MountEntry(.device(.character, major: 1, minor: 3, mode: 0o666, uid: 0, gid: 0), at: "/dev/null"))
        #expect(spec.mounts[17] == MountEntry(.symlink(destination: "pts/ptmx"), at: "/dev/ptmx"))
        #expect(spec.mounts[1] == MountEntry(.filesystem(type: "tmpfs", data: "mode=755,size=65536k"), at: "/dev",
                                             attributes: [.noSetuid, .strictAccessTime]))
        #expect(spec.mounts[2].kind == .filesystem(type: "devpts", data: "newinstance,ptmxmode=0666,mode=0620,gid=5"))
    }

    /// Read back from the config written for it, a container is the same container.
    @Test(.enabled(if: OCIFixtures.all.allSatisfy(OCIFixtures.has), "needs the files in ../shared/compat/oci"), arguments: OCIFixtures.all)
    func roundTrip(name: String) throws {
        let (spec, _) = try OCIFixtures.map(try OCIFixtures.config(name))
        let written = try OCI.Config(spec: spec)
        let (again, warnings) = try OCIFixtures.map(written)
        #expect(warnings.isEmpty)
        #expect(again == spec)
        // And the document survives encoding.
        let text = try JSON.encode(written)
        #expect(try JSON.decode(OCI.Config.self, from: text, document: "written") == written)
    }
}
