import CSandbox
import Glibc
import SandboxPolicy

extension Runtime {
    /// How `exec` runs its process, beside what the process is.
    public struct ExecOptions: Sendable {
        /// Return once the process exec'd; it lives on under the caller's subreaper (an engine's monitor).
        public var detach: Bool
        /// Where the process's pid goes, as the host sees it.
        public var pidFile: String?
        /// Where the pty master goes when the process has a terminal; without it sandbox relays the terminal.
        public var consoleSocket: String?
        /// How many fds from 3 on the process gets.
        public var preserveFds: Int32
        /// The caller's stdin reaches the process; otherwise it reads /dev/null (`docker exec` without -i).
        public var interactive: Bool
        /// The caller's stdout and stderr reach the process; otherwise /dev/null (`docker exec -d`).
        public var attached: Bool
        /// The caller's streams are relayed through pipes, never handed to the process (`docker exec`): see
        /// `ExecStreams`. Otherwise they are passed on as they are, as runc passes an engine's.
        public var relayed: Bool

        public init(detach: Bool, pidFile: String?, consoleSocket: String?, preserveFds: Int32, interactive: Bool, attached: Bool,
                    relayed: Bool) {
            self.detach = detach
            self.pidFile = pidFile
            self.consoleSocket = consoleSocket
            self.preserveFds = preserveFds
            self.interactive = interactive
            self.attached = attached
            self.relayed = relayed
        }
    }

    /// Runs a process in the running container `reference` names (its name, id, or a unique prefix of its id):
    /// in every namespace of its first process, in its cgroup, under its seccomp filter, as `spec` and the
    /// container's own process decide.
    /// - Returns: the process's exit status as `docker exec` gives it (its code; 128+N for signal N); nil with
    ///   `detach`, once it exec'd.
    public func exec(reference: String, spec: ExecSpec, options: ExecOptions) throws -> Int32? {
        try spec.validate()
        let directory = try StateDirectory.open(base: root, reference: reference)
        // The lock is held until the joining child is in the container's cgroup: a delete waits, rather than
        // remove the cgroup it is joining. Not while the process comes up: the container can stop it.
        var streams: ChildStreams?
        let joining = try directory.locked { () throws -> ExecLaunch.Joining in
            let record = try directory.readRecord()
            let status = Self.status(record)
            guard status == .running || status == .created else {
                throw SandboxError("container \(record.id) is not running: it is \(status.rawValue)")
            }
            guard let recorded = record.process else {
                throw SandboxError("container \(record.id) has no recorded process to take exec's defaults from")
            }
            let container = try RunningContainer(record)
            let seccomp = try Self.seccompProgram(of: container, in: directory)
            // The image's files only when a name or HOME needs them: a hostile image makes only those fail.
            let needsUser = spec.user != nil || spec.ociProcess != nil
            let context = ExecSpec.Context(
                host: try HostFacts.current(), passwd: needsUser ? try container.imageFile("/etc/passwd") : nil,
                group: spec.user != nil ? try container.imageFile("/etc/group") : nil, userNamespace: container.userNamespace)
            let process = try spec.process(joining: recorded, context: context)
            if process.terminal && options.detach && options.consoleSocket == nil {
                throw SandboxError("a detached process with a terminal needs --console-socket to hand the terminal over")
            }
            let made = try Self.streams(terminal: process.terminal, options: options)
            streams = made
            if let socket = options.consoleSocket { try made.handOverTerminal(to: socket) }
            let configuration = ExecConfiguration(process: process, container: container, seccomp: seccomp, streams: made.child,
                                                  detach: options.detach)
            // Held from the clone until they are forwarded: the command may run before then.
            _ = sbx_hold_forwarded_signals()
            return try ExecLaunch(configuration: configuration, process: process, cgroups: record.cgroups).begin()
        }
        guard let streams else { preconditionFailure("a launch without its streams") }
        streams.closeChildEnds()
        // Handed over, the terminal is the engine's alone.
        if options.consoleSocket != nil { streams.dropTerminal() }
        let process = try joining.finish(by: Deadline(milliseconds: ExecLaunch.startMilliseconds))
        if let pidFile = options.pidFile {
            do {
                try Self.writePidFile(process.pid, to: pidFile)
            } catch {
                _ = sbx_pidfd_signal(process.pidfd, SIGKILL)
                if !options.detach { _ = sbx_wait(process.pid) }
                close(process.pidfd)
                throw error
            }
        }
        if options.detach {
            close(process.pidfd)
            return nil
        }
        // The pidfd stays open while sandbox lives: the forwarding handler may use it at any moment.
        _ = sbx_forward_signals(process.pidfd)
        streams.relay(until: process.pidfd, interactive: options.interactive)
        let waited = sbx_wait(process.pid)
        guard waited >= 0 else { throw SandboxError("wait for the process", errno: -waited) }
        return ExitStatus.code(waited)
    }

    /// The process's streams. With a terminal, a new pty, which sandbox relays or hands to an engine's console
    /// socket. Without one, `docker exec`'s streams are pipes that sandbox relays, as dockerd's and containerd's
    /// are: given the caller's own fds, a process the command leaves behind in the container would keep the
    /// caller's terminal open, and read what the administrator types next. An engine's call (runc's form)
    /// passes its fds on as they are, as runc does: they are the pipes the engine made for the process
    /// (conmon's, containerd's shim's), not a terminal. Whatever the process is not attached to is /dev/null.
    private static func streams(terminal: Bool, options: ExecOptions) throws -> ChildStreams {
        if terminal { return try ChildStreams(terminalSized: nil, preserved: options.preserveFds) }
        let given: ChildStreams.Source = options.relayed ? .pipe : .inherited
        // Where both go to one file (a terminal, `2>&1`), one pipe keeps their order exactly.
        let errors: ChildStreams.Source = options.relayed && sameFile(STDOUT_FILENO, STDERR_FILENO) ? .sameAsStdout : given
        return try ChildStreams(stdin: options.interactive ? given : .null, stdout: options.attached ? given : .null,
                                stderr: options.attached ? errors : .sameAsStdout, preserved: options.preserveFds)
    }

    /// Whether two fds are one file (the same terminal, or one `2>&1` made).
    private static func sameFile(_ first: Int32, _ second: Int32) -> Bool {
        var a = stat(), b = stat()
        return fstat(first, &a) == 0 && fstat(second, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    /// The container's compiled program, kept beside its record. A container under `seccomp trace` or `test`
    /// runs a notifying filter that is not kept: an exec'd process would run unconfined, so none is.
    static func seccompProgram(of container: RunningContainer, in directory: StateDirectory) throws -> SeccompProgram? {
        let program = SeccompCache.read(directory.path + "/" + StateDirectory.seccompFile, key: nil)
        if program == nil && container.filtered {
            throw SandboxError("container \(container.record.id) runs under a seccomp filter sandbox did not keep (seccomp trace or test): no process may join it")
        }
        return program
    }
}
