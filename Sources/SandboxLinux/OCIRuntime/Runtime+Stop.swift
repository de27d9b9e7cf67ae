import CSandbox
import Glibc
import SandboxOCI
import SandboxPolicy

/// The verbs that end a container, as Docker's: `stop`, `kill`, `rm`, and the first half of `restart`.
///
/// Each one marks the record first, under the container's lock (`stoppedByUser`: its monitor does not start
/// it again, and one about to start it again finds the mark and does not), then signals the process through a
/// pidfd checked to be the recorded one, and waits until the process has ended and the directory's owner (the
/// monitor, or a foreground `sandbox run`) has recorded the end and let go: what the next command reads is
/// then how it ended.
extension Runtime {
    /// How long an ended container's owner may take to record its end, and a process to die of SIGKILL.
    static let settleMilliseconds: Int32 = 10_000

    /// `docker stop`: the plan's signal, then SIGKILL once its time is up. A container already stopped is no
    /// error.
    /// - Parameters: signal, timeout: `-s` and `-t`; nil: the container's own, else Docker's defaults.
    public func stop(reference: String, signal: Signal?, timeout: Int?) throws {
        let directory = try StateDirectory.open(base: root, reference: reference)
        let record = try directory.update { $0.engine?.stoppedByUser = true }
        try end(record, in: directory, plan: StopPlan(signal: signal, timeout: timeout, containerSignal: record.engine?.settings.stopSignal,
                                                     containerTimeout: record.engine?.settings.stopTimeout))
    }

    /// A container whose process has ended: `kill` has nothing to signal. Each form of `kill` words it for
    /// its caller: engines match runc's words to know the failure harmless.
    public struct NotRunning: Error {
        public let id: String
    }

    /// `kill`, in both forms: `signal` to the container's process, or with `all` to every process in its
    /// cgroup. SIGKILL returns once the container has ended, as Docker's.
    /// - Throws: `NotRunning` when its process has ended, unless `all`: as runc's `kill --all`, which
    ///   containerd's shim sends as each container exits, that is no error (what is left in the cgroup is
    ///   still signalled).
    public func kill(reference: String, signal: Signal, all: Bool = false) throws {
        let directory = try StateDirectory.open(base: root, reference: reference)
        var pidfd: Int32 = -1
        let record = try directory.update { record in
            pidfd = record.identity?.open() ?? -1
            guard pidfd >= 0 || all else { throw NotRunning(id: record.id) }
            if signal.endsRestarts(containerSignal: record.engine?.settings.stopSignal) { record.engine?.stoppedByUser = true }
        }
        defer { if pidfd >= 0 { close(pidfd) } }
        if all { ContainerCgroup.signal(signal.number, directories: record.cgroups, sparing: record.pid) }
        guard pidfd >= 0 else { return }
        try send(signal, through: pidfd, to: record, in: directory)
        if signal == .kill { try settle(record, in: directory, pidfd: pidfd) }
    }

    /// `docker rm`: removes a stopped container, its cgroups and its state (and runs an engine's poststop
    /// hooks). A running one is refused unless `force`, which kills it first; an engine's container that waits
    /// to be started is killed, as runc's `delete` does.
    public func remove(reference: String, force: Bool) throws {
        let directory = try StateDirectory.open(base: root, reference: reference)
        let owned = directory.isOwned
        let record = try directory.update { record in
            if !force { try Self.checkRemovable(record, owned: owned) }
            record.engine?.stoppedByUser = true
        }
        try end(record, in: directory, plan: .kill)
        // An owner that removes its container (--rm) has done so.
        guard directory.hasRecord else { return }
        try directory.locked {
            let latest = try directory.readRecord()
            guard !latest.isAlive else { throw Self.running(latest) }
            ContainerCgroup.remove(directories: latest.cgroups)
            directory.remove()
            HookRunner.runWarning(latest.hooks?.poststop ?? [], kind: "poststop", state: Self.state(latest, status: .stopped), warn: warn)
        }
    }

