import SandboxOCI
import SandboxPolicy

/// What the state store keeps of a container between commands: `state.json` in its directory, replaced
/// whole (written beside, then renamed), so a reader sees one version or the next, never half of one.
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
    /// Removed once its process is gone and nothing holds its directory: `sandbox run`'s, which the run itself
    /// removes unless it was killed.
    public var autoRemove: Bool
    /// The uid of whoever created it.
    public var owner: UInt32
    /// The hooks that run after `create` returned: startContainer, poststart, poststop.
    public var hooks: Hooks?
    /// When its process last started and ended (RFC 3339), and how: Docker's `State`.
    public var started: String?
    public var finished: String?
    /// What `docker run` would exit with: the command's status, or 128+N for signal N.
    public var exitCode: Int32?
    /// The kernel's OOM killer ended it, for its memory limit.
    public var oomKilled = false
    /// A detached container's monitor, the parent of its process; nil for one run in the foreground or by an engine.
    public var monitor: ProcessIdentity?
    public var restartPolicy: RestartPolicy?
    public var restartCount = 0
    /// A user stopped it: its restart policy does not start it again.
    public var stoppedByUser = false
    /// `--label`s, as Docker's.
    public var labels: [String: String] = [:]
    /// What `stop` sends first (`--stop-signal`; SIGTERM when nil) and how long it waits before SIGKILL
    /// (`--stop-timeout`, seconds; 10 when nil), as Docker's.
    public var stopSignal: Int32?
    public var stopTimeout: Int?
    /// The health of a container with a health check (`--health-cmd`), as its monitor last found it.
    public var health: Health?

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
    /// The container's process as it was made: what `exec` starts from (its environment, user, capabilities,
    /// no_new_privs) unless told otherwise. Its seccomp program is `seccomp.bpf` beside the record.
    public var process: ContainerProcess?
    /// What it was made with that `inspect` shows beside its process: hostname, namespaces, id maps,
    /// seccomp, binds, limits (as `update` last left them).
    public var settings: ContainerSettings?

    public init(id: String, name: String, bundle: String, status: OCI.State.Status, created: String,
                annotations: [String: String], cgroups: [String], autoRemove: Bool, owner: UInt32) {
        self.id = id
        self.name = name
        self.bundle = bundle
        self.status = status
        self.created = created
        self.annotations = annotations
        self.cgroups = cgroups
        self.autoRemove = autoRemove
        self.owner = owner
    }
}

extension ContainerRecord {
    /// Keeps what the commands that come later read of the spec: its labels, and how `stop` ends it.
    mutating func keep(_ spec: ContainerSpec) {
        labels = spec.labels
        stopSignal = spec.stopSignal
        stopTimeout = spec.stopTimeout
    }
}
