/// What a container's cgroup limits: `--memory`, `--cpus`, `--cpuset-cpus`, `--pids-limit` and the rest of
/// Docker's resource flags, parsed with Docker's units and checked by Docker's rules (daemon/daemon_unix.go,
/// verifyPlatformContainerResources), with its messages, before anything is created; or an OCI config's
/// `linux.resources`, which holds more. Every field is nil (or empty) when not asked for; a container whose
/// limits are all unset needs no cgroup of its own. Memory values are bytes, -1 unlimited.
public struct ResourceLimits: Codable, Equatable, Sendable {
    /// Docker's floor (linuxMinMemory): not a kernel limit, but less leaves no room for the runtime's start-up.
    public static let minimumMemory: Int64 = 6 * 1024 * 1024
    /// The CFS period `--cpus` uses, 100 ms, in microseconds.
    public static let defaultCPUPeriod: Int64 = 100_000
    /// The kernel's range for cpu.shares (kernel/sched/sched.h, MIN_SHARES and MAX_SHARES).
    public static let cpuSharesRange: ClosedRange<Int64> = 2...262_144

    /// Bytes of memory.
    public var memory: Int64?
    /// Memory plus swap in bytes, as Docker's MemorySwap: -1 for unlimited swap; equal to `memory` means no
    /// swap. Docker's flags set it whenever `memory` is: without `--memory-swap` it is twice `memory` (as much
    /// swap as memory).
    public var memorySwap: Int64?
    /// Whether `--memory-swap` (an OCI `swap`) was given. Where the kernel keeps no swap account, Docker
    /// limits memory without swap; only an explicit `--memory-swap` then fails.
    public var memorySwapGiven = false
    /// Bytes the kernel tries to leave the container under memory pressure (a soft limit).
    public var memoryReservation: Int64?
    /// CFS period in microseconds.
    public var cpuPeriod: Int64?
    /// CFS quota in microseconds per period; -1 is no limit.
    public var cpuQuota: Int64?
    /// cgroup v1 shares, within `cpuSharesRange`; v2 gets the equivalent weight.
    public var cpuShares: Int64?
    public var cpusetCpus: CPUList?
    public var cpusetMems: CPUList?
    /// Most tasks at once; nil is unlimited (Docker's 0 and -1).
    public var pidsLimit: Int64?

    // What only an OCI config asks for.

    /// How readily the kernel swaps the container's memory out, 0-100 (v1 only).
    public var memorySwappiness: UInt64?
    /// Processes past the memory limit wait instead of being killed (v1 only).
    public var disableOOMKiller = false
    /// CFS burst in microseconds: quota a period may borrow from earlier ones (Linux 5.14).
    public var cpuBurst: UInt64?
    /// 1: the cgroup's tasks are SCHED_IDLE (v2 only, Linux 5.15).
    public var cpuIdle: Int64?
    /// Block I/O weight, 10-1000, for every device but those `blockIODeviceWeights` names.
    public var blockIOWeight: UInt16?
    public var blockIODeviceWeights: [DeviceWeight] = []
    public var blockIOThrottles: [DeviceThrottle] = []
    public var hugepageLimits: [HugepageLimit] = []
    /// The net_cls class id of the container's packets (v1 only).
    public var networkClassID: UInt32?
    /// net_prio's priority of the container's packets by interface (v1 only).
    public var networkPriorities: [InterfacePriority] = []
    /// RDMA limits by device, sorted by name.
    public var rdma: [RDMALimit] = []
    /// cgroup v2 files and the values written to them as given, last, so that they win (v2 only).
    public var unified: [String: String] = [:]

    public init() {}

    /// True when no flag asked for a limit: the container can run without a cgroup of its own, which is
    /// how a caller without a delegated cgroup still runs.
    public var isEmpty: Bool { self == ResourceLimits() }

