import CSandbox
import Glibc
import SandboxJSON
import SandboxPolicy

/// The parent of a detached container (`sandbox run -d`): a small process on the host side, in a session of
/// its own, never inside the container. It starts the container, keeps its output in a json-file log, reaps
/// it, records how it ended, starts it again as its restart policy says, and removes it with --rm.
///
/// The container's process dies with its monitor (its parent-death signal), so a monitor that is killed
/// leaves no process running that nobody reaps or logs; the container stays in the store, and the next look at
/// it finds it exited (137: killed) until it is removed.
///
/// A monitor's life is one run of the container with its restarts: once a user stopped it (`stop`, `rm -f`,
/// `restart`; the record's `stoppedByUser`), it records the end and exits. `restart` then starts a new monitor
/// with the same configuration (`reuse`), which owns the same directory again.
public struct Monitor {
    public let configuration: Configuration
    /// The configuration as it was handed over, kept as it is for `restart`.
    let text: String
    public var caller: Caller
    /// Started again by `restart`: the directory is there, with its configuration and its log.
    public var reuse = false

    /// - Parameter text: its `Configuration`, as `run -d` or `restart` hands it over.
    public init(configuration text: String, caller: Caller = .current()) throws {
        do {
            configuration = try JSON.decode(Configuration.self, from: text, document: "the monitor's configuration")
        } catch {
            throw SandboxError(error.description)
        }
        self.text = text
        self.caller = caller
    }

    /// Runs the container for its whole life, starting it again as the policy says.
    /// - Parameter started: told once, when the first process runs (nil) or could not be started (the error):
    ///   `run -d` returns then.
    public func run(started: @escaping (SandboxError?) -> Void) {
        var report: ((SandboxError?) -> Void)? = started
        // Made here, and removed if its container never runs: a run -d that fails leaves nothing.
        var made: StateDirectory?
        do {
            let base = configuration.base
            var (directory, record) = try own(base: base)
            if !reuse {
                made = directory
                try directory.create(Self.configurationFile, text: text)
            }
            let log = try JSONLog(directory: configuration.logDirectory, id: configuration.id, options: configuration.logOptions,
                                  linkedFrom: directory)
            var restarts = 0
            while let ended = try runOnce(spec: configuration.spec, directory: directory, record: &record, base: base, log: log,
                                          restarts: restarts, running: {
                report?(nil)
                report = nil
            }) {
                let now = try directory.readRecord()
                guard configuration.engine.restart.restarts(afterExit: ended, restarts: restarts,
                                                            stoppedByUser: now.engine?.stoppedByUser ?? false) else { break }
                restarts += 1
                guard Self.backOff(before: restarts, directory: directory) else { break }
            }
            // Stopped before it ran: it exists, stopped, and run -d says so by its id.
            report?(nil)
            if (try? directory.readRecord())?.engine?.settings.autoRemove == true {
                directory.awaitWaiters(seconds: 5)
            }
            try? directory.locked {
                if (try? directory.readRecord())?.engine?.settings.autoRemove == true { directory.remove() }
            }
        } catch {
            guard let report else { return }
            if let made { try? made.locked { made.remove() } }
            report(error as? SandboxError ?? SandboxError("\(error)"))
        }
    }

    /// Its state directory, made; or, started again by `restart`, owned again.
    private func own(base: String) throws -> (StateDirectory, ContainerRecord) {
        let identity = ProcessIdentity.of(getpid())
        let spec = configuration.spec
        if reuse {
            let directory = try StateDirectory.own(base: base, name: configuration.name)
            let record = try directory.update { record in
                // What the last monitor found stays (its restarts, its health checks' log); what it is asked
                // to do is this one's (`restart` may have turned --rm off meanwhile).
                var engine = record.engine ?? .init(settings: configuration.engine)
                engine.settings = configuration.engine
                engine.monitor = identity
                engine.stoppedByUser = false
                record.engine = engine
            }
            return (directory, record)
        }
        let record = ContainerRecord(creating: configuration.id, name: configuration.name, bundle: spec.root.path,
                                     annotations: spec.annotations, owner: caller.uid,
                                     engine: .init(settings: configuration.engine, monitor: identity))
        return (try StateDirectory.create(base: base, name: configuration.name, record: record, owned: true), record)
    }

