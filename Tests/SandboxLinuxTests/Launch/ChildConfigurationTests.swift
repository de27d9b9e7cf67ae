import CSandbox
import Glibc
import PolicyFixtures
import Testing
@testable import SandboxLinux
@testable import SandboxPolicy

/// The flat C configuration the child runs from, as ChildConfiguration builds it from a spec: what the child
/// is told to make, in what order, and which entry each one names.
struct ChildConfigurationTests {
    /// A C mount entry, readable.
    struct Entry: Equatable, CustomStringConvertible {
        var kind: sbx_mount_kind
        var target: String
        var source: String?
        var attributes: UInt64 = 0
        var within: Int = 0

        var description: String { "\(kind.rawValue) \(target) <- \(source ?? "-") \(attributes) \(within)" }
    }

    static let restricted = SBX_MOUNT_ATTR_NOSUID | SBX_MOUNT_ATTR_NODEV | SBX_MOUNT_ATTR_NOEXEC

    static func configuration(_ spec: ContainerSpec, cgroup: [ContainerCgroup.Directory] = []) -> ChildConfiguration {
        try! ChildConfiguration(plan: LaunchPlan(spec: spec, layout: StateLayout(path: "/run/sandbox/test")), seccomp: nil,
                           streams: .init(stdin: 0, stdout: 1, stderr: 2, controllingTerminal: false), console: nil,
                           startSocket: -1, staging: -1, cgroup: cgroup)
    }

    static func entries(_ configuration: ChildConfiguration) -> [Entry] {
        (0..<configuration.raw.mount_count).map { index in
            let mount = configuration.raw.mounts[index]
            let within = mount.kind == SBX_MOUNT_MASK || mount.kind == SBX_MOUNT_READONLY || mount.kind == SBX_MOUNT_SEAL ? mount.within : 0
            return Entry(kind: mount.kind, target: String(cString: mount.target), source: mount.source.map { String(cString: $0) },
                         attributes: mount.attributes, within: within)
        }
    }

    static func image() -> RunSpec {
        var run = RunSpec(command: ["sh"])
        run.rootfs = "/images/busybox"
        return run
    }

    static func directory(_ mount: String, version: CgroupVersion = .v1, controllers: Set<String> = []) -> ContainerCgroup.Directory {
        ContainerCgroup.Directory(mount: CgroupMount(path: mount, version: version, controllers: controllers), path: mount + "/sandbox/test")
    }

    /// The entries the `.cgroup` mount became: from its first to the last under its target.
    static func cgroupEntries(_ entries: [Entry]) -> ArraySlice<Entry> {
        let first = entries.firstIndex { $0.target == "/sys/fs/cgroup" }!
        let end = entries[first...].firstIndex { !$0.target.hasPrefix("/sys/fs/cgroup") } ?? entries.endIndex
        return entries[first..<end]
    }

    // MARK: /sys/fs/cgroup