    /// Parses the flags as the command line gives them (nil: not given) and applies Docker's rules.
    public init(
        memory: String? = nil, memorySwap: String? = nil, memoryReservation: String? = nil,
        cpus: String? = nil, cpuPeriod: String? = nil, cpuQuota: String? = nil, cpuShares: String? = nil,
        cpusetCpus: String? = nil, cpusetMems: String? = nil, pidsLimit: String? = nil,
        host: HostResources
    ) throws {
        let memoryBytes = try memory.map { try Self.bytes($0, flag: "--memory") } ?? 0
        let swapBytes = try memorySwap.map { $0 == "-1" ? -1 : try Self.bytes($0, flag: "--memory-swap") } ?? 0
        let reservation = try memoryReservation.map { try Self.bytes($0, flag: "--memory-reservation") } ?? 0
        let nanoCPUs = try cpus.map { try Self.nanoCPUs($0) } ?? 0
        let period = try cpuPeriod.map { try Self.integer($0, flag: "--cpu-period") } ?? 0
        let quota = try cpuQuota.map { try Self.integer($0, flag: "--cpu-quota") } ?? 0
        let shares = try cpuShares.map { try Self.integer($0, flag: "--cpu-shares") } ?? 0
        let pids = try pidsLimit.map { try Self.integer($0, flag: "--pids-limit") } ?? 0

        // Memory: 0 is unset, for each of the three.
        if memoryBytes != 0, memoryBytes < Self.minimumMemory {
            throw SandboxError("Minimum memory limit allowed is 6MB")
        }
        if memoryBytes > 0, swapBytes > 0, swapBytes < memoryBytes {
            throw SandboxError("Minimum memoryswap limit should be larger than memory limit, see usage")
        }
        if memoryBytes == 0, swapBytes > 0 {
            throw SandboxError("You should always set the Memory limit when using Memoryswap limit, see usage")
        }
        if reservation != 0, reservation < Self.minimumMemory {
            throw SandboxError("Minimum memory reservation allowed is 6MB")
        }
        if memoryBytes > 0, reservation > 0, memoryBytes < reservation {
            throw SandboxError("Minimum memory limit can not be less than memory reservation limit, see usage")
        }
        if memoryBytes > 0 {
            self.memory = memoryBytes
            self.memorySwap = swapBytes != 0 ? swapBytes : memoryBytes > Int64.max / 2 ? -1 : memoryBytes * 2
            self.memorySwapGiven = swapBytes != 0
        }
        if reservation > 0 { self.memoryReservation = reservation }

        // CPU time: --cpus is a quota over Docker's 100 ms period, so it excludes both explicit settings.
        if nanoCPUs != 0, period != 0 {
            throw SandboxError("Conflicting options: Nano CPUs and CPU Period cannot both be set")
        }
        if nanoCPUs != 0, quota != 0 {
            throw SandboxError("Conflicting options: Nano CPUs and CPU Quota cannot both be set")
        }
        let cpuCount = Int64(host.onlineCPUs.count)
        // Docker leaves values under 0.01 to the kernel, which refuses a quota under 1 ms; its message
        // already names 0.01 as the floor, so refuse them here, before anything is made.
        if nanoCPUs < 0 || (nanoCPUs > 0 && nanoCPUs < 10_000_000) || nanoCPUs > cpuCount * 1_000_000_000 {
            throw SandboxError("Range of CPUs is from 0.01 to \(cpuCount).00, as there are only \(cpuCount) CPUs available")
        }
        if period != 0, !(1000...1_000_000).contains(period) {
            throw SandboxError("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)")
        }
        if quota < -1 || (quota > 0 && quota < 1000) {
            throw SandboxError("CPU cfs quota can not be less than 1ms (i.e. 1000)")
        }
        if nanoCPUs > 0 {
            self.cpuPeriod = Self.defaultCPUPeriod
            self.cpuQuota = nanoCPUs * Self.defaultCPUPeriod / 1_000_000_000
        }
        if period != 0 { self.cpuPeriod = period }
        if quota != 0 { self.cpuQuota = quota }

        // CPU weight: Docker moves a value outside the kernel's range to its nearest end, with only a warning
        // in the daemon's log; the v1 kernel clamps the same way.
        if shares < 0 {
            throw SandboxError("invalid argument \"\(cpuShares ?? "")\" for \"--cpu-shares\" flag: shares cannot be negative")
        }
        if shares > 0 { self.cpuShares = min(max(shares, Self.cpuSharesRange.lowerBound), Self.cpuSharesRange.upperBound) }

        // Docker treats an empty cpuset as not given.
        if let cpusetCpus, !cpusetCpus.isEmpty {
            self.cpusetCpus = try Self.cpuset(cpusetCpus, kind: "cpus", available: host.onlineCPUs,
                                              unavailable: "Requested CPUs are not available")
        }
        if let cpusetMems, !cpusetMems.isEmpty {
            self.cpusetMems = try Self.cpuset(cpusetMems, kind: "mems", available: host.onlineNodes,
                                              unavailable: "Requested memory nodes are not available")
        }

        if pids > 0 { self.pidsLimit = pids }
    }

    private static func cpuset(_ text: String, kind: String, available: CPUList, unavailable: String) throws -> CPUList {
        let list: CPUList
        do { list = try CPUList(parsing: text) } catch let error as SandboxError {
            throw SandboxError("Invalid value \(text) for cpuset \(kind): \(error.message)")
        }
        guard list.isSubset(of: available) else {
            throw SandboxError("\(unavailable) - requested \(text), available: \(available)")
        }
        return list
    }
}
