/// The two cgroup interfaces: v1, one hierarchy per controller (or a few mounted together), and v2, one tree.
public enum CgroupVersion: Equatable, Sendable {
    case v1, v2
}

/// One value to write in a container's cgroup: the controller whose directory holds the file, the file, the text.
public struct CgroupWrite: Equatable, Sendable {
    public var controller: String
    public var file: String
    public var value: String
    /// Skipped, not an error, where the kernel lacks the file: swap accounting is often off, and Docker then
    /// limits memory without swap unless `--memory-swap` was given.
    public var skipIfMissing = false

    public init(controller: String, file: String, value: String, skipIfMissing: Bool = false) {
        self.controller = controller
        self.file = file
        self.value = value
        self.skipIfMissing = skipIfMissing
    }
}

/// Resource limits as cgroup files, for either version. The file names and unit conversions are one table,
/// read the same way for v1 and v2, so that what `--memory` writes on a v2 host is tested without one.
public enum CgroupFiles {
    /// The files to write, in the order to write them. On v1 the memory limit comes before memory+swap,
    /// which the kernel keeps at least as large, and the CFS period before the quota; `unified` comes last.
    public static func writes(for limits: ResourceLimits, version: CgroupVersion) -> [CgroupWrite] {
        table.flatMap { row in (version == .v1 ? row.v1 : row.v2)?.writes(limits) ?? [] }
    }

    /// The settings `limits` asks for that `version` has no file for, by their OCI names
    /// (`linux.resources.memory.swappiness`): a hierarchy of that version cannot honour them.
    public static func unsupported(_ limits: ResourceLimits, version: CgroupVersion) -> [String] {
        table.compactMap { row in
            let (own, other) = version == .v1 ? (row.v1, row.v2) : (row.v2, row.v1)
            guard own == nil, let other, !other.writes(limits).isEmpty else { return nil }
            return row.setting
        }
    }

    /// The writes of each setting `limits` asks for that only v2 has a file for (`linux.resources.unified`): on
    /// a hybrid host they need their controller on the v2 tree, and are written nowhere else.
    public static func v2Only(_ limits: ResourceLimits) -> [(setting: String, writes: [CgroupWrite])] {
        table.compactMap { row in
            guard row.v1 == nil, let writes = row.v2?.writes(limits), !writes.isEmpty else { return nil }
            return (row.setting, writes)
        }
    }

    /// crun's conversion of v1 shares (2-262144) to v2 weight (1-10000), linear, so that 1024 and 512 keep
    /// their 2:1 ratio (39 and 20).
    public static func weight(shares: Int64) -> Int64 {
        1 + ((shares - 2) * 9999) / 262_142
    }

    /// runc's conversion of a v1 block I/O weight (10-1000) to v2's io.weight (1-10000), linear.
    public static func ioWeight(_ weight: UInt16) -> Int {
        1 + (Int(weight) - 10) * 9999 / 990
    }

    /// What a setting writes in one version: no write, one, or one a device (or page size, or key).
    struct Target: Sendable {
        let writes: @Sendable (ResourceLimits) -> [CgroupWrite]

        init(writes: @escaping @Sendable (ResourceLimits) -> [CgroupWrite]) {
            self.writes = writes
        }

        /// One file, written when the limits give it a value.
        init(_ controller: String, _ file: String, skipIfMissing: @escaping @Sendable (ResourceLimits) -> Bool = { _ in false },
             value: @escaping @Sendable (ResourceLimits) -> String?) {
            writes = { limits in
                value(limits).map { [CgroupWrite(controller: controller, file: file, value: $0, skipIfMissing: skipIfMissing(limits))] } ?? []
            }
        }

        /// One file written once a value: the kernel takes one device's line a write.
        init(_ controller: String, _ file: String, lines: @escaping @Sendable (ResourceLimits) -> [String]) {
            writes = { limits in lines(limits).map { CgroupWrite(controller: controller, file: file, value: $0) } }
        }
    }

