import CSandbox
import Glibc
import SandboxOCI
import SandboxPolicy

/// One container run to its end in the foreground (`sandbox run`): created, started, waited for, and every
/// trace of it removed on every path out, through the same steps an engine drives one by one.
public struct Container {
    public var spec: ContainerSpec
    /// What its record keeps beside it, for `ps`, `inspect` and `stop`.
    public var engine: EngineSettings
    public var id: ContainerID
    /// Its state directory's name, unique among containers.
    public var name: String
    public var caller: Caller
    public var hostEnvironment: [String: String]
    /// The caller's stdin reaches the process (`-i`); otherwise it reads /dev/null.
    public var interactive: Bool

    public init(spec: ContainerSpec, engine: EngineSettings, id: ContainerID, name: String, caller: Caller = .current(),
                hostEnvironment: [String: String], interactive: Bool) {
        self.spec = spec
        self.engine = engine
        self.id = id
        self.name = name
        self.caller = caller
        self.hostEnvironment = hostEnvironment
        self.interactive = interactive
    }

    /// How a container ended.
    public struct Outcome: Sendable {
        /// What `docker run` would exit with: the workload's code, or 128+N for signal N.
        public var status: Int32
        /// What its cgroup counted, if it had one and `run` was asked for it.
        public var usage: CgroupUsage?
        /// The kernel's OOM killer ended it, for the memory limit.
        public var killedForMemory: Bool
    }

    /// Runs the container to its end.
    /// - Parameters:
    ///   - supervisor: loads its notifying filter in place of the profile's, and answers it.
    ///   - usage: read what its cgroup counted; else only a killed container's OOM count is read.
    public func run(supervisor: SeccompSupervisor? = nil, usage wanted: Bool = false) throws -> Outcome {
        precondition(spec.cgroupPath == nil, "a foreground run's cgroups are at its name's default path, where collection finds them")
        let base = try StateDirectory.prepareBase(for: caller, environment: hostEnvironment)
        // The record names the cgroups from the first: the setup need not change it before making them, which it
        // could not (nothing is written until the process runs).
        let hierarchy = Self.getsCgroup(caller: caller, resources: spec.resources) ? try CgroupHierarchy.host() : nil
        let cgroups = hierarchy.map { ContainerCgroup.directories(path: ContainerSetup.cgroupPath(spec, name: name), hierarchy: $0) }
        var record = ContainerRecord(creating: id.value, name: name, bundle: spec.root.path, annotations: spec.annotations,
                                     owner: caller.uid, engine: .init(settings: engine))
        record.cgroups = cgroups ?? []
        // Its first record is the running one, written once the process runs.
        let directory = try StateDirectory.create(base: base, name: name, record: nil, owned: true)
        Trace.mark("state directory")
        defer {
            directory.remove()
            Trace.mark("state directory removal")
        }
        // Started by this process, which stays: no socket for a `start` to connect to.
        let setup = try ContainerSetup(spec: spec, record: record, directory: directory, base: base, caller: caller, supervisor: supervisor,
                                       hierarchy: hierarchy, listens: false)
        defer {
            setup.discard()
            Trace.mark("cgroup removal")
        }

        // The terminal with -t; else the caller's streams, stdin only with -i.
        let streams = try spec.process.terminal ? ChildStreams(terminalSized: spec.process.consoleSize)
            : ChildStreams(stdin: interactive ? .inherited : .null, stdout: .inherited, stderr: .inherited)
        // The record it will have once started, encoded while the child sets itself up.
        var running: ContainerSetup.PreparedChange?
        // Held from the clone until they are forwarded: the workload may run, and say it is ready, before then.
        _ = sbx_hold_forwarded_signals()
        let child = try setup.launch(streams: streams, startsAtOnce: true, meanwhile: { pid in
            let identity = ProcessIdentity.of(pid)
            // Docker's StartedAt: when it was set to start, a millisecond or two before its execve.
            let started = Timestamp.now()
            running = try setup.prepare { record in
                record.status = .running
                record.pid = pid
                record.pidStartTime = identity?.startTime
                record.started = started
            }
        })
        // The pidfd stays open while sandbox lives: the forwarding handler may use it at any moment.
        _ = sbx_forward_signals(child.pidfd)
        do {
            if let record = try setup.nextReport() {
                throw ChildFailure(record).error(onHostRoot: spec.root.isHostRoot)
            }
            Trace.mark("start → exec")
            // Started at once, it is recorded once: running, over what a command changed meanwhile (a stop's
            // mark). Until then the record says creating; had sandbox died meanwhile, the child would have died
            // with it.
            if let running { try setup.record(running) }
            Trace.mark("record running")
        } catch {
            if setup.reports.listener >= 0 { close(setup.reports.listener) }
            child.kill()
            throw error
        }
        if let supervisor, setup.reports.listener >= 0 {
            try SeccompSupervision.serve(supervisor, listener: setup.reports.listener)
        } else {
            streams.relay(until: child.pidfd, interactive: interactive)
        }
        let waited = sbx_wait(child.pid)
        Trace.mark("wait")
        guard waited >= 0 else { throw SandboxError("wait for the container", errno: -waited) }
        let status = ExitStatus.code(waited)
        let killed = status == 128 + SIGKILL
        let usage = wanted || killed ? setup.cgroup?.usage() : nil
        return Outcome(status: status, usage: wanted ? usage : nil, killedForMemory: killed && (usage?.oomKills ?? 0) > 0)
    }

    /// Root's containers each get a cgroup, as Docker's, which keeps them from the host's devices; another
    /// caller's only when a limit asks for one (and then needs a delegated cgroup).
    public static func getsCgroup(caller: Caller, resources: ResourceLimits) -> Bool {
        caller.isRoot || !resources.isEmpty
    }
}
