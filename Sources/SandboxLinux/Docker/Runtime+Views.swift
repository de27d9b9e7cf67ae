import Glibc
import SandboxOCI
import SandboxPolicy

extension Runtime {
    /// A container as the read-only views (ps, inspect, logs, wait, top, stats) show it: its record, and its
    /// state as Docker names it, checked against the kernel.
    public struct ContainerView {
        public var record: ContainerRecord
        public var state: DockerState
        /// Its state directory.
        public var path: String

        /// The json-file log a detached container's monitor keeps; nil for one run in the foreground or by an
        /// engine, whose output went elsewhere.
        public var logPath: String? {
            StateDirectory.logDirectory(of: path).map { ContainerLog.file(in: $0, id: record.id) }
        }

        public var created: Int64 { DockerTime.parse(record.created) ?? 0 }
    }

    /// The container `reference` names: its name, id, or a prefix of its id only it has.
    public func view(reference: String) throws -> ContainerView {
        try Self.view(of: StateDirectory.open(base: root, reference: reference))
    }

    /// Every container under the root, the newest first, as `docker ps -a` lists them. One whose record cannot
    /// be read (a create half done) is left out.
    public func views() -> [ContainerView] {
        StateDirectory.names(in: root).compactMap { name in
            try? StateDirectory.open(base: root, reference: name)
        }.compactMap { try? Self.view(of: $0) }.sorted { $0.created > $1.created }
    }

    static func view(of directory: StateDirectory) throws -> ContainerView {
        var record = try directory.readRecord()
        let owned = directory.isOwned
        if isOrphaned(record, owned: owned) {
            record = recordKilled(in: directory, fallback: record)
        }
        let engine = record.engine
        let times = (started: record.started.flatMap(DockerTime.parse), finished: engine?.finished.flatMap(DockerTime.parse))
        var state = DockerState(status: .exited, exitCode: engine?.exitCode, started: times.started, finished: times.finished,
                                health: engine?.health?.status.rawValue)
        switch record.status {
        case .creating:
            state.status = .created
        case .created, .running, .paused:
            // Gone, but its monitor is alive: it is about to record how it ended.
            if record.isAlive || owned {
                state.status = record.status == .created ? .created : record.status == .paused ? .paused : .running
                state.exitCode = 0
            }
        case .stopped:
            if owned, let engine, engine.monitor != nil,
               engine.settings.restart.restarts(afterExit: engine.exitCode ?? 0, restarts: engine.restartCount,
                                                stoppedByUser: engine.stoppedByUser) {
                state.status = .restarting
            }
        }
        return ContainerView(record: record, state: state, path: directory.path)
    }

    /// Its process is gone, how it ended was never recorded, and nobody is left to record it: the monitor (or
    /// the foreground `sandbox run`) that owned it was killed, and the kernel killed the container with it
    /// (its parent-death signal is SIGKILL). An engine's container is not one: the engine reaped it and
    /// knows its code, which sandbox does not.
    private static func isOrphaned(_ record: ContainerRecord, owned: Bool) -> Bool {
        guard let engine = record.engine else { return false }
        return [.created, .running, .paused].contains(record.status) && engine.exitCode == nil
            && (engine.monitor != nil || engine.settings.autoRemove) && !owned && !record.isAlive
    }

    /// Records the container as killed (137), as Docker shows a container whose process was SIGKILLed, and
    /// when that was found, the nearest to its end anyone can know. Shown so even when the record cannot be
    /// written.
    private static func recordKilled(in directory: StateDirectory, fallback: ContainerRecord) -> ContainerRecord {
        var killed = fallback
        let write = try? directory.locked { () throws -> ContainerRecord in
            var latest = try directory.readRecord()
            guard isOrphaned(latest, owned: directory.isOwned) else { return latest }
            latest.status = .stopped
            latest.engine?.exitCode = 128 + SIGKILL
            latest.engine?.finished = Timestamp.now()
            try directory.write(latest)
            return latest
        }
        if let write { return write }
        let finished = killed.engine?.finished ?? Timestamp.now()
        killed.status = .stopped
        killed.engine?.exitCode = 128 + SIGKILL
        killed.engine?.finished = finished
        return killed
    }

    /// Blocks until the container's process ends and how it ended is recorded, as `docker wait`.
    /// - Returns: its exit code.
    public func wait(reference: String) throws -> Int32 {
        let directory = try StateDirectory.open(base: root, reference: reference)
        let first = try Self.view(of: directory)
        guard first.record.engine?.monitor != nil else {
            throw SandboxError("container \(first.record.name) was not started with sandbox run -d: nothing records how it ends, so there is nothing to wait for")
        }
        let hold = directory.holdWhileWaiting()
        defer { hold.map { _ = close($0) } }
        while true {
            let view: ContainerView
            do {
                view = try Self.view(of: directory)
            } catch {
                throw SandboxError("container \(first.record.name) was removed before its exit code could be read")
            }
            if view.record.status == .stopped, let code = view.record.engine?.exitCode { return code }
            // The process's end wakes the pidfd at once; its monitor records it a moment later.
            if let pidfd = view.record.identity?.open() {
                var entry = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
                _ = poll(&entry, 1, 1000)
                close(pidfd)
            } else {
                usleep(10_000)
            }
        }
    }
}

extension Runtime {
    /// A detached container's output, as `docker logs` prints it; running or stopped. With `follow`, it goes
    /// on until the container has ended (not to be restarted) or is removed, or its monitor is gone.
    public func logs(reference: String, options: ContainerLog.Options, follow: Bool, emit: (ContainerLog.Entry) -> Void) throws {
        let directory = try StateDirectory.open(base: root, reference: reference)
        let view = try Self.view(of: directory)
        guard let path = view.logPath else {
            throw SandboxError("container \(view.record.name) has no log: only a container started with sandbox run -d keeps one; a foreground run's output went to its terminal, an engine's to the engine")
        }
        try ContainerLog(path: path).read(options, follow: follow, ended: {
            guard directory.isOwned, let now = try? Self.view(of: directory) else { return true }
            return now.state.status == .exited
        }, emit: emit)
    }
}

extension Runtime {
    /// The host's `ps` run with `arguments` (`-ef` when none), cut down to the container's processes, as
    /// `docker top` and `runc ps` show them: host pids, host users.
    public func processTable(reference: String, psArguments: [String]) throws -> ProcessTable {
        let pids = try processes(reference: reference)
        let output = try HostCommand.output(["ps"] + (psArguments.isEmpty ? ["-ef"] : psArguments))
        return try ProcessTable(psOutput: output, pids: Set(pids))
    }
}
