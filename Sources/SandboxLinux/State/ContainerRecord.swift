import SandboxOCI
import SandboxPolicy

/// What the state store keeps of a container between commands: `state.json` in its directory, replaced
/// whole (written beside, then renamed), so a reader sees one version or the next, never half of one.
///
/// The runtime's state, which every container has (the OCI state and what the verbs act on: its process, its
/// cgroups, its hooks), and, nested, the engine's own (`Engine`): what `sandbox run` keeps beside it, which an
/// engine's container (`create`) does not have.
///
/// The status written here is what the last command knew; whether the process still lives is read from the
/// kernel each time (`ContainerRecord.Liveness`), by its pid and that pid's start time, so a recycled pid is
/// never taken for the container.
public struct ContainerRecord: Codable, Equatable, Sendable {
    /// The container's id: the OCI id given to `create`, or the 64 hex digits `sandbox run` makes.
    public var id: String
    /// Its state directory's name: the id for an engine's container, the name for `sandbox run`'s.
    public var name: String
    /// The bundle directory (OCI), or the image (`sandbox run`; "/" for the host's root).
    public var bundle: String
    public var status: OCI.State.Status
    /// The container's first process, as the host sees it.
    public var pid: Int32?
    /// Field 22 of /proc/PID/stat when the process was made: the kernel's start time, in clock ticks.
    public var pidStartTime: UInt64?
    /// RFC 3339, UTC.
    public var created: String
    public var annotations: [String: String]
    /// The container's cgroup directory in every hierarchy.
    public var cgroups: [String]
    /// The uid of whoever created it.
    public var owner: UInt32
    /// The hooks that run after `create` returned: startContainer, poststart, poststop.
    public var hooks: Hooks?
    /// When its process last started (RFC 3339): Docker's StartedAt.
    public var started: String?
    /// The container's process as it was made: what `exec` starts from (its environment, user, capabilities,
    /// no_new_privs) unless told otherwise. Its seccomp program is `seccomp.bpf` beside the record.
    public var process: ContainerProcess?
    /// What it was made with that `inspect` shows beside its process: hostname, namespaces, id maps,
    /// seccomp, binds, limits (as `update` last left them).
    public var settings: ContainerSettings?
    /// The engine's own, for a container `sandbox run` made (in the foreground or detached); nil for an engine's.
    public var engine: Engine?

    /// A container about to be made, by `owner`.
    public init(creating id: String, name: String, bundle: String, annotations: [String: String], owner: UInt32,
                engine: Engine? = nil) {
        self.id = id
        self.name = name
        self.bundle = bundle
        status = .creating
        created = Timestamp.now()
        self.annotations = annotations
        cgroups = []
        self.owner = owner
        self.engine = engine
    }
}

extension ContainerRecord {
    /// What sandbox keeps as the container's engine: how `sandbox run` was asked to keep it, and what its
    /// monitor (a detached container's) found.
    public struct Engine: Codable, Equatable, Sendable {
        /// As `sandbox run` was asked, or the monitor that runs it now.
        public var settings: EngineSettings
        /// A detached container's monitor, the parent of its process; nil for one run in the foreground.
        public var monitor: ProcessIdentity?
        /// How many times its monitor started it again.
        public var restartCount = 0
        /// A user stopped it: its restart policy does not start it again.
        public var stoppedByUser = false
        /// When its process last ended (RFC 3339), and how: Docker's FinishedAt, ExitCode and OOMKilled, as its
        /// monitor recorded them, or the next look at it once its monitor was killed.
        public var finished: String?
        /// What `docker run` would exit with: the command's status, or 128+N for signal N.
        public var exitCode: Int32?
        /// The kernel's OOM killer ended it, for its memory limit.
        public var oomKilled = false
        /// The health of a container with a health check, as its monitor last found it.
        public var health: Health?

        public init(settings: EngineSettings, monitor: ProcessIdentity? = nil) {
            self.settings = settings
            self.monitor = monitor
        }
    }

    /// What a container's health checks found (`--health-cmd`).
    public struct Health: Codable, Equatable, Sendable {
        public enum Status: String, Codable, Sendable {
            case starting, healthy, unhealthy
        }

        public var status: Status
        /// Failed checks in a row.
        public var failingStreak: Int
        /// The last checks' output and exit codes, as `docker inspect` shows them (the newest last, at most five).
        public var log: [Check]

        public struct Check: Codable, Equatable, Sendable {
            public var start: String
            public var end: String
            public var exitCode: Int32
            public var output: String
        }

        public init(status: Status, failingStreak: Int = 0, log: [Check] = []) {
            self.status = status
            self.failingStreak = failingStreak
            self.log = log
        }
    }
}
