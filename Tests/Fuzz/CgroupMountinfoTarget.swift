import Glibc
import SandboxLinux
import SandboxPolicy

extension FuzzTarget {
    /// /proc/self/mountinfo, then after a `--` line the text of every cgroup2 tree's cgroup.controllers:
    /// the hierarchies found, and the one that holds each controller sandbox limits.
    static let cgroupMountinfo = FuzzTarget(name: "cgroup-mountinfo") { bytes in
        let sections = FuzzInput.sections(bytes)
        let controllers = ControllersFile(text: sections.count > 1 ? sections[1] : nil)
        let hierarchy = try CgroupHierarchy(mountinfo: sections[0], filesystem: controllers)
        for controller in ["cpu", "cpuacct", "cpuset", "memory", "pids"] { _ = hierarchy.mount(for: controller) }
    }
}

/// A cgroup filesystem in which every cgroup.controllers says the same, and nothing else exists.
private struct ControllersFile: CgroupFilesystem {
    var text: String?

    func read(_ path: String) throws -> String {
        guard let text, path.hasSuffix("/cgroup.controllers") else { throw SandboxError("read \(path)", errno: ENOENT) }
        return text
    }
    func write(_ value: String, to path: String) throws { throw SandboxError("write \(path)", errno: EROFS) }
    func makeDirectory(_ path: String) -> Int32 { EROFS }
    func removeDirectory(_ path: String) -> Int32 { EROFS }
    func exists(_ path: String) -> Bool { text != nil && path.hasSuffix("/cgroup.controllers") }
    func directories(in path: String) -> [String] { [] }
    func signal(_ signal: Int32, processesIn directories: [String], sparing: Int32?) {}
    func pause() {}
    func attachDeviceFilter(_ filter: DeviceFilter, to directory: String) throws { throw SandboxError("attach to \(directory)", errno: EROFS) }
}
