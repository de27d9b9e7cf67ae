import Glibc
import SandboxOCI
import SandboxPolicy

extension Runtime {
    /// Freezes every process of a running container (the freezer: v1 `freezer.state`, v2 `cgroup.freeze`),
    /// or thaws a paused one.
    /// - Returns: its name, as `docker pause` prints it.
    @discardableResult
    public func setPaused(_ paused: Bool, reference: String) throws -> String {
        let directory = try StateDirectory.open(base: root, reference: reference)
        return try directory.locked {
            var record = try directory.readRecord()
            let status = Self.status(record)
            guard status == (paused ? .running : .paused) else {
                throw SandboxError("container \(record.name) is \(status.rawValue), not \(paused ? "running" : "paused")")
            }
            try ContainerCgroup.existing(directories: record.cgroups, hierarchy: try CgroupHierarchy.host()).freeze(paused)
            record.status = paused ? .paused : .running
            try directory.write(record)
            return record.name
        }
    }

    /// The host pids of every process in a living container, as `runc ps` lists them.
    public func processes(reference: String) throws -> [Int32] {
        let record = try StateDirectory.open(base: root, reference: reference).readRecord()
        guard Self.status(record) != .stopped else { throw SandboxError("container \(record.name) is not running") }
        return ContainerCgroup.tasks(directories: record.cgroups).sorted()
    }
}
