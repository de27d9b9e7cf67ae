import Glibc
@testable import SandboxLinux
@testable import SandboxPolicy

/// A cgroup filesystem in a temporary directory that behaves as the kernel's does where sandbox depends on it:
/// a new cgroup gets the files of the controllers its parent enables (v2) or its hierarchy binds (v1);
/// a write to a file the kernel would not have fails with ENOENT; `+controller` in cgroup.subtree_control
/// needs the controller in cgroup.controllers; a v1 cpuset without CPUs takes no task; a cgroup with tasks or
/// children cannot be removed; cgroup.kill and a signal empty cgroup.procs; a device program attaches to a v2
/// cgroup only. Every write and every program attached is recorded in order.
final class FakeCgroupTree: CgroupFilesystem {
    struct Mount {
        var name: String
        var version: CgroupVersion
        var controllers: [String]
    }

    let root: String
    let mounts: [Mount]
    /// Files a new cgroup lacks, as on a kernel without that feature (memory.memsw.* without swapaccount=1).
    let missing: Set<String>
    private(set) var writes: [(path: String, value: String)] = []
    private(set) var killed: [Int32] = []
    /// The device programs attached, by the path of their cgroup under the root.
    private(set) var deviceFilters: [(path: String, filter: DeviceFilter)] = []

    /// Default files of a new cgroup, per controller and version.
    private static let files: [CgroupVersion: [String: [String: String]]] = [
        .v2: [
            "": ["cgroup.procs": "", "cgroup.subtree_control": "", "cgroup.kill": "", "cgroup.events": "populated 0\n",
                 "cpu.stat": "usage_usec 0\nuser_usec 0\nsystem_usec 0\n"],
            "memory": ["memory.max": "max\n", "memory.swap.max": "max\n", "memory.low": "0\n", "memory.peak": "0\n",
                       "memory.events": "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n"],
            "cpu": ["cpu.max": "max 100000\n", "cpu.weight": "100\n"],
            "cpuset": ["cpuset.cpus": "\n", "cpuset.mems": "\n"],
            "pids": ["pids.max": "max\n", "pids.peak": "0\n"],
        ],
        .v1: [
            "": ["cgroup.procs": "", "tasks": ""],
            "memory": ["memory.limit_in_bytes": "9223372036854771712\n", "memory.memsw.limit_in_bytes": "9223372036854771712\n",
                       "memory.soft_limit_in_bytes": "9223372036854771712\n", "memory.max_usage_in_bytes": "0\n",
                       "memory.oom_control": "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n"],
            "cpu": ["cpu.cfs_period_us": "100000\n", "cpu.cfs_quota_us": "-1\n", "cpu.shares": "1024\n"],
            "cpuacct": ["cpuacct.usage": "0\n"],
            "cpuset": ["cpuset.cpus": "\n", "cpuset.mems": "\n"],
            "pids": ["pids.max": "max\n", "pids.peak": "0\n"],
            "devices": ["devices.allow": "", "devices.deny": "", "devices.list": "a *:* rwm\n"],
        ],
    ]

    init(_ mounts: [Mount], missing: Set<String> = []) {
        var template = Array("/tmp/sandbox-cgroup-XXXXXX".utf8CString)
        root = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        self.mounts = mounts
        self.missing = missing
        for mount in mounts {
            let path = root + "/" + mount.name
            mkdir(path, 0o755)
            populate(path, version: mount.version, controllers: mount.controllers)
            if mount.version == .v2 { put(mount.controllers.joined(separator: " ") + "\n", path + "/cgroup.controllers") }
            if mount.controllers.contains("cpuset") {
                put("0-1\n", path + "/cpuset.cpus")
                put("0\n", path + "/cpuset.mems")
            }
        }
    }

    /// A pure v2 host offering every controller sandbox uses, and io.
    static func unified(missing: Set<String> = []) -> FakeCgroupTree {
        FakeCgroupTree([Mount(name: "cgroup", version: .v2, controllers: ["cpuset", "cpu", "io", "memory", "pids"])], missing: missing)
    }

    /// This machine's layout: v1 controllers, and a v2 tree with none of them.
    static func hybrid(missing: Set<String> = []) -> FakeCgroupTree {
        FakeCgroupTree(["cpu", "cpuacct", "cpuset", "memory", "devices", "pids"].map { Mount(name: $0, version: .v1, controllers: [$0]) }
                       + [Mount(name: "unified", version: .v2, controllers: [])], missing: missing)
    }

    /// A path in the tree, from the names under its root: `path("cgroup", "sandbox", "c1")`.
    func path(_ components: String...) -> String { ([root] + components).joined(separator: "/") }

    /// The first line of a file in the tree, or nil when it is missing.
    func line(_ components: String...) -> String? { value(([root] + components).joined(separator: "/")) }

    deinit { Self.removeAll(root) }

