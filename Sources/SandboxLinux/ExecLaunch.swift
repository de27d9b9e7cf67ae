import CSandbox
import Glibc
import SandboxPolicy

/// The parent's half of `exec`: clones the joining child, puts it in the container's cgroup with the
/// process's limits before it may join, and learns the pid of the process it clones and whether that
/// process exec'd. A failure on the way leaves no process behind.
struct ExecLaunch {
    let configuration: ExecConfiguration
    let process: ContainerProcess
    /// The container's cgroup directories, from its record.
    let cgroups: [String]

    /// - Returns: the pid of the process, as the host sees it: sandbox's own child, which has exec'd.
    /// - Throws: the failure a child reported, as `docker exec` exits for it: 127 when the command is not
    ///   found, 126 when it or any step before it failed.
    func start() throws -> pid_t {
        let channel = try ReportChannel()
        var child = sbx_exec_child()
        let spawned = withUnsafePointer(to: configuration.raw) { sbx_exec_spawn($0, channel.child, &child) }
        channel.closeChildEnd()
        guard spawned == 0 else { throw SandboxError("clone the process that joins the container", errno: -spawned) }
        do {
            defer { close(child.go_fd) }
            try prepare(child.pid)
            let released = sbx_release(child.go_fd, nil, 0)
            guard released == 0 else { throw SandboxError("let the process join the container", errno: -released) }
        } catch {
            kill(child.pid, SIGKILL)
            _ = sbx_wait(child.pid)
            throw error
        }

        // Until EOF: the joining child has exited, and its process has exec'd or failed.
        var pid: pid_t?
        var failure: ChildFailure?
        var reports = ChildReports(supervisor: nil)
        while let record = try reports.next(from: channel.parent) {
            if record.step == SBX_STEP_FORKED {
                pid = record.error
            } else if failure == nil {
                failure = ChildFailure(record)
            }
        }
        _ = sbx_wait(child.pid)
        if let failure {
            if let pid { _ = sbx_wait(pid) }
            let error = failure.error(onHostRoot: false)
            throw error.exitCode == 125 ? error.with(exitCode: 126) : error
        }
        guard let pid else { throw SandboxError("join the container: the joining process ended without a word") }
        return pid
    }

    /// What the joining child takes from the host before it joins, and passes on to the process: the
    /// container's cgroup, so that nothing the process runs is outside it; the limits, while the child is
    /// still host root outside the container's user namespace, where raising a hard limit needs
    /// CAP_SYS_RESOURCE; the OOM score adjustment.
    private func prepare(_ pid: pid_t) throws {
        try ContainerCgroup.join(pid, directories: cgroups)
        for limit in process.rlimits {
            let set = sbx_exec_set_rlimit(pid, limit.resource, limit.soft, limit.hard)
            guard set == 0 else {
                let name = ResourceLimit.resources.first { $0.value == limit.resource }?.key ?? String(limit.resource)
                throw SandboxError("set \(name) to \(limit.soft):\(limit.hard)", errno: -set)
            }
        }
        if let adjustment = process.oomScoreAdj {
            try HostFile.write(String(adjustment), to: "/proc/\(pid)/oom_score_adj")
        }
    }
}