    /// A hybrid host: the container's directory of each hierarchy, bound at the hierarchy's name in a tmpfs that
    /// is sealed read-only once they are in; a comounted hierarchy gets a link for each of its controllers.
    @Test func cgroupOnAHybridHostIsATmpfsOfBindsSealedReadOnly() throws {
        let directories = [
            Self.directory("/sys/fs/cgroup/cpu,cpuacct", controllers: ["cpu", "cpuacct"]),
            Self.directory("/sys/fs/cgroup/memory", controllers: ["memory"]),
            Self.directory("/sys/fs/cgroup/systemd"),
            Self.directory("/sys/fs/cgroup/unified", version: .v2),
        ]
        let configuration = Self.configuration(try .docker(Self.image(), ownCgroup: true), cgroup: directories)
        let entries = Self.entries(configuration)
        let readOnly = SBX_MOUNT_ATTR_RDONLY | Self.restricted
        let first = entries.firstIndex { $0.target == "/sys/fs/cgroup" }!
        #expect(Array(Self.cgroupEntries(entries)) == [
            Entry(kind: SBX_MOUNT_FS, target: "/sys/fs/cgroup", source: "tmpfs", attributes: Self.restricted),
            Entry(kind: SBX_MOUNT_BIND, target: "/sys/fs/cgroup/cpu,cpuacct", source: "/sys/fs/cgroup/cpu,cpuacct/sandbox/test", attributes: readOnly),
            Entry(kind: SBX_MOUNT_SYMLINK, target: "/sys/fs/cgroup/cpu", source: "cpu,cpuacct", attributes: readOnly),
            Entry(kind: SBX_MOUNT_SYMLINK, target: "/sys/fs/cgroup/cpuacct", source: "cpu,cpuacct", attributes: readOnly),
            Entry(kind: SBX_MOUNT_BIND, target: "/sys/fs/cgroup/memory", source: "/sys/fs/cgroup/memory/sandbox/test", attributes: readOnly),
            Entry(kind: SBX_MOUNT_BIND, target: "/sys/fs/cgroup/systemd", source: "/sys/fs/cgroup/systemd/sandbox/test", attributes: readOnly),
            Entry(kind: SBX_MOUNT_BIND, target: "/sys/fs/cgroup/unified", source: "/sys/fs/cgroup/unified/sandbox/test", attributes: readOnly),
            Entry(kind: SBX_MOUNT_SEAL, target: "/sys/fs/cgroup", attributes: SBX_MOUNT_ATTR_RDONLY, within: first),
        ])
        #expect(String(cString: configuration.raw.mounts[first].data) == "mode=755")
        // After the entries it became, a mask still names its own mount: the sysfs or the proc one.
        for entry in entries where entry.kind == SBX_MOUNT_MASK || entry.kind == SBX_MOUNT_READONLY {
            #expect(["/proc", "/sys"].contains(entries[entry.within].target) && entries[entry.within].kind == SBX_MOUNT_FS, "\(entry)")
        }
    }

    /// A v2-only host: its one tree, the container's directory, bound read-only at the target itself.
    @Test func cgroupOnAV2OnlyHostIsTheContainersTreeBound() throws {
        let tree = ContainerCgroup.Directory(mount: CgroupMount(path: "/sys/fs/cgroup", version: .v2, controllers: ["memory"]),
                                             path: "/sys/fs/cgroup/sandbox/test")
        let entries = Self.entries(Self.configuration(try .docker(Self.image(), ownCgroup: true), cgroup: [tree]))
        #expect(Array(Self.cgroupEntries(entries)) == [
            Entry(kind: SBX_MOUNT_BIND, target: "/sys/fs/cgroup", source: "/sys/fs/cgroup/sandbox/test",
                  attributes: SBX_MOUNT_ATTR_RDONLY | Self.restricted),
        ])
    }

    /// Without a cgroup of its own (an OCI config may ask for the mount anyway), an empty read-only tmpfs.
    @Test func cgroupWithoutDirectoriesIsAnEmptyReadOnlyTmpfs() throws {
        let entries = Self.entries(Self.configuration(try .docker(Self.image(), ownCgroup: true)))
        let first = entries.firstIndex { $0.target == "/sys/fs/cgroup" }!
        #expect(Array(Self.cgroupEntries(entries)) == [
            Entry(kind: SBX_MOUNT_FS, target: "/sys/fs/cgroup", source: "tmpfs", attributes: Self.restricted),
            Entry(kind: SBX_MOUNT_SEAL, target: "/sys/fs/cgroup", attributes: SBX_MOUNT_ATTR_RDONLY, within: first),
        ])
    }

    // MARK: mounts

    @Test func deviceNodesAttributesAndPropagation() throws {
        var spec = try ContainerSpec.docker(Self.image(), userNamespace: nil)
        spec.rootPropagation = .recursiveSlave
        spec.mounts.insert(MountEntry(.device(.block, major: 8, minor: 1, mode: 0o660, uid: 0, gid: 6), at: "/dev/sda1"), at: 0)
        var tmpfs = MountEntry(.filesystem(type: "tmpfs", data: nil), at: "/scratch", attributes: [.noAccessTime, .noSymlinks])
        tmpfs.propagation = .shared
        spec.mounts.insert(tmpfs, at: 1)
        let configuration = Self.configuration(spec)
        defer { withExtendedLifetime(configuration) {} }
        let device = configuration.raw.mounts[0], scratch = configuration.raw.mounts[1]
        #expect(device.kind == SBX_MOUNT_DEVICE && String(cString: device.target) == "/dev/sda1")
        #expect(device.device.type == S_IFBLK && device.device.major == 8 && device.device.minor == 1)
        #expect(device.device.mode == 0o660 && device.device.uid == 0 && device.device.gid == 6)
        #expect(scratch.attributes == SBX_MOUNT_ATTR_NOATIME | SBX_MOUNT_ATTR_NOSYMFOLLOW)
        #expect(scratch.propagation == SBX_MS_SHARED)
        #expect(configuration.raw.rootfs.propagation == SBX_MS_SLAVE | SBX_MS_REC)
        #expect(configuration.raw.mounts[2].propagation == 0, "a mount asked for nothing is left as made")
    }

    @Test(arguments: [
        (MountAttributes.noAccessTime, SBX_MOUNT_ATTR_NOATIME), (.strictAccessTime, SBX_MOUNT_ATTR_STRICTATIME),
        (.noDirectoryAccessTime, SBX_MOUNT_ATTR_NODIRATIME), (.noSymlinks, SBX_MOUNT_ATTR_NOSYMFOLLOW),
        (.readOnly, SBX_MOUNT_ATTR_RDONLY),
        (MountAttributes.restricted.union(.noAccessTime), SBX_MOUNT_ATTR_NOSUID | SBX_MOUNT_ATTR_NODEV | SBX_MOUNT_ATTR_NOEXEC | SBX_MOUNT_ATTR_NOATIME),
    ])
    func attributesAreTheKernels(attributes: MountAttributes, flags: UInt64) {
        #expect(attributes.kernelFlags == flags)
    }

    @Test(arguments: [
        (MountPropagation.private, UInt64(MS_PRIVATE)), (.shared, UInt64(MS_SHARED)), (.slave, UInt64(MS_SLAVE)),
        (.unbindable, UInt64(MS_UNBINDABLE)), (.recursivePrivate, UInt64(MS_PRIVATE | MS_REC)),
        (.recursiveShared, UInt64(MS_SHARED | MS_REC)), (.recursiveSlave, UInt64(MS_SLAVE | MS_REC)),
        (.recursiveUnbindable, UInt64(MS_UNBINDABLE | MS_REC)),
    ])
    func propagationIsMountsFlags(propagation: MountPropagation, flags: UInt64) {
        #expect(propagation.kernelFlags == flags)
    }

    // MARK: the process and its namespaces

    @Test func sysctlsGoThroughTheProcMountInKeyOrder() throws {
        var spec = try ContainerSpec.docker(Self.image())
        spec.sysctls = ["net.ipv4.ip_forward": "1", "kernel.shmmax": "65536", "net.ipv4.conf.eth0/100.forwarding": "0"]
        let configuration = Self.configuration(spec)
        defer { withExtendedLifetime(configuration) {} }
        let raw = configuration.raw
        let sysctls = (0..<raw.sysctl_count).map {
            [String(cString: raw.sysctls[$0].key), String(cString: raw.sysctls[$0].path), String(cString: raw.sysctls[$0].value)]
        }
        #expect(sysctls == [
            ["kernel.shmmax", "kernel/shmmax", "65536"],
            ["net.ipv4.conf.eth0/100.forwarding", "net/ipv4/conf/eth0.100/forwarding", "0"],
            ["net.ipv4.ip_forward", "net/ipv4/ip_forward", "1"],
        ])
        let proc = raw.mounts[raw.proc_mount]
        #expect(proc.kind == SBX_MOUNT_FS && String(cString: proc.fstype) == "proc")
    }

    @Test func withoutAProcMountThereIsNone() throws {
        var spec = try ContainerSpec.docker(Self.image())
        spec.mounts.removeAll { $0.target.hasPrefix("/proc") }
        #expect(Self.configuration(spec).raw.proc_mount == Int(bitPattern: UInt.max))
    }

    @Test func umaskDomainNameAndLimits() throws {
        var spec = try ContainerSpec.docker(Self.image())
        spec.domainname = "example.test"
        spec.process.rlimits = [try ResourceLimit(docker: "nofile=1024:2048"), try ResourceLimit(docker: "memlock=-1")]
        let configuration = Self.configuration(spec)
        defer { withExtendedLifetime(configuration) {} }
        let raw = configuration.raw
        #expect(raw.umask == 0o022, "Docker's")
        #expect(String(cString: raw.domainname) == "example.test")
        let limits = (0..<raw.rlimit_count).map { raw.rlimits[$0] }
        #expect(limits.map { String(cString: $0.name) } == ["RLIMIT_NOFILE", "RLIMIT_MEMLOCK"])
        #expect(limits.map(\.resource) == [7, 8])
        #expect(limits.map(\.soft) == [1024, .max] && limits.map(\.hard) == [2048, .max])

        spec.process.umask = nil
        spec.domainname = nil
        let inherited = Self.configuration(spec).raw
        #expect(inherited.umask == -1 && inherited.domainname == nil)
    }
}