    /// One setting, named as an OCI config names it, as each version spells it; nil where a version has none.
    struct Row: Sendable {
        let setting: String
        let v1: Target?
        let v2: Target?
    }

    /// v2 spells unlimited "max" where v1 takes -1.
    static func v2Value(_ value: Int64) -> String {
        value == -1 ? "max" : String(value)
    }

    static let table: [Row] = [
        Row(setting: "linux.resources.memory.limit",
            v1: Target("memory", "memory.limit_in_bytes") { $0.memory.map(String.init) },
            v2: Target("memory", "memory.max") { $0.memory.map(v2Value) }),
        // v1 limits memory and swap together; v2 limits swap alone, so it gets the difference.
        Row(setting: "linux.resources.memory.swap",
            v1: Target("memory", "memory.memsw.limit_in_bytes", skipIfMissing: { !$0.memorySwapGiven }) {
                $0.memorySwap.map(String.init)
            },
            v2: Target("memory", "memory.swap.max", skipIfMissing: { !$0.memorySwapGiven }) { limits in
                guard let swap = limits.memorySwap, let memory = limits.memory else { return nil }
                return swap == -1 ? "max" : String(swap - memory)
            }),
        Row(setting: "linux.resources.memory.reservation",
            v1: Target("memory", "memory.soft_limit_in_bytes") { $0.memoryReservation.map(String.init) },
            v2: Target("memory", "memory.low") { $0.memoryReservation.map(v2Value) }),
        Row(setting: "linux.resources.memory.swappiness",
            v1: Target("memory", "memory.swappiness") { $0.memorySwappiness.map(String.init) },
            v2: nil),
        Row(setting: "linux.resources.memory.disableOOMKiller",
            v1: Target("memory", "memory.oom_control") { $0.disableOOMKiller ? "1" : nil },
            v2: nil),
        // v2 has one file for both, "QUOTA PERIOD", with "max" for no quota and the kernel's 100 ms period
        // when only the quota is given.
        Row(setting: "linux.resources.cpu.quota",
            v1: Target { limits in
                Target("cpu", "cpu.cfs_period_us") { $0.cpuPeriod.map(String.init) }.writes(limits)
                    + Target("cpu", "cpu.cfs_quota_us") { $0.cpuQuota.map(String.init) }.writes(limits)
            },
            v2: Target("cpu", "cpu.max") { limits in
                guard limits.cpuQuota != nil || limits.cpuPeriod != nil else { return nil }
                return "\(limits.cpuQuota.map(v2Value) ?? "max") \(limits.cpuPeriod ?? ResourceLimits.defaultCPUPeriod)"
            }),
        Row(setting: "linux.resources.cpu.burst",
            v1: Target("cpu", "cpu.cfs_burst_us") { $0.cpuBurst.map(String.init) },
            v2: Target("cpu", "cpu.max.burst") { $0.cpuBurst.map(String.init) }),
        Row(setting: "linux.resources.cpu.shares",
            v1: Target("cpu", "cpu.shares") { $0.cpuShares.map(String.init) },
            v2: Target("cpu", "cpu.weight") { $0.cpuShares.map { String(weight(shares: $0)) } }),
        Row(setting: "linux.resources.cpu.idle",
            v1: nil,
            v2: Target("cpu", "cpu.idle") { $0.cpuIdle.map(String.init) }),
        Row(setting: "linux.resources.cpu.cpus",
            v1: Target("cpuset", "cpuset.cpus") { $0.cpusetCpus?.description },
            v2: Target("cpuset", "cpuset.cpus") { $0.cpusetCpus?.description }),
        Row(setting: "linux.resources.cpu.mems",
            v1: Target("cpuset", "cpuset.mems") { $0.cpusetMems?.description },
            v2: Target("cpuset", "cpuset.mems") { $0.cpusetMems?.description }),
        Row(setting: "linux.resources.pids.limit",
            v1: Target("pids", "pids.max") { $0.pidsLimit.map(String.init) },
            v2: Target("pids", "pids.max") { $0.pidsLimit.map(String.init) }),
        // The blkio controller is v2's io; the weight of a device is a line in the same file there.
        Row(setting: "linux.resources.blockIO.weight",
            v1: Target("blkio", "blkio.weight") { $0.blockIOWeight.map(String.init) },
            v2: Target("io", "io.weight") { $0.blockIOWeight.map { "default \(ioWeight($0))" } }),
        Row(setting: "linux.resources.blockIO.weightDevice",
            v1: Target("blkio", "blkio.weight_device") { $0.blockIODeviceWeights.map { "\($0.major):\($0.minor) \($0.weight)" } },
            v2: Target("io", "io.weight") { $0.blockIODeviceWeights.map { "\($0.major):\($0.minor) \(ioWeight($0.weight))" } }),
        Row(setting: "linux.resources.blockIO.throttle",
            v1: Target { limits in
                limits.blockIOThrottles.map { throttle in
                    CgroupWrite(controller: "blkio", file: "blkio.throttle.\(throttleNames[throttle.kind]!.v1)_device",
                                value: "\(throttle.major):\(throttle.minor) \(throttle.rate)")
                }
            },
            v2: Target("io", "io.max") { limits in
                limits.blockIOThrottles.map { "\($0.major):\($0.minor) \(throttleNames[$0.kind]!.v2)=\($0.rate)" }
            }),
        Row(setting: "linux.resources.hugepageLimits",
            v1: Target { limits in
                limits.hugepageLimits.map {
                    CgroupWrite(controller: "hugetlb", file: "hugetlb.\($0.pageSize).limit_in_bytes", value: String($0.limit))
                }
            },
            v2: Target { limits in
                limits.hugepageLimits.map { CgroupWrite(controller: "hugetlb", file: "hugetlb.\($0.pageSize).max", value: String($0.limit)) }
            }),
        Row(setting: "linux.resources.network.classID",
            v1: Target("net_cls", "net_cls.classid") { $0.networkClassID.map(String.init) },
            v2: nil),
        Row(setting: "linux.resources.network.priorities",
            v1: Target("net_prio", "net_prio.ifpriomap") { $0.networkPriorities.map { "\($0.name) \($0.priority)" } },
            v2: nil),
        Row(setting: "linux.resources.rdma",
            v1: Target("rdma", "rdma.max", lines: rdmaLines),
            v2: Target("rdma", "rdma.max", lines: rdmaLines)),
        // The key is the file; its controller is the name's first part (`memory.high`), as the kernel names them.
        Row(setting: "linux.resources.unified",
            v1: nil,
            v2: Target { limits in
                limits.unified.sorted { $0.key < $1.key }.map { file, value in
                    CgroupWrite(controller: String(file.prefix { $0 != "." }), file: file, value: value)
                }
            }),
    ]

    /// The v1 file (blkio.throttle.NAME_device) and the v2 io.max key of each kind of throttle.
    static let throttleNames: [ResourceLimits.DeviceThrottle.Kind: (v1: String, v2: String)] = [
        .readBytes: ("read_bps", "rbps"), .writeBytes: ("write_bps", "wbps"),
        .readOperations: ("read_iops", "riops"), .writeOperations: ("write_iops", "wiops"),
    ]

    /// rdma.max's line for a device, with the limits it sets: `mlx5_1 hca_handle=2 hca_object=2000`.
    @Sendable static func rdmaLines(_ limits: ResourceLimits) -> [String] {
        limits.rdma.map { limit in
            ([limit.device] + [limit.handles.map { "hca_handle=\($0)" }, limit.objects.map { "hca_object=\($0)" }].compactMap { $0 })
                .joined(separator: " ")
        }
    }
}