    /// The text /proc/self/mountinfo would hold for these mounts.
    var mountinfo: String {
        mounts.enumerated().map { index, mount in
            let type = mount.version == .v1 ? "cgroup" : "cgroup2"
            let options = mount.version == .v1 ? "rw," + mount.controllers.joined(separator: ",") : "rw,nsdelegate"
            return "\(30 + index) 23 0:\(40 + index) / \(root)/\(mount.name) rw,relatime shared:\(index) - \(type) \(type) \(options)"
        }.joined(separator: "\n") + "\n"
    }

    var hierarchy: CgroupHierarchy { try! CgroupHierarchy(mountinfo: mountinfo, filesystem: self) }

    /// Pretends `pid` is a task of the cgroup at `path`.
    func addTask(_ pid: Int32, to path: String) { put(((try? read(path + "/cgroup.procs")) ?? "") + "\(pid)\n", path + "/cgroup.procs") }

    // MARK: CgroupFilesystem

    func read(_ path: String) throws -> String { try HostFile.read(path) }

    func write(_ value: String, to path: String) throws {
        guard exists(path) else { throw SandboxError("open \(path)", errno: ENOENT) }
        let directory = String(path[..<path.lastIndex(of: "/")!])
        switch path.split(separator: "/").last! {
        case "cgroup.subtree_control":
            let controller = String(value.dropFirst())
            let offered = (try read(directory + "/cgroup.controllers")).split(whereSeparator: \.isWhitespace)
            guard value.hasPrefix("+"), offered.contains(Substring(controller)) else {
                throw SandboxError("write \(path)", errno: EINVAL)
            }
            let enabled = (try read(path)).split(separator: " ").map(String.init) + [controller]
            put(enabled.joined(separator: " "), path)
        case "cgroup.procs":
            if mount(of: path).version == .v1, let cpus = self.value(directory + "/cpuset.cpus"), cpus.isEmpty {
                throw SandboxError("write \(path)", errno: ENOSPC)
            }
            put(try read(path) + value + "\n", path)
        case "cgroup.kill":
            put("", directory + "/cgroup.procs")
        default:
            put(value + "\n", path)
        }
        writes.append((String(path.dropFirst(root.count + 1)), value))
    }

    func makeDirectory(_ path: String) -> Int32 {
        guard mkdir(path, 0o755) == 0 else { return errno }
        let parent = String(path[..<path.lastIndex(of: "/")!])
        let owner = self.mount(of: path)
        let controllers = owner.version == .v1 ? owner.controllers
            : ((try? read(parent + "/cgroup.subtree_control")) ?? "").split(separator: " ").map(String.init)
        populate(path, version: owner.version, controllers: controllers)
        if owner.version == .v2 { put(controllers.joined(separator: " ") + "\n", path + "/cgroup.controllers") }
        return 0
    }

    func removeDirectory(_ path: String) -> Int32 {
        guard exists(path) else { return ENOENT }
        guard tasks(path).isEmpty, directories(in: path).isEmpty else { return EBUSY }
        Self.removeAll(path)
        return 0
    }

    func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    func directories(in path: String) -> [String] { Self.entries(path).filter { $0.isDirectory }.map(\.name) }

    /// Every signal kills, here.
    func signal(_ signal: Int32, processesIn directories: [String], sparing: Int32?) {
        let pids = Set(directories.flatMap(tasks)).subtracting(sparing.map { [$0] } ?? []).sorted()
        killed += pids
        func walk(_ directory: String) {
            let procs = directory + "/cgroup.procs"
            if exists(procs) { put(tasks(directory).filter { !pids.contains($0) }.map { "\($0)\n" }.joined(), procs) }
            for child in self.directories(in: directory) { walk(directory + "/" + child) }
        }
        walk(root)
    }

    func pause() {}

    /// As the kernel, only a directory of a v2 tree takes a device program.
    func attachDeviceFilter(_ filter: DeviceFilter, to directory: String) throws {
        guard exists(directory), mount(of: directory + "/").version == .v2 else {
            throw SandboxError("attach the device program to \(directory)", errno: EBADF)
        }
        deviceFilters.append((String(directory.dropFirst(root.count + 1)), filter))
    }

    // MARK: Files

    private func mount(of path: String) -> Mount { mounts.first { path.hasPrefix(root + "/" + $0.name + "/") }! }

    private func populate(_ path: String, version: CgroupVersion, controllers: [String]) {
        for controller in [""] + controllers {
            for (file, text) in Self.files[version]?[controller] ?? [:] where !missing.contains(file) { put(text, path + "/" + file) }
        }
    }

    private func put(_ text: String, _ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        precondition(fd >= 0, "open \(path)")
        _ = Array(text.utf8).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    private static func entries(_ path: String) -> [(name: String, isDirectory: Bool)] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [(String, Bool)] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append((name, entry.pointee.d_type == UInt8(DT_DIR))) }
        }
        return names
    }

    private static func removeAll(_ path: String) {
        for entry in entries(path) {
            if entry.isDirectory { removeAll(path + "/" + entry.name) } else { unlink(path + "/" + entry.name) }
        }
        rmdir(path)
    }
}
