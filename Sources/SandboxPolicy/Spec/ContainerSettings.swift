/// What a container was made with that `inspect` shows beside its process (Docker's HostConfig and Config),
/// kept in its record from its spec when it is set up: the spec itself is not kept, and the flags that made
/// it are gone by then.
public struct ContainerSettings: Codable, Equatable, Sendable {
    public var hostname: String?
    public var readOnlyRoot: Bool
    /// How each namespace was made: "private" (new), "host", or the path of the one joined.
    public var namespaces: [String: String]
    /// The container's id maps, as /proc/PID/uid_map lists them ("0 100000 65536"); empty without a user
    /// namespace of its own.
    public var uidMap: [String]
    public var gidMap: [String]
    /// The seccomp filter: "unconfined", the profile as messages name it ("the default profile", a path),
    /// or "oci" for an OCI config's, resolved.
    public var seccomp: String
    /// The host paths bound in (volumes, an engine's binds), as Docker's Mounts lists them.
    public var binds: [Bind]
    /// Each tmpfs the container asked for, by target, with its options.
    public var tmpfs: [String: String]
    public var limits: Limits

    public struct Bind: Codable, Equatable, Sendable {
        public var source: String
        public var destination: String
        public var readOnly: Bool
    }

    /// The cgroup limits, as `update` last left them; Docker's names and units (bytes, microseconds).
    public struct Limits: Codable, Equatable, Sendable {
        public var memory: Int64?
        public var memorySwap: Int64?
        public var memoryReservation: Int64?
        public var cpuPeriod: Int64?
        public var cpuQuota: Int64?
        public var cpuShares: Int64?
        public var cpusetCpus: String?
        public var cpusetMems: String?
        public var pidsLimit: Int64?
        public var blockIOWeight: UInt16?

        public init() {}

        /// What `limits` sets replaces what was; what it leaves unset stays, as `update` changes the cgroup.
        public mutating func merge(_ limits: ResourceLimits) {
            memory = limits.memory ?? memory
            memorySwap = limits.memorySwap ?? memorySwap
            memoryReservation = limits.memoryReservation ?? memoryReservation
            cpuPeriod = limits.cpuPeriod ?? cpuPeriod
            cpuQuota = limits.cpuQuota ?? cpuQuota
            cpuShares = limits.cpuShares ?? cpuShares
            cpusetCpus = limits.cpusetCpus?.description ?? cpusetCpus
            cpusetMems = limits.cpusetMems?.description ?? cpusetMems
            pidsLimit = limits.pidsLimit ?? pidsLimit
            blockIOWeight = limits.blockIOWeight ?? blockIOWeight
        }

        /// Docker's NanoCpus: the quota over the period, in billionths of a CPU; 0 without a quota.
        public var nanoCPUs: Int64 {
            guard let cpuQuota, cpuQuota > 0 else { return 0 }
            return cpuQuota * 1_000_000_000 / (cpuPeriod ?? ResourceLimits.defaultCPUPeriod)
        }
    }

    public init(spec: ContainerSpec) {
        hostname = spec.hostname
        readOnlyRoot = spec.root.readOnly
        namespaces = Dictionary(uniqueKeysWithValues: spec.namespaces.map { namespace, mode in
            let text = switch mode {
            case .new: "private"
            case .host: "host"
            case .join(let path): path
            }
            return (namespace.procName, text)
        })
        uidMap = spec.userNamespace?.uidMap.mappings.map { "\($0.containerID) \($0.hostID) \($0.size)" } ?? []
        gidMap = spec.userNamespace?.gidMap.mappings.map { "\($0.containerID) \($0.hostID) \($0.size)" } ?? []
        seccomp = switch spec.seccomp {
        case .unconfined: "unconfined"
        case .filter: "oci"
        case .dockerProfile(_, let source): source
        }
        // The runtime's own binds of /proc, /sys and /dev (and the device nodes beneath it) are not the user's.
        binds = spec.mounts.compactMap { entry in
            guard case .bind(let source, _, _) = entry.kind,
                  !["/proc", "/sys", "/dev"].contains(where: { source == $0 || source.hasPrefix($0 + "/") }) else { return nil }
            return Bind(source: source, destination: entry.target, readOnly: entry.attributes.contains(.readOnly))
        }
        var tmpfs: [String: String] = [:]
        for entry in spec.mounts where !["/dev", "/dev/shm"].contains(entry.target) {
            if case .filesystem("tmpfs", let data, _) = entry.kind { tmpfs[entry.target] = data ?? "" }
        }
        self.tmpfs = tmpfs
        limits = Limits()
        limits.merge(spec.resources)
    }
}
