import PolicyFixtures
import SandboxOCI
import Testing
@testable import SandboxPolicy

/// How the parts of a config become a container: runc's readings, and what is only warned about.
struct OCISpecTests {
    static func map(_ change: (inout OCI.Config) -> Void, context: ContainerSpec.OCIContext = OCIFixtures.context())
        throws -> (ContainerSpec, [String]) {
        try OCIFixtures.map(OCIFixtures.defaultSpec(change), context: context)
    }

    // MARK: What the spec wants warned about, not refused

    @Test func capabilityTheKernelLacksIsLeftOutWithAWarning() throws {
        var host = OCIFixtures.host
        host.lastCapability = 39
        let (spec, warnings) = try Self.map({ $0.process!.capabilities!.bounding!.append("CAP_CHECKPOINT_RESTORE") },
                                            context: OCIFixtures.context(host: host))
        #expect(warnings == ["config.json: process.capabilities.bounding[3]: CAP_CHECKPOINT_RESTORE is newer than this kernel, which has capabilities up to CAP_BPF; left out"])
        #expect(spec.process.capabilities.bounding.capabilities.map(\.name) == ["KILL", "NET_BIND_SERVICE", "AUDIT_WRITE"])
    }

    /// Without a user namespace the container can hold only what sandbox holds; in one, everything.
    @Test func capabilitySandboxLacks() throws {
        var host = OCIFixtures.host
        host.bounding = CapabilityMask([Capability(5), Capability(10)])
        let (_, warnings) = try Self.map({ _ in }, context: OCIFixtures.context(host: host))
        #expect(warnings == ["config.json: process.capabilities.bounding[0]: sandbox itself does not hold CAP_AUDIT_WRITE, so it cannot give it; left out",
                             "config.json: process.capabilities.effective[0]: sandbox itself does not hold CAP_AUDIT_WRITE, so it cannot give it; left out",
                             "config.json: process.capabilities.permitted[0]: sandbox itself does not hold CAP_AUDIT_WRITE, so it cannot give it; left out"])
        let (spec, none) = try Self.map(OCIRefusalTests.userNamespace, context: OCIFixtures.context(host: host))
        #expect(none.isEmpty && spec.process.capabilities.bounding.capabilities.count == 3)
    }

    @Test func ambientNeedsPermittedAndInheritable() throws {
        let (spec, warnings) = try Self.map { $0.process!.capabilities!.ambient = ["CAP_KILL"] }
        #expect(warnings == ["config.json: process.capabilities.ambient[0]: CAP_KILL is not both permitted and inheritable, so the kernel cannot make it ambient; left out"])
        #expect(spec.process.capabilities.ambient.rawValue == 0)
    }

    /// sandbox applies no AppArmor profile and no SELinux label. Where the module is off nothing is lost: left
    /// out with a warning, as crun leaves SELinux labels. Where it is on, the container would run unconfined.
    @Test func securityLabelsAreIgnoredOnlyWhereTheirModuleIsOff() throws {
        let labelled: (inout OCI.Config) -> Void = {
            $0.process!.apparmorProfile = "docker-default"
            $0.process!.selinuxLabel = "system_u:system_r:container_t:s0"
            $0.linux!.mountLabel = "system_u:object_r:container_file_t:s0"
        }
        let (_, warnings) = try Self.map(labelled)
        #expect(warnings == [
            "config.json: process.apparmorProfile: AppArmor is not enabled on this host; \"docker-default\" is not applied",
            "config.json: process.selinuxLabel: SELinux is not enabled on this host; \"system_u:system_r:container_t:s0\" is not applied",
            "config.json: linux.mountLabel: SELinux is not enabled on this host; \"system_u:object_r:container_file_t:s0\" is not applied",
        ])
        var host = OCIFixtures.host
        host.apparmor = true
        #expect(throws: SandboxError("config.json: process.apparmorProfile: sandbox applies no AppArmor profile, and AppArmor is enabled on this host: the container would run unconfined")) {
            try Self.map(labelled, context: OCIFixtures.context(host: host))
        }
        host = OCIFixtures.host
        host.selinux = true
        #expect(throws: SandboxError("config.json: linux.mountLabel: sandbox applies no SELinux label, and SELinux is enabled on this host: the container would run unconfined")) {
            try Self.map({ $0.linux!.mountLabel = "system_u:object_r:container_file_t:s0" }, context: OCIFixtures.context(host: host))
        }
    }

    @Test func kernelMemoryIsIgnoredAsRuncDoes() throws {
        let (spec, warnings) = try Self.map {
            $0.linux!.resources!.memory = OCI.Resources.Memory()
            $0.linux!.resources!.memory!.kernel = 1 << 20
        }
        #expect(warnings == ["config.json: linux.resources.memory.kernel: kernel memory limits are not supported by Linux 5.16 and later; ignored"])
        #expect(spec.resources.isEmpty)
    }

    /// mount(2) ignores a bind's data, and runc passes it on: a config may carry a tmpfs's options to a bind.
    @Test func dataOfABindIsIgnoredWithAWarning() throws {
        let (spec, warnings) = try Self.map {
            $0.mounts!.append(OCI.Mount(destination: "/data", type: "bind", source: "/srv", options: ["rbind", "nosuid", "mode=755", "size=1k"]))
        }
        #expect(warnings == ["config.json: mounts[7].options[2]: \"mode=755\" is not an option of a bind mount; ignored",
                             "config.json: mounts[7].options[3]: \"size=1k\" is not an option of a bind mount; ignored"])
        #expect(spec.mounts[7] == MountEntry(.bind(source: "/srv"), at: "/data", attributes: .noSetuid))
    }

    @Test func relativeDestinationIsUnderRoot() throws {
        let (spec, warnings) = try Self.map { $0.mounts!.append(OCI.Mount(destination: "data/x", type: "tmpfs", source: "tmpfs")) }
        #expect(warnings == ["config.json: mounts[7].destination: \"data/x\" is not absolute; read as relative to /, as runc 1.1 reads it"])
        #expect(spec.mounts[7] == MountEntry(.filesystem(type: "tmpfs", data: nil), at: "/data/x"))
    }

    // MARK: Process

    @Test func terminalGetsTheConsoleAndItsSize() throws {
        let (spec, _) = try Self.map { $0.process!.consoleSize = OCI.ConsoleSize(height: 40, width: 120) }
        #expect(spec.process.consoleSize == ConsoleSize(height: 40, width: 120))
        #expect(spec.mounts.contains(MountEntry(.console, at: "/dev/console")))
        let (plain, _) = try Self.map { $0.process!.terminal = false }
        #expect(!plain.mounts.contains { $0.kind == .console })
    }

    @Test func homeFromTheEnvironmentElsePasswd() throws {
        let passwd = "root:x:0:0:root:/root:/bin/sh\n"
        let (fromPasswd, _) = try Self.map({ _ in }, context: OCIFixtures.context(passwd: passwd))
        #expect(fromPasswd.process.user.home == "/root" && fromPasswd.process.environment.last == "HOME=/root")
        let (given, _) = try Self.map({ $0.process!.env!.append("HOME=/srv") }, context: OCIFixtures.context(passwd: passwd))
        #expect(given.process.user.home == "/srv" && given.process.environment.filter { $0.hasPrefix("HOME=") } == ["HOME=/srv"])
    }

    // MARK: Namespaces and users

    /// Root writes any map; a user its own id alone, or with its subordinate ranges through the helpers.
    @Test func userNamespaceWriter() throws {
        let (root, _) = try Self.map(OCIRefusalTests.userNamespace)
        #expect(root.userNamespace?.writer == .root && root.namespaces[.user] == .new)
        let caller = ContainerSpec.OCIContext.Caller(uid: 1000, gid: 1000, isRoot: false,
                                                     subordinateUIDs: [IDMapping(containerID: 0, hostID: 100_000, size: 65536)],
                                                     subordinateGIDs: [IDMapping(containerID: 0, hostID: 100_000, size: 65536)])
        let (helpers, _) = try Self.map(OCIRefusalTests.userNamespace, context: OCIFixtures.context(caller: caller))
        #expect(helpers.userNamespace?.writer == .shadowHelpers)
        let rootless = OCI.Config.rootlessSpec(uid: 1000, gid: 1000)
        let (own, warnings) = try OCIFixtures.map(rootless, context: OCIFixtures.context(caller: caller))
        #expect(warnings.isEmpty && own.userNamespace?.writer == .caller && own.namespaces[.network] == .host)
        // In a user namespace the default nodes are the host's, bound: mknod is not allowed there.
        #expect(own.mounts.contains(MountEntry(.bind(source: "/dev/null"), at: "/dev/null")))
    }

    /// A user namespace would have to be joined before every other, by a process that could not come back.
    @Test func joiningAUserNamespaceIsRefused() throws {
        #expect(throws: SandboxError("config.json: linux.namespaces[6].path: joining a user namespace is not supported")) {
            try Self.map {
                OCIRefusalTests.userNamespace(&$0)
                $0.linux!.namespaces![6].path = "/proc/42/ns/user"
            }
        }
    }

    /// A mount namespace joined by path is the child's to enter; one not listed is sandbox's own, as runc reads it.
    @Test func mountNamespaceJoinedOrTheHosts() throws {
        let (joined, _) = try Self.map { $0.linux!.namespaces![4].path = "/proc/42/ns/mnt" }
        #expect(joined.namespaces[.mount] == .join(path: "/proc/42/ns/mnt"))
        let (none, warnings) = try Self.map {
            $0.linux!.namespaces = []
            $0.hostname = nil
        }
        #expect(warnings.isEmpty && Namespace.allCases.allSatisfy { none.namespaces[$0] == .host })
        // Its mounts are made all the same: on the host, beneath its root.
        #expect(none.mounts.map(\.target).prefix(3) == ["/proc", "/dev", "/dev/pts"])
    }

    /// sysctl(8)'s slashes are read as its dots.
    @Test func sysctlKeys() throws {
        let (spec, _) = try Self.map {
            $0.linux!.sysctl = ["net/ipv4/conf/eth0.1/rp_filter": "1", "kernel.shmmax": "1024", "fs.mqueue.msg_max": "20"]
        }
        #expect(spec.sysctls == ["net.ipv4.conf.eth0/1.rp_filter": "1", "kernel.shmmax": "1024", "fs.mqueue.msg_max": "20"])
    }

    // MARK: Mounts

    @Test func mountOptions() throws {
        let (spec, _) = try Self.map {
            $0.root!.path = "/images/rootfs"
            $0.mounts! += [
                OCI.Mount(destination: "/a", type: "bind", source: "data", options: ["bind", "ro", "rw", "nosuid", "slave"]),
                OCI.Mount(destination: "/b", type: "none", source: "/srv/b", options: ["rbind", "rro", "noatime", "strictatime", "rshared"]),
                OCI.Mount(destination: "/c", type: "tmpfs", source: "tmpfs", options: ["noexec", "relatime", "nodiratime", "size=1m", "noswap", "nosymfollow"]),
            ]
        }
        #expect(spec.root.path == "/images/rootfs")
        var a = MountEntry(.bind(source: "/bundles/one/data", recursive: false), at: "/a", attributes: .noSetuid)
        a.propagation = .slave
        var b = MountEntry(.bind(source: "/srv/b"), at: "/b", attributes: [.readOnly, .strictAccessTime])
        b.propagation = .recursiveShared
        let c = MountEntry(.filesystem(type: "tmpfs", data: "size=1m,noswap"), at: "/c", attributes: [.noExec, .noDirectoryAccessTime, .noSymlinks])
        #expect(Array(spec.mounts[7...9]) == [a, b, c])
    }

    /// A mask is found beneath the mount it lies in, the latest at one of its parents: the container's / for
    /// one beneath none.
    @Test func masksNameTheirMount() throws {
        let (spec, _) = try Self.map {
            $0.linux!.maskedPaths = ["/sys/fs/cgroup/cpu", "/proc/kcore", "/etc/secret", "/dev/shm/x"]
            $0.linux!.readonlyPaths = ["/sys/fs//cgroup/../x"]
        }
        let covers = spec.mounts.compactMap { entry -> String? in
            switch entry.kind {
            case .mask(let within): "mask \(entry.target) in \(within)"
            case .readOnly(let within): "ro \(entry.target) in \(within)"
            default: nil
            }
        }
        #expect(covers == ["mask /sys/fs/cgroup/cpu in /sys/fs/cgroup", "mask /proc/kcore in /proc", "mask /etc/secret in /",
                           "mask /dev/shm/x in /dev/shm", "ro /sys/fs/x in /sys"])
    }

    /// runc's setupDev: a /dev bound from the host gets no nodes or links of the runtime's.
    @Test func boundDevIsLeftAlone() throws {
        let (spec, _) = try Self.map {
            $0.mounts![1] = OCI.Mount(destination: "/dev", type: "bind", source: "/dev", options: ["rbind"])
            $0.linux!.devices = [OCI.Device(path: "/dev/sda", type: "b", major: 8, minor: 0)]
        }
        #expect(!spec.mounts.contains { if case .device = $0.kind { true } else if case .symlink = $0.kind { true } else { false } })
    }

    @Test func deviceNodes() throws {
        let (spec, _) = try Self.map {
            var sda = OCI.Device(path: "/dev/sda", type: "b", major: 8, minor: 0)
            sda.fileMode = 0o60640
            sda.gid = 6
            $0.linux!.devices = [sda, OCI.Device(path: "/dev/null", type: "c", major: 1, minor: 3)]
        }
        let nodes = spec.mounts.filter { if case .device = $0.kind { true } else { false } }
        #expect(nodes.map(\.target) == ["/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/sda", "/dev/null"])
        #expect(nodes[5].kind == .device(.block, major: 8, minor: 0, mode: 0o640, uid: 0, gid: 6))
    }

    /// A FIFO (type p) has no numbers, and is made even in a user namespace: making one takes no privilege.
    @Test(arguments: [false, true])
    func fifoIsMadeEverywhere(inUserNamespace: Bool) throws {
        let (spec, _) = try Self.map {
            if inUserNamespace { OCIRefusalTests.userNamespace(&$0) }
            var fifo = OCI.Device(path: "/dev/fifo", type: "p", major: 8, minor: 666)
            fifo.fileMode = 0o600
            fifo.uid = 1000
            $0.linux!.devices = [fifo]
        }
        #expect(spec.mounts.contains(MountEntry(.device(.fifo, major: 0, minor: 0, mode: 0o600, uid: 1000, gid: 0), at: "/dev/fifo")))
        // --print-spec writes it back as it came, without numbers.
        let device = try #require(try OCI.Config(spec: spec).linux?.devices?.first)
        #expect(device.type == "p" && device.major == nil && device.minor == nil && device.fileMode == 0o600 && device.uid == 1000)
    }

    // MARK: Devices and resources

    @Test func deviceRules() throws {
        func policy(_ rules: [OCI.Resources.DeviceRule]) throws -> DevicePolicy {
            try OCIFixtures.map(OCIFixtures.defaultSpec { $0.linux!.resources!.devices = rules }).0.devices
        }
        #expect(try policy([]) == DevicePolicy(allowsAll: false, allowed: DevicePolicy.runtimeDefaults))
        #expect(try policy([.init(allow: true, type: "a", access: "r")]) == DevicePolicy(allowsAll: true, allowed: []))
        // A deny of what was allowed takes it, or the access it names, away.
        let loop = try policy([.init(allow: false, access: "rwm"), .init(allow: true, type: "b", major: 7, minor: 0, access: "rwm"),
                               .init(allow: true, type: "b", major: 7, minor: 1, access: "rw"), .init(allow: false, type: "b", major: 7, access: "w"),
                               .init(allow: false, type: "b", major: 7, minor: 1, access: "r")])
        #expect(Array(loop.allowed.prefix(2)) == [DeviceRule(.block, 7, 0, [.read, .mknod]), DeviceRule(.character, nil, nil, .mknod)])
    }

    @Test func resourcesBeyondDockersFlags() throws {
        let (spec, _) = try Self.map {
            var memory = OCI.Resources.Memory()
            memory.limit = -1
            memory.swappiness = 10
            memory.disableOOMKiller = true
            var cpu = OCI.Resources.CPU()
            cpu.shares = 1_000_000
            cpu.quota = 50000
            cpu.burst = 1000
            cpu.idle = 1
            var blockIO = OCI.Resources.BlockIO()
            blockIO.weight = 500
            blockIO.weightDevice = [.init(major: 8, minor: 0, weight: 100)]
            blockIO.throttleReadBpsDevice = [.init(major: 8, minor: 0, rate: 1_048_576)]
            $0.linux!.resources!.memory = memory
            $0.linux!.resources!.cpu = cpu
            $0.linux!.resources!.pids = OCI.Resources.Pids(limit: -1)
            $0.linux!.resources!.blockIO = blockIO
            $0.linux!.resources!.hugepageLimits = [.init(pageSize: "2MB", limit: 1 << 22)]
            $0.linux!.resources!.rdma = ["mlx5_1": .init(hcaHandles: 3)]
            $0.linux!.resources!.unified = ["memory.high": "1G"]
        }
        let limits = spec.resources
        #expect(limits.pidsLimit == nil && limits.cpuShares == 262_144)
        #expect(OCIFixtures.render(CgroupFiles.writes(for: limits, version: .v1)) == [
            "memory/memory.limit_in_bytes=-1", "memory/memory.memsw.limit_in_bytes=-1", "memory/memory.swappiness=10",
            "memory/memory.oom_control=1", "cpu/cpu.cfs_quota_us=50000", "cpu/cpu.cfs_burst_us=1000", "cpu/cpu.shares=262144",
            "blkio/blkio.weight=500", "blkio/blkio.weight_device=8:0 100", "blkio/blkio.throttle.read_bps_device=8:0 1048576",
            "hugetlb/hugetlb.2MB.limit_in_bytes=4194304", "rdma/rdma.max=mlx5_1 hca_handle=3",
        ])
        #expect(OCIFixtures.render(CgroupFiles.writes(for: limits, version: .v2)) == [
            "memory/memory.max=max", "memory/memory.swap.max=max", "cpu/cpu.max=50000 100000", "cpu/cpu.max.burst=1000",
            "cpu/cpu.weight=10000", "cpu/cpu.idle=1", "io/io.weight=default 4950", "io/io.weight=8:0 910", "io/io.max=8:0 rbps=1048576",
            "hugetlb/hugetlb.2MB.max=4194304", "rdma/rdma.max=mlx5_1 hca_handle=3", "memory/memory.high=1G",
        ])
        // Swap not given is skipped where the kernel keeps no account of it, as runc does.
        #expect(CgroupFiles.writes(for: limits, version: .v1).filter(\.skipIfMissing).map(\.file) == ["memory.memsw.limit_in_bytes"])
        #expect(CgroupFiles.unsupported(limits, version: .v2) == ["linux.resources.memory.swappiness", "linux.resources.memory.disableOOMKiller"])
        #expect(CgroupFiles.unsupported(limits, version: .v1) == ["linux.resources.cpu.idle", "linux.resources.unified"])
    }

    // MARK: The reverse

    /// `sandbox run`'s container written as a config and read back: what OCI can say survives.
    @Test func dockerSpecRoundTrip() throws {
        var run = RunSpec(command: ["sh", "-c", "true"])
        run.rootfs = "/images/busybox"
        run.tty = true
        run.volumes = [try Volume(parsing: "/srv:/data:ro")]
        run.resources = try ResourceLimits(memory: "64m", pidsLimit: "10", host: Fixtures.resources)
        let docker = try ContainerSpec.docker(run)
        let (spec, warnings) = try OCIFixtures.map(try OCI.Config(spec: docker))
        #expect(warnings.isEmpty)
        #expect(spec.process == docker.process && spec.namespaces == docker.namespaces && spec.userNamespace == docker.userNamespace)
        #expect(spec.devices == docker.devices && spec.hostname == docker.hostname)
        // Docker's implied swap limit is written, as dockerd writes it, and so becomes one asked for.
        var resources = docker.resources
        resources.memorySwapGiven = true
        #expect(spec.resources == resources)
        #expect(spec.root == ContainerSpec.Root(path: "/images/busybox", layout: .bind, readOnly: false))
        // The same entries; OCI's /dev nodes and links come after the config's mounts, Docker's before its volumes.
        let order: (MountEntry, MountEntry) -> Bool = { $0.target < $1.target }
        #expect(spec.mounts.sorted(by: order) == docker.mounts.sorted(by: order))
    }
}

extension OCIFixtures {
    static func render(_ writes: [CgroupWrite]) -> [String] {
        writes.map { "\($0.controller)/\($0.file)=\($0.value)" }
    }
}
