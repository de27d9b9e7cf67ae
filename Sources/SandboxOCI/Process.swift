extension OCI {
    /// The container's process: what to run, as whom, with which privileges and limits. Required by `start`.
    public struct Process: Codable, Equatable, Sendable {
        /// A pseudoterminal on the standard streams; false when absent.
        public var terminal: Bool?
        /// The terminal's size in characters; ignored without `terminal`.
        public var consoleSize: ConsoleSize?
        public var user: User?
        /// argv, `args[0]` looked up as execvp does; the prose requires at least one entry on Linux.
        public var args: [String]?
        /// Windows only (the command line as one string); kept so that a document survives a round trip.
        public var commandLine: String?
        public var env: [String]?
        /// The working directory, absolute.
        public var cwd: String
        public var capabilities: Capabilities?
        /// At most one entry a type.
        public var rlimits: [RLimit]?
        /// Sets no_new_privs: setuid bits and file capabilities grant nothing.
        public var noNewPrivileges: Bool?
        public var apparmorProfile: String?
        /// Written to `/proc/PID/oom_score_adj`; when absent, left as inherited.
        public var oomScoreAdj: Int?
        public var scheduler: Scheduler?
        public var selinuxLabel: String?
        public var ioPriority: IOPriority?
        /// For processes joined with exec, not the container's first process.
        public var execCPUAffinity: CPUAffinity?

        public init(cwd: String, args: [String]? = nil) {
            self.cwd = cwd
            self.args = args
        }
    }

    public struct ConsoleSize: Codable, Equatable, Sendable {
        public var height: UInt64
        public var width: UInt64

        public init(height: UInt64, width: UInt64) {
            self.height = height
            self.width = width
        }
    }

    /// Ids in the container's user namespace; names are resolved by the engine, never by the runtime.
    public struct User: Codable, Equatable, Sendable {
        public var uid: UInt32?
        public var gid: UInt32?
        /// When absent, the calling process's umask stays.
        public var umask: UInt32?
        public var additionalGids: [UInt32]?
        /// Windows only; kept so that a document survives a round trip.
        public var username: String?

        public init(uid: UInt32? = nil, gid: UInt32? = nil) {
            self.uid = uid
            self.gid = gid
        }
    }

    /// The five capability sets, by name (`CAP_CHOWN`). Names stay strings: the spec wants one the kernel does
    /// not know to be a warning, not a failure, which only the policy can decide.
    public struct Capabilities: Codable, Equatable, Sendable {
        public var bounding: [String]?
        public var effective: [String]?
        public var inheritable: [String]?
        public var permitted: [String]?
        public var ambient: [String]?

        public init(bounding: [String]? = nil, effective: [String]? = nil, inheritable: [String]? = nil,
                    permitted: [String]? = nil, ambient: [String]? = nil) {
            self.bounding = bounding
            self.effective = effective
            self.inheritable = inheritable
            self.permitted = permitted
            self.ambient = ambient
        }
    }

    /// A POSIX resource limit, by getrlimit(2)'s name (`RLIMIT_NOFILE`).
    public struct RLimit: Codable, Equatable, Sendable {
        public var type: String
        public var hard: UInt64
        public var soft: UInt64

        public init(type: String, hard: UInt64, soft: UInt64) {
            self.type = type
            self.hard = hard
            self.soft = soft
        }
    }

    /// sched_setattr(2)'s settings; absent numbers mean 0.
    public struct Scheduler: Codable, Equatable, Sendable {
        public var policy: Policy
        public var nice: Int32?
        /// The static priority of the real-time policies.
        public var priority: Int32?
        public var flags: [Flag]?
        /// The deadline policy's runtime, deadline and period, in nanoseconds.
        public var runtime: UInt64?
        public var deadline: UInt64?
        public var period: UInt64?

        public init(policy: Policy) { self.policy = policy }

        public enum Policy: String, OCI.Token {
            case other = "SCHED_OTHER", fifo = "SCHED_FIFO", roundRobin = "SCHED_RR", batch = "SCHED_BATCH"
            case iso = "SCHED_ISO", idle = "SCHED_IDLE", deadline = "SCHED_DEADLINE"

            public static let kind = "scheduler policy"
        }

        public enum Flag: String, OCI.Token {
            case resetOnFork = "SCHED_FLAG_RESET_ON_FORK", reclaim = "SCHED_FLAG_RECLAIM"
            case deadlineOverrun = "SCHED_FLAG_DL_OVERRUN", keepPolicy = "SCHED_FLAG_KEEP_POLICY"
            case keepParameters = "SCHED_FLAG_KEEP_PARAMS", utilizationClampMinimum = "SCHED_FLAG_UTIL_CLAMP_MIN"
            case utilizationClampMaximum = "SCHED_FLAG_UTIL_CLAMP_MAX"

            public static let kind = "scheduler flag"
        }
    }

    /// ioprio_set(2)'s class and level (0, the highest, to 7), for every process of the container.
    public struct IOPriority: Codable, Equatable, Sendable {
        public var `class`: Class
        public var priority: Int32?

        public init(class ioClass: Class, priority: Int32? = nil) {
            self.class = ioClass
            self.priority = priority
        }

        public enum Class: String, OCI.Token {
            case realTime = "IOPRIO_CLASS_RT", bestEffort = "IOPRIO_CLASS_BE", idle = "IOPRIO_CLASS_IDLE"

            public static let kind = "I/O priority class"
        }
    }

    /// CPU lists (`0-3,7`) an exec'd process runs on: `initial` before it joins the container's cgroup, `final`
    /// after (when absent or empty, the kernel decides).
    public struct CPUAffinity: Codable, Equatable, Sendable {
        public var initial: String?
        public var `final`: String?

        public init(initial: String? = nil, final: String? = nil) {
            self.initial = initial
            self.final = final
        }
    }
}
