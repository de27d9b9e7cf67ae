import Glibc
import PolicyFixtures
import Testing
@testable import SandboxLinux
@testable import SandboxPolicy

/// Detection from mountinfo, the container's cgroup in a fake v2 tree and a fake hybrid host, and one real
/// v1 cgroup on this machine.
struct CgroupHierarchyTests {
    /// Files given as text, for detection: only a v2 tree's cgroup.controllers is read.
    struct StaticFiles: CgroupFilesystem {
        var files: [String: String] = [:]
        func read(_ path: String) throws -> String {
            guard let text = files[path] else { throw SandboxError("read \(path)", errno: ENOENT) }
            return text
        }
        func write(_ value: String, to path: String) throws { throw SandboxError("write \(path)", errno: EROFS) }
        func makeDirectory(_ path: String) -> Int32 { EROFS }
        func removeDirectory(_ path: String) -> Int32 { EROFS }
        func exists(_ path: String) -> Bool { files[path] != nil }
        func directories(in path: String) -> [String] { [] }
        func signal(_ signal: Int32, processesIn directories: [String], sparing: Int32?) {}
        func pause() {}
        func attachDeviceFilter(_ filter: DeviceFilter, to directory: String) throws { throw SandboxError("bpf", errno: EPERM) }
    }

    static let unified = """
        22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/root rw
        25 20 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
        """
    static let legacy = """
        24 18 0:20 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:8 - tmpfs tmpfs ro,mode=755
        25 24 0:21 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:9 - cgroup cgroup rw,xattr,release_agent=/usr/lib/systemd/systemd-cgroups-agent,name=systemd
        28 24 0:24 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,cpu,cpuacct
        29 24 0:25 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:11 master:3 - cgroup cgroup rw,memory
        30 24 0:26 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,cpuset,clone_children
        31 24 0:27 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,pids
        40 35 0:25 / /mnt/memory\\040copy rw,relatime shared:11 - cgroup cgroup rw,memory
        """
    /// This machine's.
    static let hybrid = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """
    static let files = StaticFiles(files: [
        "/sys/fs/cgroup/cgroup.controllers": "cpuset cpu io memory hugetlb pids rdma misc\n",
        "/sys/fs/cgroup/unified/cgroup.controllers": "hugetlb\n",
    ])

    @Test(arguments: [
        (unified, CgroupHierarchy.Mode.unified, ["v2 /sys/fs/cgroup cpu,cpuset,hugetlb,io,memory,misc,pids,rdma"]),
        // The same hierarchy bound twice (0:25) is one; a named hierarchy binds no controller.
        (legacy, .legacy, ["v1 /sys/fs/cgroup/systemd ", "v1 /sys/fs/cgroup/cpu,cpuacct cpu,cpuacct",
                           "v1 /sys/fs/cgroup/memory memory", "v1 /sys/fs/cgroup/cpuset cpuset", "v1 /sys/fs/cgroup/pids pids"]),
        (hybrid, .hybrid, ["v1 /sys/fs/cgroup/cpu cpu", "v1 /sys/fs/cgroup/cpuacct cpuacct", "v1 /sys/fs/cgroup/cpuset cpuset",
                           "v1 /sys/fs/cgroup/memory memory", "v1 /sys/fs/cgroup/devices devices", "v1 /sys/fs/cgroup/pids pids",
                           "v1 /sys/fs/cgroup/systemd ", "v2 /sys/fs/cgroup/unified hugetlb"]),
    ] as [(String, CgroupHierarchy.Mode, [String])])
    func detectsTheLayout(mountinfo: String, mode: CgroupHierarchy.Mode, mounts: [String]) throws {
        let hierarchy = try CgroupHierarchy(mountinfo: mountinfo, filesystem: Self.files)
        #expect(hierarchy.mode == mode)
        #expect(hierarchy.mounts.map { "\($0.version) \($0.path) \($0.controllers.sorted().joined(separator: ","))" } == mounts)
    }

    /// Each controller has one home: a v1 hierarchy that binds it wins over the v2 tree, which cannot offer it then.
    @Test(arguments: [
        (hybrid, "memory", "/sys/fs/cgroup/memory"), (hybrid, "hugetlb", "/sys/fs/cgroup/unified"), (hybrid, "io", nil),
        (legacy, "cpuacct", "/sys/fs/cgroup/cpu,cpuacct"), (unified, "pids", "/sys/fs/cgroup"),
    ] as [(String, String, String?)])
    func findsEachControllersHierarchy(mountinfo: String, controller: String, path: String?) throws {
        #expect(try CgroupHierarchy(mountinfo: mountinfo, filesystem: Self.files).mount(for: controller)?.path == path)
    }

    @Test func unescapesMountPoints() throws {
        let line = "40 35 0:25 / /mnt/my\\040cgroup\\134x rw - cgroup2 cgroup2 rw"
        #expect(try CgroupHierarchy(mountinfo: line, filesystem: Self.files).mounts.map(\.path) == ["/mnt/my cgroup\\x"])
    }

    @Test func refusesAHostWithoutCgroups() {
        let mountinfo = "22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/root rw\n"
        let error = #expect(throws: SandboxError.self) { try CgroupHierarchy(mountinfo: mountinfo, filesystem: Self.files) }
        #expect(error?.message == "no cgroup filesystem is mounted: resource limits need one at /sys/fs/cgroup")
    }

    // MARK: A fake v2 tree

    /// Each flag, written in a v2 tree: the file in the container's cgroup holds the value.
    @Test(arguments: [
        (["memory": "32m"], "memory.max", "33554432"), (["memory": "32m"], "memory.swap.max", "33554432"),
        (["memory": "32m", "memory-swap": "32m"], "memory.swap.max", "0"),
        (["memory": "32m", "memory-swap": "-1"], "memory.swap.max", "max"),
        (["memory-reservation": "16m"], "memory.low", "16777216"),
        (["cpus": "0.5"], "cpu.max", "50000 100000"), (["cpu-period": "20000"], "cpu.max", "max 20000"),
        (["cpu-quota": "30000", "cpu-period": "60000"], "cpu.max", "30000 60000"),
        (["cpu-shares": "512"], "cpu.weight", "20"), (["cpuset-cpus": "1"], "cpuset.cpus", "1"),
        (["cpuset-mems": "0"], "cpuset.mems", "0"), (["pids-limit": "20"], "pids.max", "20"),
    ] as [([String: String], String, String)])
    func v2FileHoldsTheLimit(flags: [String: String], file: String, value: String) throws {
        let tree = FakeCgroupTree.unified()
        let cgroup = try ContainerCgroup.create(path: "sandbox/c1", limits: Fixtures.limits(flags), devices: nil, hierarchy: tree.hierarchy, filesystem: tree)
        #expect(tree.line("cgroup", "sandbox", "c1", file) == value)
        try cgroup.remove()
    }

    @Test func v2EnablesControllersThenPlacesAndRemoves() throws {
        let tree = FakeCgroupTree.unified()
        let limits = try Fixtures.limits(["memory": "32m", "cpus": "0.5", "pids-limit": "20"])
        let cgroup = try ContainerCgroup.create(path: "sandbox/c1", limits: limits, devices: nil, hierarchy: tree.hierarchy, filesystem: tree)
        #expect(tree.writes.map { "\($0.path)=\($0.value)" } == [
            "cgroup/cgroup.subtree_control=+cpu", "cgroup/cgroup.subtree_control=+cpuset",
            "cgroup/cgroup.subtree_control=+memory", "cgroup/cgroup.subtree_control=+pids",
            "cgroup/sandbox/cgroup.subtree_control=+cpu", "cgroup/sandbox/cgroup.subtree_control=+cpuset",
            "cgroup/sandbox/cgroup.subtree_control=+memory", "cgroup/sandbox/cgroup.subtree_control=+pids",
            "cgroup/sandbox/c1/memory.max=33554432", "cgroup/sandbox/c1/memory.swap.max=33554432",
            "cgroup/sandbox/c1/cpu.max=50000 100000", "cgroup/sandbox/c1/pids.max=20",
        ])
        #expect(cgroup.taskFiles.isEmpty && cgroup.tree == tree.path("cgroup", "sandbox", "c1"))
        try cgroup.joinTree(4242)
        #expect(tree.line("cgroup", "sandbox", "c1", "cgroup.procs") == "4242")

        // A task still inside is killed with cgroup.kill, not by its pid.
        try cgroup.remove()
        #expect(!tree.exists(tree.path("cgroup", "sandbox", "c1")))
        #expect(tree.exists(tree.path("cgroup", "sandbox")))
        #expect(tree.writes.last.map { "\($0.path)=\($0.value)" } == "cgroup/sandbox/c1/cgroup.kill=1")
        #expect(tree.killed.isEmpty)
    }

    /// A second container finds the controllers enabled and writes none again.
    @Test func v2SecondContainerReusesTheParent() throws {
        let tree = FakeCgroupTree.unified()
        let limits = try Fixtures.limits(["pids-limit": "5"])
        let first = try ContainerCgroup.create(path: "sandbox/c1", limits: limits, devices: nil, hierarchy: tree.hierarchy, filesystem: tree)
        let before = tree.writes.count
        let second = try ContainerCgroup.create(path: "sandbox/c2", limits: limits, devices: nil, hierarchy: tree.hierarchy, filesystem: tree)
        #expect(tree.writes.dropFirst(before).map(\.path) == ["cgroup/sandbox/c2/pids.max"])
        try first.remove()
        try second.remove()
    }

    @Test func v2WithoutANeededControllerFailsAndLeavesNothing() throws {
        let tree = FakeCgroupTree([.init(name: "cgroup", version: .v2, controllers: ["memory", "pids"])])
        let error = #expect(throws: SandboxError.self) {
            try ContainerCgroup.create(path: "sandbox/c1", limits: Fixtures.limits(["cpus": "1"]), devices: nil, hierarchy: tree.hierarchy, filesystem: tree)
        }
        #expect(error?.message == "the cpu cgroup controller is not available on this host, and a resource flag needs it")
        #expect(!tree.exists(tree.path("cgroup", "sandbox")))
    }

    /// Without swap accounting, Docker's implied swap is dropped; a `--memory-swap` the user gave fails, and
    /// what was made is removed.
    @Test func swapWithoutSwapAccounting() throws {
        let tree = FakeCgroupTree.unified(missing: ["memory.swap.max"])
        let implied = try ContainerCgroup.create(path: "sandbox/c1", limits: Fixtures.limits(["memory": "32m"]), devices: nil,
                                                 hierarchy: tree.hierarchy, filesystem: tree)
        #expect(tree.line("cgroup", "sandbox", "c1", "memory.max") == "33554432")
        try implied.remove()
        let error = #expect(throws: SandboxError.self) {
            try ContainerCgroup.create(path: "sandbox/c2", limits: Fixtures.limits(["memory": "32m", "memory-swap": "64m"]), devices: nil,
                                       hierarchy: tree.hierarchy, filesystem: tree)
        }
        #expect(error?.message == "cannot write memory.swap.max in \(tree.path("cgroup", "sandbox", "c2")): the kernel keeps no swap account; boot it with swapaccount=1, or leave out --memory-swap")
        #expect(!tree.exists(tree.path("cgroup", "sandbox", "c2")))
    }

    @Test func v2Usage() throws {
        let tree = FakeCgroupTree.unified()
        let cgroup = try ContainerCgroup.create(path: "sandbox/c1", limits: ResourceLimits(), devices: nil, hierarchy: tree.hierarchy, filesystem: tree)
        try tree.write("1048576", to: tree.path("cgroup", "sandbox", "c1", "memory.peak"))
        try tree.write("usage_usec 2500\nuser_usec 2000\nsystem_usec 500", to: tree.path("cgroup", "sandbox", "c1", "cpu.stat"))
        try tree.write("3", to: tree.path("cgroup", "sandbox", "c1", "pids.peak"))
        try tree.write("low 0\nhigh 0\nmax 4\noom 1\noom_kill 1", to: tree.path("cgroup", "sandbox", "c1", "memory.events"))
        #expect(cgroup.usage() == CgroupUsage(memoryPeak: 1_048_576, cpuNanoseconds: 2_500_000, pidsPeak: 3, oomKills: 1))
        try cgroup.remove()
    }

    // MARK: A fake hybrid host

    /// Limits go to the v1 hierarchies; the v2 tree gets the container's cgroup for placement alone; a new v1
    /// cpuset starts with its parent's CPUs, so that a task can join it.
    @Test func hybridWritesToV1AndCopiesTheCpuset() throws {
        let tree = FakeCgroupTree.hybrid()
        let limits = try Fixtures.limits(["memory": "32m", "cpu-shares": "512", "pids-limit": "9"])
        let cgroup = try ContainerCgroup.create(path: "sandbox/c1", limits: limits, devices: nil, hierarchy: tree.hierarchy, filesystem: tree)
        #expect(cgroup.taskFiles == ["cpu", "cpuacct", "cpuset", "memory", "devices", "pids"].map { tree.path($0, "sandbox", "c1", "tasks") })
        #expect(cgroup.tree == tree.path("unified", "sandbox", "c1"))
        #expect(tree.line("memory", "sandbox", "c1", "memory.limit_in_bytes") == "33554432")
        #expect(tree.line("memory", "sandbox", "c1", "memory.memsw.limit_in_bytes") == "67108864")
        #expect(tree.line("cpu", "sandbox", "c1", "cpu.shares") == "512")
        #expect(tree.line("pids", "sandbox", "c1", "pids.max") == "9")
        #expect(tree.line("cpuset", "sandbox", "cpuset.cpus") == "0-1")
        #expect(tree.line("cpuset", "sandbox", "c1", "cpuset.cpus") == "0-1")
        #expect(tree.line("cpuset", "sandbox", "c1", "cpuset.mems") == "0")
        #expect(!tree.writes.contains { $0.path.hasPrefix("unified/") && !$0.path.hasSuffix("cgroup.procs") })
        try ContainerCgroup.join(77, directories: cgroup.directories.map(\.path), filesystem: tree)

        // v1 has no cgroup.kill: the task is signalled, and every hierarchy lets go of it.
        try cgroup.remove()
        #expect(tree.killed.contains(77))
        for name in ["cpu", "cpuacct", "cpuset", "memory", "devices", "pids", "unified"] { #expect(!tree.exists(tree.path(name, "sandbox", "c1"))) }
    }

    @Test func hybridCpusetNarrowsTheCopy() throws {
        let tree = FakeCgroupTree.hybrid()
        let cgroup = try ContainerCgroup.create(path: "sandbox/c1", limits: Fixtures.limits(["cpuset-cpus": "1"]), devices: nil,
                                                hierarchy: tree.hierarchy, filesystem: tree)
        #expect(tree.line("cpuset", "sandbox", "c1", "cpuset.cpus") == "1")
        #expect(tree.line("cpuset", "sandbox", "c1", "cpuset.mems") == "0")
        try cgroup.remove()
    }

    @Test func hybridUsageComesFromV1() throws {
        let tree = FakeCgroupTree.hybrid()
        let cgroup = try ContainerCgroup.create(path: "sandbox/c1", limits: ResourceLimits(), devices: nil, hierarchy: tree.hierarchy, filesystem: tree)
        try tree.write("2097152", to: tree.path("memory", "sandbox", "c1", "memory.max_usage_in_bytes"))
        try tree.write("oom_kill_disable 0\nunder_oom 0\noom_kill 2", to: tree.path("memory", "sandbox", "c1", "memory.oom_control"))
        try tree.write("123456789", to: tree.path("cpuacct", "sandbox", "c1", "cpuacct.usage"))
        try tree.write("4", to: tree.path("pids", "sandbox", "c1", "pids.peak"))
        #expect(cgroup.usage() == CgroupUsage(memoryPeak: 2_097_152, cpuNanoseconds: 123_456_789, pidsPeak: 4, oomKills: 2))
        try cgroup.remove()
    }

    /// `kill --all`: SIGKILL through cgroup.kill where there is one; any other signal, and SIGKILL without
    /// cgroup.kill, to each process in the container's cgroups and beneath them, once, but the one spared.
    @Test func signalReachesEveryProcessBeneathButTheSparedOne() throws {
        let tree = FakeCgroupTree.hybrid()
        let cgroup = try ContainerCgroup.create(path: "sandbox/c1", limits: ResourceLimits(), devices: nil, hierarchy: tree.hierarchy, filesystem: tree)
        let paths = cgroup.directories.map(\.path)
        _ = tree.makeDirectory(tree.path("memory", "sandbox", "c1", "inner"))
        try ContainerCgroup.join(1, directories: paths, filesystem: tree)
        try ContainerCgroup.join(2, directories: paths, filesystem: tree)
        tree.addTask(3, to: tree.path("memory", "sandbox", "c1", "inner"))
        ContainerCgroup.signal(SIGTERM, directories: paths, sparing: 1, filesystem: tree)
        #expect(tree.killed == [2, 3])
        #expect(!tree.writes.contains { $0.path.hasSuffix("cgroup.kill") })

        try ContainerCgroup.join(4, directories: paths, filesystem: tree)
        ContainerCgroup.signal(SIGKILL, directories: paths, sparing: 1, filesystem: tree)
        #expect(tree.writes.last.map { "\($0.path)=\($0.value)" } == "unified/sandbox/c1/cgroup.kill=1")
        #expect(tree.killed == [2, 3])
    }

    // MARK: What killed runs leave

    /// A killed run's record names its cgroup directories: they are emptied and removed, and only they.
    @Test func removesTheDirectoriesARecordNames() throws {
        let tree = FakeCgroupTree.hybrid()
        var dead: ContainerCgroup?
        for name in ["running", "dead"] {
            let cgroup = try ContainerCgroup.create(path: "sandbox/" + name, limits: ResourceLimits(), devices: nil, hierarchy: tree.hierarchy, filesystem: tree)
            if name == "dead" { dead = cgroup }
        }
        tree.addTask(99, to: tree.path("memory", "sandbox", "dead"))
        ContainerCgroup.remove(directories: try #require(dead).directories.map(\.path), filesystem: tree)
        for name in ["cpu", "memory", "unified"] {
            #expect(tree.directories(in: tree.path(name, "sandbox")).sorted() == ["running"])
        }
        #expect(tree.killed == [99])
    }

    /// An OCI config's cgroupsPath: the directories above the container's are made, and left when it goes.
    @Test func nestedPath() throws {
        let tree = FakeCgroupTree.hybrid()
        let cgroup = try ContainerCgroup.create(path: "/libpod_parent/libpod-1", limits: ResourceLimits(), devices: nil,
                                                hierarchy: tree.hierarchy, filesystem: tree)
        #expect(cgroup.directories.map(\.path).contains(tree.path("memory", "libpod_parent", "libpod-1")))
        try cgroup.remove()
        #expect(tree.exists(tree.path("memory", "libpod_parent")))
        #expect(!tree.exists(tree.path("memory", "libpod_parent", "libpod-1")))
    }

    /// A leaf of the same name left by a killed run is reused when empty, refused when a task is in it.
    @Test func staleLeaf() throws {
        let tree = FakeCgroupTree.unified()
        #expect(tree.makeDirectory(tree.path("cgroup", "sandbox")) == 0)
        #expect(tree.makeDirectory(tree.path("cgroup", "sandbox", "c1")) == 0)
        let cgroup = try ContainerCgroup.create(path: "sandbox/c1", limits: ResourceLimits(), devices: nil, hierarchy: tree.hierarchy, filesystem: tree)
        tree.addTask(5, to: tree.path("cgroup", "sandbox", "c1"))
        let error = #expect(throws: SandboxError.self) {
            try ContainerCgroup.create(path: "sandbox/c1", limits: ResourceLimits(), devices: nil, hierarchy: tree.hierarchy, filesystem: tree)
        }
        #expect(error?.message == "create cgroup \(tree.path("cgroup", "sandbox", "c1")): it exists and still has tasks in it")
        try cgroup.remove()
    }

    // MARK: This machine

    static var hostHasV1Memory: Bool {
        getuid() == 0 && (try? CgroupHierarchy.host())?.mount(for: "memory")?.version == .v1
    }

    /// A real v1 cgroup: the limit reads back from the kernel, a process joins it, and removing it kills the
    /// process and leaves nothing under /sys/fs/cgroup/*/sandbox.
    @Test(.enabled(if: hostHasV1Memory, "needs root and a v1 memory hierarchy, as on this hybrid machine"))
    func realV1Cgroup() throws {
        let hierarchy = try CgroupHierarchy.host()
        let name = "test-\(UInt32.random(in: .min ... .max))"
        let limits = try ResourceLimits(memory: "32m", pidsLimit: "20", host: .online())
        let cgroup = try ContainerCgroup.create(path: "sandbox/" + name, limits: limits, devices: nil, hierarchy: hierarchy)
        let parents = hierarchy.mounts.map { $0.path + "/" + ContainerCgroup.parentName }
        defer {
            try? cgroup.remove()
            for parent in parents { rmdir(parent) }
        }
        let memory = hierarchy.mount(for: "memory")!.path + "/sandbox/" + name
        #expect(try HostFile.read(memory + "/memory.limit_in_bytes") == "33554432\n")
        #expect(try HostFile.read(hierarchy.mount(for: "pids")!.path + "/sandbox/\(name)/pids.max") == "20\n")

        var pid: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("sleep"), strdup("30"), nil]
        defer { argv.forEach { free($0) } }
        #expect(posix_spawn(&pid, "/bin/sleep", nil, nil, &argv, environ) == 0)
        try ContainerCgroup.join(pid, directories: cgroup.directories.map(\.path))
        #expect(try HostFile.read("/proc/\(pid)/cgroup").contains(":memory:/sandbox/\(name)\n"))
        let usage = cgroup.usage()
        #expect(usage.memoryPeak != nil)
        #expect(usage.cpuNanoseconds != nil)
        #expect(usage.oomKills == 0)

        try cgroup.remove()
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid)
        #expect(status & 0x7f == SIGKILL)
        for parent in parents { #expect(!HostFile.exists(parent + "/" + name)) }
    }
}
