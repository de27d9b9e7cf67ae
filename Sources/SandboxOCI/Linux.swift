extension OCI {
    /// `linux`: namespaces, id maps, devices, cgroups, seccomp and the paths hidden from the container.
    public struct Linux: Codable, Equatable, Sendable {
        /// The user namespace's maps, from the host's ids to the container's.
        public var uidMappings: [IDMapping]?
        public var gidMappings: [IDMapping]?
        /// Kernel parameters to set inside the container (`net.ipv4.ip_forward`).
        public var sysctl: [String: String]?
        /// Limits to apply; absent when joining an existing container's cgroup without changing them.
        public var resources: Resources?
        /// Absolute: under the cgroup mount. Relative: where the runtime chooses. The same value always means
        /// the same cgroup.
        public var cgroupsPath: String?
        /// A type absent here is the runtime's own namespace, shared; each type at most once.
        public var namespaces: [Namespace]?
        /// Device nodes the container must have besides the default ones (null, zero, full, random, urandom,
        /// tty, console with a terminal, ptmx).
        public var devices: [Device]?
        public var seccomp: Seccomp?
        public var rootfsPropagation: RootfsPropagation?
        /// Absolute paths in the container made unreadable.
        public var maskedPaths: [String]?
        /// Absolute paths in the container made read-only.
        public var readonlyPaths: [String]?
        /// The SELinux context of the container's mounts.
        public var mountLabel: String?
        public var intelRdt: IntelRdt?
        public var personality: Personality?
        /// The time namespace's clock offsets, by clock name (`monotonic`, `boottime`).
        public var timeOffsets: [String: TimeOffset]?

        public init() {}
    }

    /// A namespace to make (no `path`) or to join (the `path` of an existing one, such as `/proc/PID/ns/net`).
    public struct Namespace: Codable, Equatable, Sendable {
        public var type: Kind
        public var path: String?

        public init(_ type: Kind, path: String? = nil) {
            self.type = type
            self.path = path
        }

        public enum Kind: String, OCI.Token {
            case mount, pid, network, uts, ipc, user, cgroup, time

            public static let kind = "namespace type"
        }
    }

    public struct TimeOffset: Codable, Equatable, Sendable {
        public var secs: Int64?
        public var nanosecs: UInt32?

        public init(secs: Int64? = nil, nanosecs: UInt32? = nil) {
            self.secs = secs
            self.nanosecs = nanosecs
        }
    }

    /// A device node to create in the container.
    public struct Device: Codable, Equatable, Sendable {
        /// Anywhere in the container, not only under `/dev`.
        public var path: String
        /// `c` (character), `b` (block), `u` (unbuffered character) or `p` (FIFO), as mknod(1) takes it.
        public var type: String
        /// Required unless `type` is `p`.
        public var major: Int64?
        public var minor: Int64?
        public var fileMode: UInt32?
        /// The owner, in the container's ids.
        public var uid: UInt32?
        public var gid: UInt32?

        public init(path: String, type: String, major: Int64? = nil, minor: Int64? = nil) {
            self.path = path
            self.type = type
            self.major = major
            self.minor = minor
        }
    }

    /// The propagation of the container's root mount.
    public enum RootfsPropagation: String, OCI.Token {
        case `private`, shared, slave, unbindable

        public static let kind = "rootfs propagation"
    }

    /// Intel RDT: the resctrl group (`closID`, else the container's id) and its schemata.
    public struct IntelRdt: Codable, Equatable, Sendable {
        public var closID: String?
        /// Starts with `L3:`.
        public var l3CacheSchema: String?
        /// Starts with `MB:`, one line.
        public var memBwSchema: String?
        /// Cache and memory bandwidth monitoring.
        public var enableCMT: Bool?
        public var enableMBM: Bool?

        public init() {}
    }

    /// personality(2)'s execution domain; `LINUX32` makes uname report a 32-bit machine.
    public struct Personality: Codable, Equatable, Sendable {
        public var domain: Domain?
        /// No flag is defined yet.
        public var flags: [String]?

        public init(domain: Domain) { self.domain = domain }

        public enum Domain: String, OCI.Token {
            case linux = "LINUX", linux32 = "LINUX32"

            public static let kind = "personality domain"
        }
    }
}
