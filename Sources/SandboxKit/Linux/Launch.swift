import CSandbox
import Glibc

/// The parent's half of starting a container: clone, write the id maps, stage the idmapped mounts, give the
/// go-ahead, learn whether the child reached execve, then relay and wait.
struct Launch {
    let plan: LaunchPlan
    let terminal: PseudoTerminal?
    let channel: ReportChannel
    /// Answers the notifications of a notifying filter (`seccomp test`, `seccomp trace`).
    let supervisor: SeccompSupervisor?
    /// Joined by the child before it does anything else, so that all it does is limited and counted.
    let cgroup: ContainerCgroup?

    func run() throws -> Int32 {
        let streams = try self.streams()
        defer { if streams.stdin != STDIN_FILENO && terminal == nil { close(streams.stdin) } }

        let configuration = ChildConfiguration(plan: plan, streams: streams)
        var go: Int32 = -1
        let pid = withUnsafePointer(to: configuration.raw) { sbx_spawn($0, channel.child, &go) }
        channel.closeChildEnd()
        guard pid > 0 else {
            throw SandboxError("clone the container", errno: -pid, hint: -pid == EPERM ? "are user namespaces allowed for this user?" : nil)
        }
        _ = sbx_forward_signals(pid)

        var staged: [String] = []
        do {
            try cgroup?.join(pid)
            if let userNamespace = plan.userNamespace {
                try IDMapWriter(pid: pid).write(userNamespace)
                staged = try stageIdmappedMounts(pid: pid)
            }
            var byte: UInt8 = 1
            guard write(go, &byte, 1) == 1 else { throw SandboxError("start the container", errno: errno) }
            close(go)
        } catch {
            close(go)
            kill(pid, SIGKILL)
            _ = sbx_wait(pid)
            staged.forEach { _ = sbx_detach($0) }
            throw error
        }

        var childFailure: ChildFailure?, listener: Int32 = -1
        do {
            if let supervisor {
                (childFailure, listener) = try SeccompSupervision.start(supervisor, channel: channel.parent)
            } else {
                childFailure = Self.readFailure(channel.parent)
            }
        } catch {
            kill(pid, SIGKILL)
            _ = sbx_wait(pid)
            staged.forEach { _ = sbx_detach($0) }
            throw error
        }
        // The child's mount namespace holds its own copies now; the host keeps none.
        staged.forEach { _ = sbx_detach($0) }
        if let childFailure {
            if listener >= 0 { close(listener) }
            _ = sbx_wait(pid)
            throw childFailure.error(onHostRoot: plan.spec.rootfs == nil)
        }
        if let supervisor, listener >= 0 {
            try SeccompSupervision.serve(supervisor, listener: listener)
        } else if let terminal {
            terminal.closeSlave()
            _ = sbx_relay_terminal(terminal.master, plan.spec.interactive)
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
        if !plan.spec.interactive {
            input = open("/dev/null", O_RDONLY | O_CLOEXEC)
            guard input >= 0 else { throw SandboxError("open /dev/null", errno: errno) }
        }
        return .init(stdin: input, stdout: STDOUT_FILENO, stderr: STDERR_FILENO, controllingTerminal: false)
    }

    /// Attaches each idmapped tree at its staging path, shifted through the child's user namespace.
    private func stageIdmappedMounts(pid: pid_t) throws -> [String] {
        guard !plan.idmappedMounts.isEmpty else { return [] }
        let namespace = open("/proc/\(pid)/ns/user", O_RDONLY | O_CLOEXEC)
        guard namespace >= 0 else { throw SandboxError("open the container's user namespace", errno: errno) }
        defer { close(namespace) }
        var staged: [String] = []
        for mount in plan.idmappedMounts {
            let result = sbx_attach_idmapped(mount.source, mount.staging, namespace)
            guard result == 0 else {
                staged.forEach { _ = sbx_detach($0) }
                throw SandboxError("idmap \(mount.source)", errno: -result, hint: -result == EINVAL
                    ? "its filesystem cannot be idmapped; use --userns host, or keep it on ext4, xfs, btrfs or tmpfs" : nil)
            }
            staged.append(mount.staging)
        }
        return staged
    }

    /// One sbx_failure if a step failed; nil at EOF, when execve closed the pipe.
    private static func readFailure(_ fd: Int32) -> ChildFailure? {
        var record = sbx_failure()
        var count: Int
        repeat {
            count = withUnsafeMutableBytes(of: &record) { read(fd, $0.baseAddress, $0.count) }
        } while count < 0 && errno == EINTR
        guard count > 0 else { return nil }
        guard count == MemoryLayout<sbx_failure>.size else {
            return ChildFailure(step: -1, code: EIO, detail: "(a short report)")
        }
        return ChildFailure(record)
    }

    static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
