import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// Docker's resource flags, with Docker's units (b, k, m, g) and rules; they become cgroup limits.
struct ResourceOptions: ParsableArguments {
    @Option(name: [.customShort("m"), .long], help: ArgumentHelp("Memory limit, at least 6m.", valueName: "bytes"))
    var memory: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Memory plus swap: -1 unlimited; unset: as much swap as memory; equal to --memory: no swap.",
                               valueName: "bytes"))
    var memorySwap: String?

    @Option(help: ArgumentHelp("A soft limit under --memory.", valueName: "bytes"))
    var memoryReservation: String?

    @Option(help: ArgumentHelp("CPUs, such as 1.5: a quota over a 100 ms period.", valueName: "number"))
    var cpus: String?

    @Option(help: ArgumentHelp("The CPU CFS period, in microseconds.", valueName: "µs"))
    var cpuPeriod: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The CPU CFS quota, in microseconds per period.", valueName: "µs"))
    var cpuQuota: String?

    @Option(name: [.customShort("c"), .long], help: ArgumentHelp("Relative CPU weight (1024 is the default).", valueName: "shares"))
    var cpuShares: String?

    @Option(help: ArgumentHelp("CPUs it may run on, such as 0-1 or 1,3.", valueName: "list"))
    var cpusetCpus: String?

    @Option(help: ArgumentHelp("Memory nodes it may use, such as 0.", valueName: "list"))
    var cpusetMems: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Most tasks at once (-1 or 0: unlimited).", valueName: "number"))
    var pidsLimit: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("How readily its memory is swapped out, 0 to 100 (-1: the host's; cgroup v1 only).", valueName: "number"))
    var memorySwappiness: String?

    @Flag(help: "Past its memory limit, its processes wait for memory instead of being killed (cgroup v1 only).")
    var oomKillDisable = false

    @Flag(help: "When the container ends, print its peak memory, CPU time and most tasks, from its cgroup.")
    var statsOnExit = false

    func apply(to spec: inout RunSpec) throws {
        spec.statsOnExit = statsOnExit
        let flags = [memory, memorySwap, memoryReservation, cpus, cpuPeriod, cpuQuota, cpuShares, cpusetCpus, cpusetMems, pidsLimit]
        // The host's CPUs and nodes are read only when a flag is there to be checked against them.
        if flags.contains(where: { $0 != nil }) {
            spec.resources = try ResourceLimits(
                memory: memory, memorySwap: memorySwap, memoryReservation: memoryReservation, cpus: cpus, cpuPeriod: cpuPeriod,
                cpuQuota: cpuQuota, cpuShares: cpuShares, cpusetCpus: cpusetCpus, cpusetMems: cpusetMems, pidsLimit: pidsLimit,
                host: try HostResources.online())
        }
        if let memorySwappiness {
            let value = try ResourceLimits.integer(memorySwappiness, flag: "--memory-swappiness")
            guard value == -1 || (0...100).contains(value) else {
                throw SandboxError("invalid value: \(value). Valid memory swappiness range is 0-100")
            }
            spec.resources.memorySwappiness = value == -1 ? nil : UInt64(value)
        }
        spec.resources.disableOOMKiller = oomKillDisable
    }
}
