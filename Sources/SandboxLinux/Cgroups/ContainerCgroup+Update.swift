import Glibc
import SandboxPolicy

extension ContainerCgroup {
    /// A living container's cgroup, from the directories its record names, each matched to the hierarchy it is in.
    public static func existing(directories paths: [String], hierarchy: CgroupHierarchy,
                                filesystem: any CgroupFilesystem = HostCgroupFilesystem()) -> ContainerCgroup {
        let directories = paths.compactMap { path in
            hierarchy.mounts.first { path.hasPrefix($0.path + "/") }.map { Directory(mount: $0, path: path) }
        }
        return ContainerCgroup(directories: directories, filesystem: filesystem)
    }

    /// Changes the limits `limits` sets (those it leaves nil stay as they are), as `update` does. A memory limit
    /// below what the container uses now is refused, as Docker's: the kernel would reclaim or kill to reach it.
    public func update(_ limits: ResourceLimits) throws {
        if let memory = limits.memory, let usage = memoryUsage, memory < usage {
            throw SandboxError("cannot set the memory limit to \(memory) bytes: the container already uses \(usage)")
        }
        for directory in directories {
            var writes = CgroupFiles.writes(for: limits, version: directory.mount.version)
                .filter { directory.mount.controllers.contains($0.controller) }
            // v1 keeps memory+swap at least as large as memory: a limit raised past it needs memory+swap first.
            if let swap = writes.firstIndex(where: { $0.file == "memory.memsw.limit_in_bytes" }),
               let memory = writes.firstIndex(where: { $0.file == "memory.limit_in_bytes" }), memory < swap,
               let current = filesystem.value(directory.path + "/memory.memsw.limit_in_bytes").flatMap({ Int64($0) }),
               let wanted = limits.memory, wanted > current {
                writes.swapAt(memory, swap)
            }
            for write in writes { try Self.set(write, in: directory.path, filesystem: filesystem) }
        }
    }

    /// Bytes in use now, from whichever hierarchy keeps the count.
    var memoryUsage: Int64? {
        for directory in directories where directory.mount.controllers.contains("memory") {
            let file = directory.mount.version == .v1 ? "memory.usage_in_bytes" : "memory.current"
            if let value = filesystem.value(directory.path + "/" + file), let bytes = Int64(value) { return bytes }
        }
        return nil
    }
}

extension ContainerCgroup {
    /// The freezer of whichever hierarchy has one: a v1 freezer controller, else the v2 tree's cgroup.freeze.
    func freeze(_ frozen: Bool) throws {
        if let directory = directories.first(where: { $0.mount.version == .v1 && $0.mount.controllers.contains("freezer") }) {
            try filesystem.write(frozen ? "FROZEN" : "THAWED", to: directory.path + "/freezer.state")
            // FREEZING until every task has stopped: pause returns once they all have.
            for _ in 0..<500 where frozen && filesystem.value(directory.path + "/freezer.state") != "FROZEN" { filesystem.pause() }
        } else if let directory = directories.first(where: { $0.mount.version == .v2 && filesystem.exists($0.path + "/cgroup.freeze") }) {
            try filesystem.write(frozen ? "1" : "0", to: directory.path + "/cgroup.freeze")
        } else {
            throw SandboxError("this host has no cgroup freezer: pause needs the freezer controller or cgroup v2")
        }
    }
}