    /// `restart`'s first half: stops a detached container, or finds it stopped, and keeps it (even one run with
    /// --rm) for the monitor `restart` starts next in the same directory.
    /// - Returns: its record, with the command line to start it with.
    public func stopForRestart(reference: String, signal: Signal?, timeout: Int?) throws -> ContainerRecord {
        let directory = try StateDirectory.open(base: root, reference: reference)
        let record = try directory.update { record in
            guard var engine = record.engine, engine.monitor != nil else {
                throw SandboxError("cannot restart container \(record.name): only a container started by sandbox run -d can be restarted")
            }
            engine.stoppedByUser = true
            engine.settings.autoRemove = false
            record.engine = engine
        }
        try end(record, in: directory, plan: StopPlan(signal: signal, timeout: timeout, containerSignal: record.engine?.settings.stopSignal,
                                                     containerTimeout: record.engine?.settings.stopTimeout))
        return record
    }

    /// Signals the recorded process as the plan says, and waits for its end to be recorded.
    private func end(_ record: ContainerRecord, in directory: StateDirectory, plan: StopPlan) throws {
        guard let pidfd = record.identity?.open() else { return try settle(record, in: directory, pidfd: nil) }
        defer { close(pidfd) }
        try send(plan.signal, through: pidfd, to: record, in: directory)
        if plan.signal != .kill, sbx_pidfd_wait(pidfd, plan.milliseconds) == 0 {
            try send(.kill, through: pidfd, to: record, in: directory)
        }
        try settle(record, in: directory, pidfd: pidfd)
    }

    /// A frozen process takes no signal: a paused container is thawed once it was sent, as Docker does.
    private func send(_ signal: Signal, through pidfd: Int32, to record: ContainerRecord, in directory: StateDirectory) throws {
        let sent = sbx_pidfd_signal(pidfd, signal.number)
        guard sent == 0 || sent == -ESRCH else { throw SandboxError("signal container \(record.name)", errno: -sent) }
        guard record.status == .paused, !record.cgroups.isEmpty else { return }
        try ContainerCgroup.existing(directories: record.cgroups, hierarchy: try CgroupHierarchy.host()).freeze(false)
        try directory.update { if $0.status == .paused { $0.status = .running } }
    }

    /// Waits for the process to end and the directory's owner to let go: a monitor, which exits once a user
    /// stopped its container, to end; a foreground `sandbox run` to release the directory.
    private func settle(_ record: ContainerRecord, in directory: StateDirectory, pidfd: Int32?) throws {
        if let pidfd, sbx_pidfd_wait(pidfd, Self.settleMilliseconds) != 1 {
            throw SandboxError("container \(record.name) did not end \(Self.settleMilliseconds / 1000) seconds after SIGKILL")
        }
        let monitor = record.engine?.monitor?.open()
        defer { if let monitor { close(monitor) } }
        guard monitor.map({ sbx_pidfd_wait($0, Self.settleMilliseconds) == 1 }) ?? true,
              directory.waitUntilReleased(milliseconds: Int(Self.settleMilliseconds)) else {
            throw SandboxError("container \(record.name) ended, but its monitor did not record it in \(Self.settleMilliseconds / 1000) seconds")
        }
    }

    /// Docker's refusals of `rm` without `-f`.
    private static func checkRemovable(_ record: ContainerRecord, owned: Bool) throws {
        let status = status(record)
        if status == .paused {
            throw SandboxError("cannot remove container \"\(record.name)\": container is paused: unpause the container before stopping or removing")
        }
        if status == .running || (status == .created || status == .creating) && owned {
            throw running(record)
        }
        // Ended, and its monitor about to start it again (not merely about to exit).
        if status == .stopped, owned, let engine = record.engine, let code = engine.exitCode,
           engine.settings.restart.restarts(afterExit: code, restarts: engine.restartCount, stoppedByUser: engine.stoppedByUser) {
            throw SandboxError("cannot remove container \"\(record.name)\": container is restarting: stop the container before removing or force remove")
        }
    }

    private static func running(_ record: ContainerRecord) -> SandboxError {
        SandboxError("cannot remove container \"\(record.name)\": container is running: stop the container before removing or force remove")
    }
}
