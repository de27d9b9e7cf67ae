import SandboxLinux
import SandboxPolicy

extension FuzzTarget {
    /// The resource flags as `NAME=VALUE` lines, each flag's name without its dashes (`memory=512m`,
    /// `cpus=0.5`, `cpuset-cpus=0-1`), parsed and checked against a host with CPUs 0-1 and memory node 0,
    /// then turned into cgroup files for both versions.
    static let resourceLimits = FuzzTarget(name: "resource-limits") { bytes in
        let flags = FuzzInput.flags(bytes)
        let limits = try ResourceLimits(
            memory: flags["memory"], memorySwap: flags["memory-swap"], memoryReservation: flags["memory-reservation"],
            cpus: flags["cpus"], cpuPeriod: flags["cpu-period"], cpuQuota: flags["cpu-quota"],
            cpuShares: flags["cpu-shares"], cpusetCpus: flags["cpuset-cpus"], cpusetMems: flags["cpuset-mems"],
            pidsLimit: flags["pids-limit"],
            host: HostResources(onlineCPUs: CPUList(ranges: [0...1]), onlineNodes: CPUList(ranges: [0...0])))
        _ = CgroupFiles.writes(for: limits, version: .v1)
        _ = CgroupFiles.writes(for: limits, version: .v2)
    }
}
