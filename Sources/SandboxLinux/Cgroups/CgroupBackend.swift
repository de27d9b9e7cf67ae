import Glibc
import SandboxPolicy

/// What differs between a v1 hierarchy and the v2 tree when a container's cgroup is made and emptied.
/// The limits themselves are not here: CgroupFiles writes them the same way for both.
protocol CgroupBackend {
    /// Readies `directory` to hold child cgroups that can take the limits.
    func prepareParent(_ directory: String, mount: CgroupMount, required: Set<String>, filesystem: any CgroupFilesystem) throws
    /// Readies a directory just made so that a task may join it.
    func prepareNew(_ directory: String, parent: String, mount: CgroupMount, filesystem: any CgroupFilesystem) throws
    /// Kills every task still in `directory`.
    func killAll(in directory: String, filesystem: any CgroupFilesystem)
}

extension CgroupMount {
    var backend: any CgroupBackend { version == .v1 ? CgroupV1() : CgroupV2() }
}

/// v1: one hierarchy per controller, each cgroup usable as soon as it is made, except for cpuset.
struct CgroupV1: CgroupBackend {
    func prepareParent(_ directory: String, mount: CgroupMount, required: Set<String>, filesystem: any CgroupFilesystem) {}

    /// A new v1 cpuset has no CPU and no memory node, and a task cannot join it (ENOSPC) until they are set:
    /// it starts with its parent's, as runc and crun do, and --cpuset-cpus narrows them afterwards.
    func prepareNew(_ directory: String, parent: String, mount: CgroupMount, filesystem: any CgroupFilesystem) throws {
        guard mount.controllers.contains("cpuset") else { return }
        for file in ["cpuset.cpus", "cpuset.mems"] where filesystem.value(directory + "/" + file)?.isEmpty ?? true {
            try filesystem.write(filesystem.value(parent + "/" + file) ?? "", to: directory + "/" + file)
        }
    }

    /// v1 has no cgroup.kill: each process is signalled through a pidfd; the caller retries while new ones appear.
    func killAll(in directory: String, filesystem: any CgroupFilesystem) {
        filesystem.signal(SIGKILL, processesIn: [directory], sparing: nil)
    }
}

/// v2: one tree; a cgroup has the controllers its parent enables in cgroup.subtree_control.
struct CgroupV2: CgroupBackend {
    /// Enables sandbox's controllers in `directory`. One write per controller, so that one the kernel
    /// refuses is named; a refused controller no limit needs is left off (its usage is then not reported).
    func prepareParent(_ directory: String, mount: CgroupMount, required: Set<String>, filesystem: any CgroupFilesystem) throws {
        let control = directory + "/cgroup.subtree_control"
        let enabled = Set((filesystem.value(control) ?? "").split(separator: " ").map(String.init))
        for controller in CgroupHierarchy.v2Controllers where mount.controllers.contains(controller) && !enabled.contains(controller) {
            do {
                try filesystem.write("+" + controller, to: control)
            } catch let error as SandboxError where required.contains(controller) {
                throw SandboxError("enable the \(controller) controller in \(control): \(error.message)")
            } catch {}
        }
    }

    func prepareNew(_ directory: String, parent: String, mount: CgroupMount, filesystem: any CgroupFilesystem) {}

    /// cgroup.kill (Linux 5.14) kills every task at once, even one forking; older kernels get each process
    /// signalled through a pidfd.
    func killAll(in directory: String, filesystem: any CgroupFilesystem) {
        if filesystem.exists(directory + "/cgroup.kill"), (try? filesystem.write("1", to: directory + "/cgroup.kill")) != nil {
            return
        }
        filesystem.signal(SIGKILL, processesIn: [directory], sparing: nil)
    }
}
