import CSandbox
import Glibc
import SandboxJSON
import SandboxOCI
import SandboxPolicy

/// The OCI runtime's verbs (create, start, state, kill, delete) on the state store under `root`, as runc and
/// crun implement them: the container's process outlives every command, and each command learns what it is
/// from its record and the kernel.
public struct Runtime {
    /// The state root: `--root`, or /run/sandbox (root), $XDG_RUNTIME_DIR/sandbox (anyone else).
    public let root: String
    public let caller: Caller
    /// Told what went wrong but does not stop the command: a failing poststart or poststop hook.
    public var warn: (String) -> Void = { _ in }

    /// - Parameter root: `--root`; nil for the default, checked as the caller's own.
    public init(root: String?, caller: Caller = .current(), environment: [String: String]) throws {
        self.caller = caller
        if let root {
            try StateDirectory.makeDirectories(root)
            // Another user's root (0700): one line that says so, not every container "does not exist".
            guard access(root, R_OK | X_OK) == 0 else { throw SandboxError("state root \(root)", errno: errno) }
            self.root = root
        } else {
            self.root = try StateDirectory.prepareBase(for: caller, environment: environment)
        }
    }

    public struct CreateOptions: Sendable {
        public var bundle: String
        public var pidFile: String?
        /// Where the pty master goes when the process has a terminal.
        public var consoleSocket: String?
        /// How many fds from 3 on the process gets.
        public var preserveFds: Int32
        /// runc's --no-new-keyring: the process keeps the caller's session keyring.
        public var keepKeyring = false

        public init(bundle: String, pidFile: String?, consoleSocket: String?, preserveFds: Int32, keepKeyring: Bool = false) {
            self.bundle = bundle
            self.pidFile = pidFile
            self.consoleSocket = consoleSocket
            self.preserveFds = preserveFds
            self.keepKeyring = keepKeyring
        }
    }

    /// Creates the container and returns, leaving its process set up and waiting for `start`, a child of the
    /// caller's subreaper. Nothing is left when it fails.
    public func create(id: String, spec given: ContainerSpec, options: CreateOptions) throws {
        try Self.checkID(id)
        var spec = given
        spec.process.newKeyring = !options.keepKeyring
        if spec.process.terminal && options.consoleSocket == nil {
            throw SandboxError("process.terminal is true: --console-socket is needed to hand over the terminal")
        }
        var record = ContainerRecord(creating: id, name: id, bundle: options.bundle, annotations: spec.annotations, owner: caller.uid)
        record.hooks = spec.hooks
        let directory = try StateDirectory.create(base: root, name: id, record: record, owned: false)
        let setup: ContainerSetup
        do {
            setup = try ContainerSetup(spec: spec, record: record, directory: directory, base: root, caller: caller, supervisor: nil)
        } catch {
            directory.remove()
            throw error
        }
        do {
            // The engine's own streams, or a terminal handed to its console socket.
            let streams = try spec.process.terminal
                ? ChildStreams(terminalSized: spec.process.consoleSize, preserved: options.preserveFds)
                : ChildStreams(stdin: .inherited, stdout: .inherited, stderr: .inherited, preserved: options.preserveFds)
            let child = try setup.launch(streams: streams, mounted: { pid in
                // "created", as crun passes it to prestart, createRuntime and createContainer hooks: the
                // environment they are to change is made (runc says "creating").
                let state = OCI.State(id: id, status: .created, pid: Int(pid), bundle: options.bundle,
                                      annotations: spec.annotations.isEmpty ? nil : spec.annotations)
                try HookRunner.run(spec.hooks.prestart, kind: "prestart", state: state)
                try HookRunner.run(spec.hooks.createRuntime, kind: "createRuntime", state: state)
                return try JSON.encode(state)
            })
            do {
                if let socket = options.consoleSocket { try streams.handOverTerminal(to: socket) }
                try setup.update { record in
                    record.status = .created
                    record.pid = child.pid
                    record.pidStartTime = ProcessIdentity.of(child.pid)?.startTime
                }
                if let pidFile = options.pidFile { try Self.writePidFile(child.pid, to: pidFile) }
                try child.detach(reportingTo: setup)
            } catch {
                child.kill()
                throw error
            }
        } catch {
            setup.discard()
            directory.remove()
            throw error
        }
    }

