import SandboxPolicy

/// The host's CPUs and memory nodes, and Docker's resource flags resolved on them.
extension Fixtures {
    /// Two CPUs and one memory node, as this machine.
    public static let resources = HostResources(onlineCPUs: CPUList(ranges: [0...1]), onlineNodes: CPUList(ranges: [0...0]))

    /// Docker's resource flags of one row, by name, as `sandbox run` receives them.
    public static func limits(_ flags: [String: String]) throws -> ResourceLimits {
        try ResourceLimits(
            memory: flags["memory"], memorySwap: flags["memory-swap"], memoryReservation: flags["memory-reservation"],
            cpus: flags["cpus"], cpuPeriod: flags["cpu-period"], cpuQuota: flags["cpu-quota"],
            cpuShares: flags["cpu-shares"], cpusetCpus: flags["cpuset-cpus"], cpusetMems: flags["cpuset-mems"],
            pidsLimit: flags["pids-limit"], host: resources)
    }
}
