/// A container as the launcher runs it: everything decided, and nothing about where it came from.
///
/// Docker's flags (`sandbox run`) and an OCI `config.json` (`sandbox create`) are two ways to describe one;
/// each has a mapping to this value, where its defaults live, once. Paths are the host's, ids the container's.
/// What `sandbox run` keeps beside it for the commands that come later is `EngineSettings`.
public struct ContainerSpec: Codable, Equatable, Sendable {
    public var process: ContainerProcess
    public var root: Root
    /// nil: left as it is (the host's, copied into a new uts namespace).
    public var hostname: String?
    /// The NIS domain name; nil: left as it is.
    public var domainname: String?
    /// The ordered mount table, masked and read-only paths last.
    public var mounts: [MountEntry]
    public var namespaces: [Namespace: NamespaceMode]
    /// The maps of a new user namespace, and who writes them; nil without one.
    public var userNamespace: UserNamespacePlan?
    /// What the device cgroup allows.
    public var devices: DevicePolicy
    public var seccomp: SeccompSetting
    /// Where the listener of a filter that notifies goes, with the container's process state; nil: nowhere
    /// (then no filter may notify).
    public var seccompAgent: SeccompAgent?
    public var resources: ResourceLimits
    /// The container's cgroup as an OCI config's `cgroupsPath` gives it, which the Linux side resolves by
    /// runc's rule: an absolute path is under each hierarchy's root, a relative one under sandbox's own
    /// cgroup. nil: `sandbox/NAME`.
    public var cgroupPath: String?
    /// Namespaced kernel settings, written through the container's own /proc/sys before it turns read-only.
    /// Keys are in sysctl(8)'s dotted form: a `/` in one stands for a `.` in a file name (`net.ipv4.conf.eth0/1.rp_filter`).
    public var sysctls: [String: String] = [:]
    /// The offsets of its new time namespace's clocks. With any, the child unshares the namespace itself and
    /// writes them before a process enters it (at its execve): a namespace made at clone would hold the child
    /// already, and the kernel then refuses them.
    public var timeOffsets: [TimeOffset] = []
    /// How mounts propagate from the container's / (`rootfsPropagation`); nil: private, as runc's default.
    public var rootPropagation: MountPropagation?
    public var hooks = Hooks()
    public var annotations: [String: String]

    public init(process: ContainerProcess, root: Root, hostname: String?, mounts: [MountEntry],
                namespaces: [Namespace: NamespaceMode], userNamespace: UserNamespacePlan?, devices: DevicePolicy,
                seccomp: SeccompSetting, resources: ResourceLimits, annotations: [String: String] = [:]) {
        self.process = process
        self.root = root
        self.hostname = hostname
        self.mounts = mounts
        self.namespaces = namespaces
        self.userNamespace = userNamespace
        self.devices = devices
        self.seccomp = seccomp
        self.resources = resources
        self.annotations = annotations
    }

    /// The container's `/`.
    public struct Root: Codable, Equatable, Sendable {
        public enum Layout: Codable, Equatable, Sendable {
            /// The image is the lower layer of an overlay whose upper layer is a tmpfs in the container's own
            /// mount namespace: the image is never written (`sandbox run --rootfs`).
            case overlay
            /// The directory is bound as it is, and written if not read-only: an engine prepared it (OCI), or it
            /// is the host's `/`, read-only.
            case bind
        }

        public var path: String
        public var layout: Layout
        public var readOnly: Bool
        /// An image's layers, top first, stacked as the overlay's lower layers in place of `path` alone.
        public var layers: [String]?
        /// The directory holding the overlay's `upper` and `work`, kept on disk as long as the container (an
        /// image's container); nil: they are on a tmpfs of the container's mount namespace (`--rootfs`).
        public var writableLayer: String?

        public init(path: String, layout: Layout, readOnly: Bool, layers: [String]? = nil, writableLayer: String? = nil) {
            self.path = path
            self.layout = layout
            self.readOnly = readOnly
            self.layers = layers
            self.writableLayer = writableLayer
        }

        /// The host's own `/`, where a mount point that is missing cannot be made.
        public var isHostRoot: Bool { path == "/" && layout == .bind }
    }

    /// Whether `namespace` is made for the container.
    public func isNew(_ namespace: Namespace) -> Bool { namespaces[namespace] == .new }
}

/// For one namespace: a new one, the host's (the runtime's own), or one joined by its path.
public enum NamespaceMode: Codable, Equatable, Sendable {
    case new
    case host
    case join(path: String)
}

/// The seccomp filter a container runs under.
public enum SeccompSetting: Codable, Equatable, Sendable {
    case unconfined
    /// A filter already resolved (an OCI config's is).
    case filter(SeccompFilter)
    /// A Docker-format profile, by Docker's rules resolved against the container's final bounding set at
    /// launch, where the compiled program is cached by the profile's text: `source` names it in messages.
    case dockerProfile(text: String, source: String)
}