    /// Releases a created container: its process execs. Fails when it is not waiting, or its exec failed.
    public func start(id: String) throws {
        let directory = try StateDirectory.open(base: root, reference: id)
        try directory.locked {
            var record = try directory.readRecord()
            let status = Self.status(record)
            guard status == .created else {
                throw SandboxError("cannot start a container that is \(status.rawValue)")
            }
            var reports = ChildReports(supervisor: nil)
            try StartConnection.start(directory, state: try JSON.encode(Self.state(record, status: .created)), reports: &reports,
                                      onHostRoot: false)
            record.status = .running
            record.started = Timestamp.now()
            try directory.write(record)
            HookRunner.runWarning(record.hooks?.poststart ?? [], kind: "poststart", state: Self.state(record, status: .running), warn: warn)
        }
    }

    /// The container's state as the runtime spec's `state` prints it.
    public func state(id: String) throws -> OCI.State {
        let record = try StateDirectory.open(base: root, reference: id).readRecord()
        return Self.state(record, status: Self.status(record))
    }

    static func state(_ record: ContainerRecord, status: OCI.State.Status) -> OCI.State {
        let hasProcess = status == .created || status == .running || status == .paused
        return OCI.State(id: record.id, status: status, pid: hasProcess ? record.pid.map(Int.init) : nil, bundle: record.bundle,
                         annotations: record.annotations.isEmpty ? nil : record.annotations)
    }

    /// Removes a stopped container (or, with `force`, kills it first): its cgroup and its state. One that waits
    /// to be started is killed without `force`, as runc's `delete` does (containerd's shim deletes a task that
    /// never started so).
    public func delete(id: String, force: Bool) throws {
        let directory: StateDirectory
        do {
            directory = try StateDirectory.open(base: root, reference: id)
        } catch where force {
            return
        }
        try directory.locked {
            let record = try directory.readRecord()
            let status = Self.status(record)
            if status != .stopped {
                guard force || status == .created else {
                    throw SandboxError("cannot delete container \(record.id) that is not stopped: \(status.rawValue)")
                }
                if let pidfd = record.identity?.open() {
                    _ = sbx_pidfd_signal(pidfd, SIGKILL)
                    _ = sbx_pidfd_wait(pidfd, 10_000)
                    close(pidfd)
                }
            }
            ContainerCgroup.remove(directories: record.cgroups)
            directory.remove()
            HookRunner.runWarning(record.hooks?.poststop ?? [], kind: "poststop", state: Self.state(record, status: .stopped), warn: warn)
        }
    }

    /// Every container under the root, with its status now.
    public func list() -> [(record: ContainerRecord, status: OCI.State.Status)] {
        StateDirectory.names(in: root).compactMap { name in
            guard let record = try? StateDirectory.open(base: root, reference: name).readRecord() else { return nil }
            return (record, Self.status(record))
        }
    }

    /// What the record says, checked against the kernel: a process that is gone is stopped.
    static func status(_ record: ContainerRecord) -> OCI.State.Status {
        switch record.status {
        case .creating, .stopped:
            return record.status
        case .created, .running, .paused:
            return record.isAlive ? record.status : .stopped
        }
    }

    /// runc's rule for an id (letters, digits and `_ + - .`; it names a directory), in runc's words, and one
    /// more: not `.` first, which runc allows. The state root keeps sandbox's own files under such names
    /// (`.lock`, `.seccomp`), and hides them from lookups and lists: such a container could never be found.
    static func checkID(_ id: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-.")
        guard !id.isEmpty, id.first != ".", id.allSatisfy(allowed.contains), id.utf8.count <= 1024 else {
            throw SandboxError("invalid container ID format: \"\(id)\": letters, digits, '_', '+', '-' and '.' only, not '.' first")
        }
    }

    /// As runc's: written to `.NAME` beside it, a file made new (never one found there, nor a symlink's
    /// target), then renamed over the path, which replaces a symlink rather than following it. An engine
    /// never reads half a pid, and a directory shared with others (/tmp) cannot turn the write elsewhere.
    static func writePidFile(_ pid: pid_t, to path: String) throws {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let temporary = String(path[..<slash]) + "." + path[slash...]
        try HostFile.createNew(String(pid), at: temporary)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw SandboxError("write the pid file \(path)", errno: code)
        }
    }
}

extension ContainerRecord {
    /// Its process, as recorded: nil before it was made.
    var identity: ProcessIdentity? {
        guard let pid, let pidStartTime else { return nil }
        return ProcessIdentity(pid: pid, startTime: pidStartTime)
    }
}
