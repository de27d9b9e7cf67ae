import CSandbox
import Glibc
import SandboxPolicy

/// The parent's half of `exec`, in two parts that differ in what they wait on.
///
/// `begin`, under the container's lock: clones the joining child, puts it in the container's cgroup with the
/// process's limits before it may join, and lets it go. Nothing there waits on a process the container can
/// reach: the joining child stays outside the container's pid namespace (only the process it clones is born
/// there).
///
/// `Joining.finish`, without the lock: learns the pid of the process and whether it exec'd. That process is
/// in the container's pid namespace from its clone, where pid 1 may stop it (SIGSTOP to `ns_last_pid + 1`)
/// before it reaches its command; so the wait ends once it is seen stopped, or at a deadline, and both
/// processes are then killed through pidfds. A failure on the way leaves no process behind.
struct ExecLaunch {
    let configuration: ExecConfiguration
    let process: ContainerProcess
    /// The container's cgroup directories, from its record.
    let cgroups: [String]

    /// The joining child, let go.
    func begin() throws -> Joining {
        let channel = try ReportChannel()
        var child = sbx_child()
        let spawned = withUnsafePointer(to: configuration.raw) { sbx_exec_spawn($0, channel.child, &child) }
        channel.closeChildEnd()
        guard spawned == 0 else { throw SandboxError("clone the process that joins the container", errno: -spawned) }
        do {
            defer { close(child.go_fd) }
            try prepare(child.pid)
            let released = sbx_release(child.go_fd, nil, 0)
            guard released == 0 else { throw SandboxError("let the process join the container", errno: -released) }
        } catch {
            _ = sbx_pidfd_signal(child.pidfd, SIGKILL)
            _ = sbx_wait(child.pid)
            close(child.pidfd)
            throw error
        }
        return Joining(channel: channel, child: child.pid, childPidfd: child.pidfd)
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

extension ExecLaunch {
    /// How long `exec` lets its process take from the go-ahead to its command's execve: a few milliseconds
    /// unless something in the container holds it back.
    static let startMilliseconds = 10_000

    /// A process that exec'd: sandbox's own child, to be waited for.
    struct Started {
        let pid: pid_t
        /// Signals reach it through this; it stays valid once the process is reaped.
        let pidfd: Int32
    }

    /// An exec on its way: the joining child let go, the process not yet known to have exec'd.
    struct Joining {
        let channel: ReportChannel
        let child: pid_t
        let childPidfd: Int32

        /// How often a process not yet exec'd is looked at for a stop: the answer to a stopping pid 1 comes
        /// this soon, and a launch that goes well never waits for it.
        private static let stopCheckMilliseconds: Int32 = 20

        /// Waits until the joining child has exited and the process exec'd (the channel's EOF), or failed.
        /// - Parameters:
        ///   - deadline: by when it must have exec'd.
        ///   - container: the container's first process: its end ends the wait too (a health check's).
        /// - Throws: the failure a child reported, as `docker exec` exits for it: 127 when the command is not
        ///   found, 126 when it or any step before it failed, or when the process was stopped or late.
        func finish(by deadline: Deadline, unlessEnded container: Int32? = nil) throws -> Started {
            var process: Started?
            var failure: SandboxError?
            var reports = ChildReports(supervisor: nil)
            defer { close(childPidfd) }
            while true {
                var fds = [pollfd(fd: channel.parent, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: container ?? -1, events: Int16(POLLIN), revents: 0)]
                let wait = process == nil ? deadline.remainingMilliseconds : min(deadline.remainingMilliseconds, Self.stopCheckMilliseconds)
                let ready = poll(&fds, 2, wait)
                if ready < 0 && errno == EINTR { continue }
                if ready < 0 {
                    failure = SandboxError("wait for the process that joins the container", errno: errno)
                } else if fds[0].revents != 0 {
                    guard let record = try reports.next(from: channel.parent) else { break }
                    if record.step == SBX_STEP_FORKED {
                        let pid = record.error
                        // sandbox's own child (CLONE_PARENT), not yet reaped: its pid is its own.
                        process = Started(pid: pid, pidfd: sbx_pidfd_open(pid))
                    } else if failure == nil {
                        let error = ChildFailure(record).error(onHostRoot: false)
                        failure = error.exitCode == 125 ? error.with(exitCode: 126) : error
                    }
                    continue
                } else if fds[1].revents != 0 {
                    failure = SandboxError("the container ended before the process ran its command")
                } else if let pid = process?.pid, sbx_is_stopped(pid) == 1 {
                    failure = SandboxError("the process was stopped (by a signal from within the container) before it ran its command; it was killed",
                                           exitCode: 126)
                } else if deadline.hasPassed {
                    failure = SandboxError("the process did not reach its command within \(ExecLaunch.startMilliseconds / 1000) seconds; it was killed",
                                           exitCode: 126)
                } else {
                    continue
                }
                _ = sbx_pidfd_signal(childPidfd, SIGKILL)
                if let process, process.pidfd >= 0 { _ = sbx_pidfd_signal(process.pidfd, SIGKILL) }
                break
            }
            _ = sbx_wait(child)
            if let failure {
                if let process {
                    _ = sbx_wait(process.pid)
                    if process.pidfd >= 0 { close(process.pidfd) }
                }
                throw failure
            }
            guard let process else { throw SandboxError("join the container: the joining process ended without a word") }
            guard process.pidfd >= 0 else {
                _ = sbx_wait(process.pid)
                throw SandboxError("open the process that joined the container", errno: -process.pidfd)
            }
            return process
        }
    }
}
