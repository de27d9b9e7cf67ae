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
    /// which the kernel keeps at least as large, and the CFS period before the quota.
    public static func writes(for limits: ResourceLimits, version: CgroupVersion) -> [CgroupWrite] {
        table.compactMap { row in
            guard let target = version == .v1 ? row.v1 : row.v2, let value = target.value(limits) else { return nil }
            return CgroupWrite(controller: row.controller, file: target.file, value: value,
                               skipIfMissing: target.skipIfMissing(limits))
        }
    }

    /// crun's conversion of v1 shares (2-262144) to v2 weight (1-10000), linear, so that 1024 and 512 keep
    /// their 2:1 ratio (39 and 20).
    public static func weight(shares: Int64) -> Int64 {
        1 + ((shares - 2) * 9999) / 262_142
    }

    /// One file in one version: its name, and the text a limit becomes (nil: nothing to write).
    struct Target: Sendable {
        let file: String
        let value: @Sendable (ResourceLimits) -> String?
        var skipIfMissing: @Sendable (ResourceLimits) -> Bool = { _ in false }
    }

    /// One setting, as each version spells it; nil where a version has no such file.
    struct Row: Sendable {
        let controller: String
        let v1: Target?
        let v2: Target?
    }

    static let table: [Row] = [
        Row(controller: "memory",
            v1: Target(file: "memory.limit_in_bytes", value: { $0.memory.map(String.init) }),
            v2: Target(file: "memory.max", value: { $0.memory.map(String.init) })),
        // v1 limits memory and swap together; v2 limits swap alone, so it gets the difference.
        Row(controller: "memory",
            v1: Target(file: "memory.memsw.limit_in_bytes", value: { $0.memorySwap.map(String.init) },
                       skipIfMissing: { !$0.memorySwapGiven }),
            v2: Target(file: "memory.swap.max", value: { limits in
                guard let swap = limits.memorySwap, let memory = limits.memory else { return nil }
                return swap == -1 ? "max" : String(swap - memory)
            }, skipIfMissing: { !$0.memorySwapGiven })),
        Row(controller: "memory",
            v1: Target(file: "memory.soft_limit_in_bytes", value: { $0.memoryReservation.map(String.init) }),
            v2: Target(file: "memory.low", value: { $0.memoryReservation.map(String.init) })),
        // v2 has one file for both, "QUOTA PERIOD", with "max" for no quota and the kernel's 100 ms period
        // when only the quota is given.
        Row(controller: "cpu",
            v1: Target(file: "cpu.cfs_period_us", value: { $0.cpuPeriod.map(String.init) }),
            v2: nil),
        Row(controller: "cpu",
            v1: Target(file: "cpu.cfs_quota_us", value: { $0.cpuQuota.map(String.init) }),
            v2: Target(file: "cpu.max", value: { limits in
                guard limits.cpuQuota != nil || limits.cpuPeriod != nil else { return nil }
                let quota = limits.cpuQuota.map { $0 == -1 ? "max" : String($0) } ?? "max"
                return "\(quota) \(limits.cpuPeriod ?? ResourceLimits.defaultCPUPeriod)"
            })),
        Row(controller: "cpu",
            v1: Target(file: "cpu.shares", value: { $0.cpuShares.map(String.init) }),
            v2: Target(file: "cpu.weight", value: { $0.cpuShares.map { String(weight(shares: $0)) } })),
        Row(controller: "cpuset",
            v1: Target(file: "cpuset.cpus", value: { $0.cpusetCpus?.description }),
            v2: Target(file: "cpuset.cpus", value: { $0.cpusetCpus?.description })),
        Row(controller: "cpuset",
            v1: Target(file: "cpuset.mems", value: { $0.cpusetMems?.description }),
            v2: Target(file: "cpuset.mems", value: { $0.cpusetMems?.description })),
        Row(controller: "pids",
            v1: Target(file: "pids.max", value: { $0.pidsLimit.map(String.init) }),
            v2: Target(file: "pids.max", value: { $0.pidsLimit.map(String.init) })),
    ]
}