    /// Docker's back-off before a restart: 100 ms, doubled each time, at most a minute; cut short when a user
    /// stops the container meanwhile.
    /// - Returns: false when it was stopped.
    private static func backOff(before restart: Int, directory: StateDirectory) -> Bool {
        var left = min(100 << min(restart - 1, 10), 60_000)
        while left > 0 {
            let step = min(left, 100)
            usleep(UInt32(step * 1000))
            left -= step
            guard (try? directory.readRecord())?.engine?.stoppedByUser == false else { return false }
        }
        return true
    }

    /// One process of the container, from its setup to its end: its exit status; nil when a user stopped the
    /// container before it ran.
    private func runOnce(spec: ContainerSpec, directory: StateDirectory, record: inout ContainerRecord, base: String, log: JSONLog,
                         restarts: Int, running: () -> Void) throws -> Int32? {
        // Started by the monitor itself, as a foreground run's: no socket for a `start` to connect to.
        let setup = try ContainerSetup(spec: spec, record: record, directory: directory, base: base, caller: caller, supervisor: nil,
                                       listens: false)
        defer { setup.discard() }
        // Its output goes to the log: the terminal's, or a pipe for each stream.
        let streams = try spec.process.terminal ? ChildStreams(terminalSized: spec.process.consoleSize)
            : ChildStreams(stdin: .null, stdout: .pipe, stderr: .pipe)
        // Held from the clone until they are forwarded: the workload may run before then.
        _ = sbx_hold_forwarded_signals()
        let child = try setup.launch(streams: streams)
        _ = sbx_forward_signals(child.pidfd)
        var health: HealthChecker?
        do {
            // Under the container's lock: a stop either finds this process in the record, or is found here.
            var stopped = false
            try setup.update { record in
                stopped = record.engine?.stoppedByUser ?? false
                guard !stopped else { return }
                record.status = .created
                record.pid = child.pid
                record.pidStartTime = ProcessIdentity.of(child.pid)?.startTime
                record.engine?.restartCount = restarts
                record.engine?.exitCode = nil
                record.engine?.finished = nil
                record.engine?.oomKilled = false
            }
            if stopped {
                child.kill()
                record = try directory.update { record in
                    record.status = .stopped
                    record.engine?.exitCode = 128 + SIGKILL
                    record.engine?.finished = Timestamp.now()
                }
                return nil
            }
            try child.start()
            if let failure = try setup.nextReport() {
                throw ChildFailure(failure).error(onHostRoot: spec.root.isHostRoot)
            }
            try setup.update { record in
                record.status = .running
                record.started = Timestamp.now()
            }
            health = try configuration.engine.healthCheck.map { try HealthChecker($0, directory: directory, pid: child.pid) }
        } catch {
            child.kill()
            throw error
        }
        running()
        streams.pump(into: log)
        let waited = sbx_wait(child.pid)
        health?.join()
        let status = waited >= 0 ? ExitStatus.code(waited) : 128 + SIGKILL
        let usage = setup.cgroup?.usage()
        record = try directory.update { record in
            record.status = .stopped
            record.engine?.exitCode = status
            record.engine?.finished = Timestamp.now()
            record.engine?.oomKilled = status == 128 + SIGKILL && (usage?.oomKills ?? 0) > 0
        }
        return status
    }
}

extension ChildStreams {
    /// Copies the container's output into its log until every writer has closed it: the terminal's, or its
    /// stdout and stderr pipes.
    fileprivate func pump(into log: JSONLog) {
        var sources: [(fd: Int32, stream: String)] = terminal.map { [($0.master, "stdout")] } ?? [(output, "stdout"), (errors, "stderr")]
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !sources.isEmpty {
            var polled = sources.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            if poll(&polled, nfds_t(polled.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for (index, entry) in polled.enumerated().reversed() where entry.revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 {
                    sources.remove(at: index)
                } else {
                    log.append(chunk[..<count], stream: sources[index].stream)
                }
            }
        }
        log.flush()
    }
}
