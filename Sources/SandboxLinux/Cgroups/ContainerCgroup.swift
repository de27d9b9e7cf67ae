import Glibc
import SandboxPolicy

/// A container's own cgroup: `sandbox/NAME` (or the path an OCI config names) in every hierarchy the host
/// mounts, with the limits and the device rules in force before the container's first instruction runs.
///
/// The order of use: `create` before clone (a bad limit fails before anything starts); the child enters it as
/// its first step (`CgroupEntrance`), so that everything it runs and forks is inside and its new cgroup
/// namespace has this cgroup as /; `usage` once it has ended; `remove` on every way out.
/// A sandbox killed before `remove` leaves its cgroups; the state directory's collection removes them by the
/// directories its record names (`remove(directories:)`).
public struct ContainerCgroup {
    /// The directory under each hierarchy's root that holds the containers' cgroups, as Docker's `docker/`.
    public static let parentName = "sandbox"

    /// A container's cgroup path when its config names none: the only one a `sandbox run` makes.
    public static func defaultPath(name: String) -> String { parentName + "/" + name }

    /// The container's directory in one hierarchy.
    public struct Directory: Equatable, Sendable {
        public var mount: CgroupMount
        public var path: String
    }

    public let directories: [Directory]
    let filesystem: any CgroupFilesystem

    /// The `tasks` file of each v1 hierarchy, which a task enters by writing "0" into it.
    public var taskFiles: [String] { directories.filter { $0.mount.version == .v1 }.map { $0.path + "/tasks" } }

    /// The directory in the v2 tree, if the host mounts one.
    public var tree: String? { directories.first { $0.mount.version == .v2 }?.path }

    /// Makes `sandbox/NAME` in every hierarchy and writes `limits` into it. Nothing is left behind on failure.
    ///
    /// - Parameter devices: enforced by the v1 devices controller and by a device program on the v2 tree,
    ///   both where the host has both (a hybrid): the kernel checks each. nil when the caller is not root,
    ///   who can load no device program; its user namespace already keeps it from the host's devices.
    /// - Parameter path: beneath each hierarchy's root, as `sandbox/NAME`; the directories above the last are
    ///   made if missing and left when the container goes (other containers may share them).
    public static func create(
        path: String, limits: ResourceLimits, devices: DevicePolicy?, hierarchy: CgroupHierarchy,
        filesystem: any CgroupFilesystem = HostCgroupFilesystem()
    ) throws -> ContainerCgroup {
        let components = path.split(separator: "/").map(String.init)
        guard let last = components.last, !components.contains(where: { $0 == "." || $0 == ".." }) else {
            throw SandboxError("invalid cgroup path \"\(path)\"")
        }
        let required = Set(CgroupFiles.writes(for: limits, version: .v1).map(\.controller))
        for controller in required.sorted() where hierarchy.mount(for: controller) == nil {
            throw SandboxError("the \(controller) cgroup controller is not available on this host, and a resource flag needs it")
        }
        // Where no v2 mount has its controller (a hybrid host whose v2 tree has none), such a write would be
        // skipped in silence below.
        let v2Controllers = hierarchy.mounts.filter { $0.version == .v2 }.reduce(into: Set<String>()) { $0.formUnion($1.controllers) }
        for (setting, writes) in CgroupFiles.v2Only(limits) {
            for write in writes where !v2Controllers.contains(write.controller) {
                throw SandboxError("\(setting): \(write.file) needs the \(write.controller) controller on cgroup v2, which this host does not give it")
            }
        }
        let filter = devices.flatMap(DeviceFilter.init(policy:))
        if filter != nil, hierarchy.mount(for: "devices") == nil, !hierarchy.mounts.contains(where: { $0.version == .v2 }) {
            throw SandboxError("this host mounts neither the devices cgroup controller nor cgroup v2: sandbox cannot keep the container from the host's devices")
        }
        var made: [Directory] = []
        do {
            for mount in hierarchy.mounts {
                let backend = mount.backend
                let needed = required.intersection(mount.controllers)
                var parent = mount.path
                try backend.prepareParent(parent, mount: mount, required: needed, filesystem: filesystem)
                for component in components.dropLast() {
                    // Also when it was there: one made by a run killed before it was ready is finished here.
                    _ = try makeDirectory(parent + "/" + component, filesystem: filesystem)
                    try backend.prepareNew(parent + "/" + component, parent: parent, mount: mount, filesystem: filesystem)
                    parent += "/" + component
                    try backend.prepareParent(parent, mount: mount, required: needed, filesystem: filesystem)
                }
                let leaf = parent + "/" + last
                try makeLeaf(leaf, filesystem: filesystem)
                made.append(Directory(mount: mount, path: leaf))
                try backend.prepareNew(leaf, parent: parent, mount: mount, filesystem: filesystem)
                for write in CgroupFiles.writes(for: limits, version: mount.version) where mount.controllers.contains(write.controller) {
                    try set(write, in: leaf, filesystem: filesystem)
                }
                if let devices, mount.version == .v1, mount.controllers.contains("devices") {
                    try set(devices.v1Writes, in: leaf, filesystem: filesystem)
                }
                if let filter, mount.version == .v2 {
                    try filesystem.attachDeviceFilter(filter, to: leaf)
                }
            }
        } catch {
            try? ContainerCgroup(directories: made, filesystem: filesystem).remove()
            throw error
        }
        return ContainerCgroup(directories: made, filesystem: filesystem)
    }

