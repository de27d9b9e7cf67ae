import Glibc
import SandboxPolicy

/// The container's cgroups, open for its process to enter them as it starts: clone puts it in the v2 tree,
/// and it writes "0" into each v1 hierarchy's `tasks` as its first step. Several milliseconds quicker than the
/// parent writing its pid into every cgroup.procs, as sbx_child.h says why.
final class CgroupEntrance {
    /// Each v1 hierarchy's `tasks` file, open for writing, and its path.
    let tasks: [(fd: Int32, path: String)]
    /// The v2 directory, open, when clone puts the child there.
    let tree: Int32?

    /// - Parameter cloneIntoTree: false when the parent clones from within a cgroup namespace it joined: the
    ///   kernel refuses to clone into a cgroup outside it, so the parent moves the child into the v2 tree.
    init(_ cgroup: ContainerCgroup, cloneIntoTree: Bool) throws {
        var tasks: [(fd: Int32, path: String)] = []
        do {
            for path in cgroup.taskFiles {
                let fd = open(path, O_WRONLY | O_CLOEXEC)
                guard fd >= 0 else { throw SandboxError("open \(path)", errno: errno) }
                tasks.append((fd, path))
            }
            if cloneIntoTree, let path = cgroup.tree {
                let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                guard fd >= 0 else { throw SandboxError("open cgroup \(path)", errno: errno) }
                tree = fd
            } else {
                tree = nil
            }
        } catch {
            tasks.forEach { close($0.fd) }
            throw error
        }
        self.tasks = tasks
    }

    deinit {
        tasks.forEach { close($0.fd) }
        if let tree { close(tree) }
    }
}