/// The process a container runs.
public struct ContainerProcess: Codable, Equatable, Sendable {
    public var args: [String]
    /// `NAME=VALUE`, in order.
    public var environment: [String]
    /// Absolute; made if missing.
    public var cwd: String
    public var user: UserSpec.Resolved
    public var capabilities: CapabilityPolicy.Sets
    /// The kernel's highest capability number, up to which the sets are installed.
    public var lastCapability: Int
    public var noNewPrivileges: Bool
    /// Its streams are a terminal (a pty the runtime makes, and `/dev/console`).
    public var terminal: Bool
    /// A tiny init is pid 1 and the process its child (`docker run --init`).
    public var initProcess: Bool
    /// The file mode creation mask; nil: inherited.
    public var umask: UInt32?
    /// A new session keyring, as runc makes one unless told `--no-new-keyring`: the caller's holds its keys.
    public var newKeyring = true
    /// Resource limits set with setrlimit, each type at most once.
    public var rlimits: [ResourceLimit] = []
    /// Written to /proc/PID/oom_score_adj; nil: inherited.
    public var oomScoreAdj: Int?
    /// The terminal's size, set on the pty before the process starts; nil: the kernel's (0x0).
    public var consoleSize: ConsoleSize?
    /// Its I/O priority and CPU scheduling; what is not given is inherited from sandbox. Optional so that the
    /// record of a container made before it existed still reads.
    public var scheduling: ProcessScheduling?
    /// personality's execution domain (PER_LINUX32 makes uname say i686); nil: inherited from sandbox.
    public var personality: UInt32?

    public init(args: [String], environment: [String], cwd: String, user: UserSpec.Resolved,
                capabilities: CapabilityPolicy.Sets, lastCapability: Int, noNewPrivileges: Bool, terminal: Bool,
                initProcess: Bool) {
        self.args = args
        self.environment = environment
        self.cwd = cwd
        self.user = user
        self.capabilities = capabilities
        self.lastCapability = lastCapability
        self.noNewPrivileges = noNewPrivileges
        self.terminal = terminal
        self.initProcess = initProcess
    }

    /// The value of `PATH` in the environment, where the command is looked for.
    public var searchPath: String {
        environment.last { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) } ?? ""
    }
}

/// A terminal's size in characters, as TIOCSWINSZ takes it.
public struct ConsoleSize: Codable, Equatable, Sendable {
    public var height: UInt16
    public var width: UInt16

    public init(height: UInt16, width: UInt16) {
        self.height = height
        self.width = width
    }
}

/// A process resource limit (setrlimit), by the kernel's resource number.
public struct ResourceLimit: Codable, Equatable, Sendable {
    public var resource: Int32
    public var soft: UInt64
    public var hard: UInt64

    public init(resource: Int32, soft: UInt64, hard: UInt64) {
        self.resource = resource
        self.soft = soft
        self.hard = hard
    }

    /// The kernel's generic numbers (include/uapi/asm-generic/resource.h), by the names OCI and Docker use.
    public static let resources: [String: Int32] = [
        "RLIMIT_CPU": 0, "RLIMIT_FSIZE": 1, "RLIMIT_DATA": 2, "RLIMIT_STACK": 3, "RLIMIT_CORE": 4, "RLIMIT_RSS": 5,
        "RLIMIT_NPROC": 6, "RLIMIT_NOFILE": 7, "RLIMIT_MEMLOCK": 8, "RLIMIT_AS": 9, "RLIMIT_LOCKS": 10,
        "RLIMIT_SIGPENDING": 11, "RLIMIT_MSGQUEUE": 12, "RLIMIT_NICE": 13, "RLIMIT_RTPRIO": 14, "RLIMIT_RTTIME": 15,
    ]
}

/// How mount events propagate (mount --make-*).
public enum MountPropagation: String, Codable, Equatable, Sendable {
    case shared, slave, `private`, unbindable
    case recursiveShared = "rshared", recursiveSlave = "rslave", recursivePrivate = "rprivate"
    case recursiveUnbindable = "runbindable"
}

/// Programs the runtime runs around the container's life, each given the container's state on stdin
/// (OCI hooks). Run in the runtime's namespaces but for createContainer and startContainer, in the container's.
public struct Hooks: Codable, Equatable, Sendable {
    public var prestart: [Hook] = []
    public var createRuntime: [Hook] = []
    public var createContainer: [Hook] = []
    public var startContainer: [Hook] = []
    public var poststart: [Hook] = []
    public var poststop: [Hook] = []

    public init() {}
}

public struct Hook: Codable, Equatable, Sendable {
    public var path: String
    /// argv, `args[0]` included, as execv takes it.
    public var args: [String]
    public var environment: [String]
    /// Seconds; nil: no limit.
    public var timeout: Int?

    public init(path: String, args: [String], environment: [String], timeout: Int?) {
        self.path = path
        self.args = args
        self.environment = environment
        self.timeout = timeout
    }
}