    /// The container's directory in each hierarchy, for `path` (as `create` takes it).
    public static func directories(path: String, hierarchy: CgroupHierarchy) -> [String] {
        // By hand, as bytes: split by Characters and joined, ten paths cost a start a tenth of a millisecond.
        var relative = ""
        for component in path.utf8.split(separator: UInt8(ascii: "/")) {
            relative += (relative.isEmpty ? "" : "/") + String(Substring(component))
        }
        return hierarchy.mounts.map { $0.path + "/" + relative }
    }

    /// Moves `pid` into the container's directory in the v2 tree, if there is one.
    public func joinTree(_ pid: Int32) throws {
        if let tree { try filesystem.write(String(pid), to: tree + "/cgroup.procs") }
    }

    /// Kills what is left in the container's cgroups and removes them. The kernel frees a cgroup a moment
    /// after its last task exits, so a busy one is retried for up to a second.
    public func remove() throws {
        var failure: SandboxError?
        for directory in directories {
            if let error = Self.removeTree(directory.path, backend: directory.mount.backend, filesystem: filesystem) {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }

    /// Moves `pid` into the directories a container's record names: a process joining it (`exec`).
    public static func join(_ pid: Int32, directories paths: [String], filesystem: any CgroupFilesystem = HostCgroupFilesystem()) throws {
        for path in paths { try filesystem.write(String(pid), to: path + "/cgroup.procs") }
    }

    /// Every task in the directories a container's record names, and in the cgroups beneath them.
    public static func tasks(directories paths: [String], filesystem: any CgroupFilesystem = HostCgroupFilesystem()) -> Set<Int32> {
        var tasks = Set<Int32>()
        func collect(_ path: String) {
            tasks.formUnion(filesystem.tasks(path))
            for child in filesystem.directories(in: path) { collect(path + "/" + child) }
        }
        paths.forEach(collect)
        return tasks
    }

    /// Sends `signal` to every process in the directories a container's record names and the cgroups beneath
    /// them but `sparing` (`kill --all`): SIGKILL through cgroup.kill where the kernel has it (every process at
    /// once, even one forking), else each process through a pidfd (`CgroupFilesystem.signal`).
    public static func signal(_ signal: Int32, directories paths: [String], sparing: Int32?,
                              filesystem: any CgroupFilesystem = HostCgroupFilesystem()) {
        if signal == SIGKILL, let tree = paths.first(where: { filesystem.exists($0 + "/cgroup.kill") }),
           (try? filesystem.write("1", to: tree + "/cgroup.kill")) != nil {
            return
        }
        var directories: [String] = []
        func collect(_ path: String) {
            directories.append(path)
            for child in filesystem.directories(in: path) { collect(path + "/" + child) }
        }
        paths.forEach(collect)
        filesystem.signal(signal, processesIn: directories, sparing: sparing)
    }

    /// Removes the cgroup directories a container's record names, killing what is left in them.
    public static func remove(directories paths: [String], filesystem: any CgroupFilesystem = HostCgroupFilesystem()) {
        for path in paths {
            let backend: any CgroupBackend = filesystem.exists(path + "/cgroup.controllers") ? CgroupV2() : CgroupV1()
            _ = removeTree(path, backend: backend, filesystem: filesystem)
        }
    }

    /// True when the directory was made, false when it was there.
    private static func makeDirectory(_ path: String, filesystem: any CgroupFilesystem) throws -> Bool {
        let code = filesystem.makeDirectory(path)
        if code == EEXIST { return false }
        guard code == 0 else {
            let hint = code == EACCES || code == EPERM || code == EROFS
                ? "resource limits need root, or a cgroup v2 subtree delegated to the caller" : nil
            throw SandboxError("create cgroup \(path)", errno: code, hint: hint)
        }
        return true
    }

    /// A leaf of the same name is one a killed sandbox left: it is removed when empty, refused when not.
    private static func makeLeaf(_ path: String, filesystem: any CgroupFilesystem) throws {
        if try makeDirectory(path, filesystem: filesystem) { return }
        guard filesystem.tasks(path).isEmpty, filesystem.removeDirectory(path) == 0,
              try makeDirectory(path, filesystem: filesystem) else {
            throw SandboxError("create cgroup \(path): it exists and still has tasks in it")
        }
    }

    static func set(_ write: CgroupWrite, in leaf: String, filesystem: any CgroupFilesystem) throws {
        let path = leaf + "/" + write.file
        guard filesystem.exists(path) else {
            if write.skipIfMissing { return }
            let hint = write.file.contains("swap") || write.file.contains("memsw")
                ? "the kernel keeps no swap account; boot it with swapaccount=1, or leave out --memory-swap"
                : "this kernel does not support that limit"
            throw SandboxError("cannot write \(write.file) in \(leaf): \(hint)")
        }
        do {
            try filesystem.write(write.value, to: path)
        } catch let error as SandboxError {
            throw error.within("set \(write.file) to \(write.value)")
        }
    }

    /// Writes to the same file in a row go through one open, as `write(each:to:)`.
    static func set(_ writes: [CgroupWrite], in leaf: String, filesystem: any CgroupFilesystem) throws {
        var rest = writes[...]
        while let first = rest.first {
            let run = rest.prefix { $0.file == first.file }
            rest = rest.dropFirst(run.count)
            guard run.count > 1 else {
                try set(first, in: leaf, filesystem: filesystem)
                continue
            }
            let path = leaf + "/" + first.file
            guard filesystem.exists(path) else { throw SandboxError("cannot write \(first.file) in \(leaf): this kernel does not support it") }
            do {
                try filesystem.write(each: run.map(\.value), to: path)
            } catch let error as SandboxError {
                throw error.within("set \(first.file)")
            }
        }
    }

    /// Children first (the container may have made some), each emptied and removed; nil when all went.
    private static func removeTree(_ path: String, backend: any CgroupBackend, filesystem: any CgroupFilesystem) -> SandboxError? {
        // A container's cgroup rarely has any beneath it: one rmdir, and its listing (a v1 directory lists a
        // dozen files, five syscalls a hierarchy) only when the kernel refuses.
        var code = filesystem.removeDirectory(path)
        if code == 0 || code == ENOENT { return nil }
        var failure: SandboxError?
        for child in filesystem.directories(in: path) {
            failure = failure ?? removeTree(path + "/" + child, backend: backend, filesystem: filesystem)
        }
        for _ in 0..<100 {
            code = filesystem.removeDirectory(path)
            guard code == EBUSY else { break }
            backend.killAll(in: path, filesystem: filesystem)
            filesystem.pause()
        }
        guard code == 0 || code == ENOENT else { return failure ?? SandboxError("remove cgroup \(path)", errno: code) }
        return failure
    }
}
