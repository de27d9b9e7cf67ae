extension OCI {
    /// `linux.resources`: what the container's cgroup allows. Memory values are bytes, -1 for unlimited; CPU
    /// times are microseconds.
    public struct Resources: Codable, Equatable, Sendable {
        /// The device allow list, applied in order (the devices controller, or its eBPF program on cgroup v2).
        public var devices: [DeviceRule]?
        public var memory: Memory?
        public var cpu: CPU?
        public var pids: Pids?
        public var blockIO: BlockIO?
        public var hugepageLimits: [HugepageLimit]?
        public var network: Network?
        /// RDMA limits by device name (`mlx5_1`).
        public var rdma: [String: RDMA]?
        /// cgroup v2 files and the values to write to them (`io.max`), written even when unknown to the runtime.
        public var unified: [String: String]?

        public init() {}

        /// An allow-list entry; absent `type`, `major` or `minor` mean all (`a`, `*`).
        public struct DeviceRule: Codable, Equatable, Sendable {
            public var allow: Bool
            /// `a` (all), `c` (character) or `b` (block).
            public var type: String?
            public var major: Int64?
            public var minor: Int64?
            /// Some of `r` (read), `w` (write) and `m` (mknod).
            public var access: String?

            public init(allow: Bool, type: String? = nil, major: Int64? = nil, minor: Int64? = nil,
                        access: String? = nil) {
                self.allow = allow
                self.type = type
                self.major = major
                self.minor = minor
                self.access = access
            }
        }

        public struct Memory: Codable, Equatable, Sendable {
            public var limit: Int64?
            /// The soft limit.
            public var reservation: Int64?
            /// Memory and swap together, as cgroup v1's memsw and Docker's --memory-swap count them.
            public var swap: Int64?
            /// Not recommended: the kernel dropped kernel memory limits in 5.16.
            public var kernel: Int64?
            public var kernelTCP: Int64?
            /// 0 to 100.
            public var swappiness: UInt64?
            public var disableOOMKiller: Bool?
            public var useHierarchy: Bool?
            /// Refuse a limit below the current usage (as cgroup v1 does) instead of invoking the OOM killer.
            public var checkBeforeUpdate: Bool?

            public init() {}
        }

        public struct CPU: Codable, Equatable, Sendable {
            /// A relative weight against other cgroups.
            public var shares: UInt64?
            /// Run time a period allows; no less than `burst` when positive.
            public var quota: Int64?
            public var burst: UInt64?
            public var period: UInt64?
            public var realtimeRuntime: Int64?
            public var realtimePeriod: UInt64?
            /// CPU and memory-node lists (`0-3,7`).
            public var cpus: String?
            public var mems: String?
            /// 1 makes the cgroup SCHED_IDLE.
            public var idle: Int64?

            public init() {}
        }

        public struct Pids: Codable, Equatable, Sendable {
            /// The most tasks at once.
            public var limit: Int64

            public init(limit: Int64) { self.limit = limit }
        }

        public struct BlockIO: Codable, Equatable, Sendable {
            public var weight: UInt16?
            public var leafWeight: UInt16?
            public var weightDevice: [WeightDevice]?
            /// Bytes a second.
            public var throttleReadBpsDevice: [ThrottleDevice]?
            public var throttleWriteBpsDevice: [ThrottleDevice]?
            /// Operations a second.
            public var throttleReadIOPSDevice: [ThrottleDevice]?
            public var throttleWriteIOPSDevice: [ThrottleDevice]?

            public init() {}

            /// A device's weight; at least one of the two weights is required.
            public struct WeightDevice: Codable, Equatable, Sendable {
                public var major: Int64
                public var minor: Int64
                public var weight: UInt16?
                public var leafWeight: UInt16?

                public init(major: Int64, minor: Int64, weight: UInt16? = nil, leafWeight: UInt16? = nil) {
                    self.major = major
                    self.minor = minor
                    self.weight = weight
                    self.leafWeight = leafWeight
                }
            }

            public struct ThrottleDevice: Codable, Equatable, Sendable {
                public var major: Int64
                public var minor: Int64
                /// Required by the prose, though not by the schema.
                public var rate: UInt64?

                public init(major: Int64, minor: Int64, rate: UInt64? = nil) {
                    self.major = major
                    self.minor = minor
                    self.rate = rate
                }
            }
        }

        /// A HugeTLB limit for one page size.
        public struct HugepageLimit: Codable, Equatable, Sendable {
            /// `<size><unit>B` in base 1024: `64KB`, `2MB`, `1GB`.
            public var pageSize: String
            /// Bytes.
            public var limit: UInt64

            public init(pageSize: String, limit: UInt64) {
                self.pageSize = pageSize
                self.limit = limit
            }
        }

        /// The net_cls and net_prio controllers (cgroup v1 only).
        public struct Network: Codable, Equatable, Sendable {
            public var classID: UInt32?
            public var priorities: [InterfacePriority]?

            public init() {}

            public struct InterfacePriority: Codable, Equatable, Sendable {
                /// An interface in the runtime's network namespace.
                public var name: String
                public var priority: UInt32

                public init(name: String, priority: UInt32) {
                    self.name = name
                    self.priority = priority
                }
            }
        }

        /// At least one of the two.
        public struct RDMA: Codable, Equatable, Sendable {
            public var hcaHandles: UInt32?
            public var hcaObjects: UInt32?

            public init(hcaHandles: UInt32? = nil, hcaObjects: UInt32? = nil) {
                self.hcaHandles = hcaHandles
                self.hcaObjects = hcaObjects
            }
        }
    }
}
