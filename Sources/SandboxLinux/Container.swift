import CSandbox
import Glibc
import SandboxOCI
import SandboxPolicy

/// One container run to its end in the foreground (`sandbox run`): created, started, waited for, and every
/// trace of it removed on every path out, through the same steps an engine drives one by one.
public struct Container {
    public var spec: ContainerSpec
    public var id: ContainerID
    /// Its state directory's name, unique among containers.
    public var name: String
    public var caller: Caller
    public var hostEnvironment: [String: String]
    /// The caller's stdin reaches the process (`-i`); otherwise it reads /dev/null.
    public var interactive: Bool

    public init(spec: ContainerSpec, id: ContainerID, name: String, caller: Caller = .current(),
                hostEnvironment: [String: String], interactive: Bool) {
        self.spec = spec
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
        /// What its cgroup counted, if it had one.
        public var usage: CgroupUsage?
        /// The kernel's OOM killer ended it, for the memory limit.
        public var killedForMemory: Bool
    }

    /// Runs the container to its end.
    /// - Parameter supervisor: loads its notifying filter in place of the profile's, and answers it.
    public func run(supervisor: SeccompSupervisor? = nil) throws -> Outcome {
        let base = try StateDirectory.prepareBase(for: caller, environment: hostEnvironment)
        var record = ContainerRecord(id: id.value, name: name, bundle: spec.root.path, status: .creating, created: Timestamp.now(),
                                     annotations: spec.annotations, cgroups: [], autoRemove: true, owner: caller.uid)
        record.keep(spec)
        let directory = try StateDirectory.create(base: base, record: record, owned: true)
        defer { directory.remove() }
        let setup = try ContainerSetup(spec: spec, record: record, directory: directory, base: base, caller: caller, supervisor: supervisor)
        defer { setup.discard() }

        let terminal = try spec.process.terminal ? PseudoTerminal() : nil
        let streams = try self.streams(terminal)
        defer { if streams.stdin != STDIN_FILENO && terminal == nil { close(streams.stdin) } }
        var reports = ChildReports(supervisor: supervisor)
        let child = try Launch(plan: setup.plan, seccomp: setup.seccomp, streams: streams, console: terminal?.slavePath,
                               channel: setup.channel, startSocket: setup.startSocket, cgroup: setup.cgroup).create(reports: &reports)
        // The pidfd stays open while sandbox lives: the forwarding handler may use it at any moment.
        _ = sbx_forward_signals(child.pidfd)
        do {
            try child.stay()
            try setup.update { record in
                record.status = .created
                record.pid = child.pid
                record.pidStartTime = ProcessIdentity.of(child.pid)?.startTime
            }
            try StartConnection.start(setup.directory, state: "{}", reports: &reports, onHostRoot: spec.root.isHostRoot)
            try setup.update { record in
                record.status = .running
                record.started = Timestamp.now()
            }
        } catch {
            if reports.listener >= 0 { close(reports.listener) }
            child.kill()
            throw error
        }
        if let supervisor, reports.listener >= 0 {
            try SeccompSupervision.serve(supervisor, listener: reports.listener)
        } else if let terminal {
            terminal.closeSlave()
            _ = sbx_relay_terminal(terminal.master, interactive)
        }
        let waited = sbx_wait(child.pid)
        guard waited >= 0 else { throw SandboxError("wait for the container", errno: -waited) }
        let status = Launch.exitCode(waited)
        let usage = setup.cgroup?.usage()
        return Outcome(status: status, usage: usage, killedForMemory: status == 128 + SIGKILL && (usage?.oomKills ?? 0) > 0)
    }

    /// The child's 0, 1 and 2: the terminal with -t; else the caller's, with stdin only with -i.
    private func streams(_ terminal: PseudoTerminal?) throws -> ChildConfiguration.Streams {
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

    /// Root's containers each get a cgroup, as Docker's, which keeps them from the host's devices; another
    /// caller's only when a limit asks for one (and then needs a delegated cgroup).
    public static func getsCgroup(caller: Caller, resources: ResourceLimits) -> Bool {
        caller.isRoot || !resources.isEmpty
    }
}
