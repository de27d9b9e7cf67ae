import CSandbox
import Glibc
import SandboxPolicy

/// The parent's half of starting a container: clone, write the id maps, stage the idmapped mounts, give the
/// go-ahead, learn whether the child reached execve, then relay and wait.
struct Launch {
    let plan: LaunchPlan
    /// The compiled filter; nil: unconfined.
    let seccomp: SeccompProgram?
    /// The caller's stdin reaches the process; otherwise /dev/null.
    let interactive: Bool
    let terminal: PseudoTerminal?
    let channel: ReportChannel
    /// Holds the socket the created child waits on for `start`.
    let state: StateDirectory
    /// That socket, listening; the child accepts on it.
    let startSocket: Int32
    /// Answers the notifications of a notifying filter (`seccomp test`, `seccomp trace`).
    let supervisor: SeccompSupervisor?
    /// Joined by the child before it does anything else, so that all it does is limited and counted.
    let cgroup: ContainerCgroup?

    func run() throws -> Int32 {
        let streams = try self.streams()
        defer { if streams.stdin != STDIN_FILENO && terminal == nil { close(streams.stdin) } }

        let configuration = ChildConfiguration(plan: plan, seccomp: seccomp, streams: streams, console: terminal?.slavePath,
                                               startSocket: startSocket, cgroup: cgroup?.directories ?? [])
        var child = sbx_child()
        let spawned = withUnsafePointer(to: configuration.raw) { sbx_spawn($0, channel.child, &child) }
        channel.closeChildEnd()
        guard spawned == 0 else {
            throw SandboxError("clone the container", errno: -spawned, hint: -spawned == EPERM ? "are user namespaces allowed for this user?" : nil)
        }
        let pid = child.pid
        // The pidfd stays open while sandbox lives: the forwarding handler may use it at any moment.
        _ = sbx_forward_signals(child.pidfd)

        defer { close(child.go_fd) }
        do {
            try cgroup?.join(pid)
            try plan.spec.process.applyOOMScore(to: pid)
            var trees: [Int32] = []
            defer { trees.forEach { close($0) } }
            if let userNamespace = plan.spec.userNamespace {
                try IDMapWriter(pid: pid).write(userNamespace)
                trees = try idmappedTrees(pid: pid)
            }
            let released = sbx_release(child.go_fd, trees, trees.count)
            guard released == 0 else { throw SandboxError("start the container", errno: -released) }
        } catch {
            kill(pid, SIGKILL)
            _ = sbx_wait(pid)
            throw error
        }

        var reports = ChildReports(supervisor: supervisor)
        do {
            // Created: set up to the last step before execve, waiting to be started.
            if let record = try reports.next(from: channel.parent), record.step != SBX_STEP_READY {
                throw ChildFailure(record).error(onHostRoot: plan.spec.root.isHostRoot)
            }
            let ordered = sbx_order(child.go_fd, SBX_ORDER_STAY)
            guard ordered == 0 else { throw SandboxError("start the container", errno: -ordered) }
            var connection: Int32 = -1
            let started = sbx_start_connect(state.fd, StateDirectory.startSocket, &connection)
            guard started == 0 else { throw SandboxError("start the container", errno: -started) }
            defer { close(connection) }
            if let record = try reports.next(from: connection) {
                throw ChildFailure(record).error(onHostRoot: plan.spec.root.isHostRoot)
            }
        } catch {
            if reports.listener >= 0 { close(reports.listener) }
            kill(pid, SIGKILL)
            _ = sbx_wait(pid)
            throw error
        }
        if let supervisor, reports.listener >= 0 {
            try SeccompSupervision.serve(supervisor, listener: reports.listener)
        } else if let terminal {
            terminal.closeSlave()
            _ = sbx_relay_terminal(terminal.master, interactive)
        }
        let status = sbx_wait(pid)
        guard status >= 0 else { throw SandboxError("wait for the container", errno: -status) }
        return Self.exitCode(status)
    }

    /// The child's 0, 1 and 2: the terminal with -t; else the caller's, with stdin only with -i.
    private func streams() throws -> ChildConfiguration.Streams {
        if let terminal {
            return .init(stdin: terminal.slave, stdout: terminal.slave, stderr: terminal.slave, controllingTerminal: true)
        }
        var input = STDIN_FILENO
        if !interactive {
            input = open("/dev/null", O_RDONLY | O_CLOEXEC)
            guard input >= 0 else { throw SandboxError("open /dev/null", errno: errno) }
        }
        return .init(stdin: input, stdout: STDOUT_FILENO, stderr: STDERR_FILENO, controllingTerminal: false)
    }

    /// A detached copy of each idmapped tree, shifted through the child's user namespace, for the child to
    /// attach in its own mount namespace: none of them is ever mounted on the host.
    private func idmappedTrees(pid: pid_t) throws -> [Int32] {
        guard !plan.idmappedMounts.isEmpty else { return [] }
        let namespace = open("/proc/\(pid)/ns/user", O_RDONLY | O_CLOEXEC)
        guard namespace >= 0 else { throw SandboxError("open the container's user namespace", errno: errno) }
        defer { close(namespace) }
        var trees: [Int32] = []
        for mount in plan.idmappedMounts {
            let tree = sbx_idmapped_tree(mount.source, namespace)
            guard tree >= 0 else {
                trees.forEach { close($0) }
                throw SandboxError("idmap \(mount.source)", errno: -tree, hint: -tree == EINVAL
                    ? "its filesystem cannot be idmapped; use --userns host, or keep it on ext4, xfs, btrfs or tmpfs" : nil)
            }
            trees.append(tree)
        }
        return trees
    }

    static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
