import ArgumentParser
import SandboxPolicy

/// The cgroup limits `run` sets and `update` changes, with Docker's names, units (b, k, m, g) and rules; runc's
/// update spells --cpu-shares as --cpu-share, and takes it too.
struct CgroupLimitOptions: ParsableArguments {
    @Option(name: [.customShort("m"), .long], help: ArgumentHelp("Memory limit, in bytes or with b, k, m, g; at least 6m.", valueName: "bytes"))
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

    @Option(name: [.customShort("c"), .customLong("cpu-shares"), .customLong("cpu-share")],
            help: ArgumentHelp("Relative CPU weight (1024 is the default).", valueName: "shares"))
    var cpuShares: String?

    @Option(help: ArgumentHelp("CPUs it may run on, such as 0-1 or 1,3, among the host's.", valueName: "list"))
    var cpusetCpus: String?

    @Option(help: ArgumentHelp("Memory nodes it may use, such as 0, among the host's.", valueName: "list"))
    var cpusetMems: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Most tasks at once (-1 or 0: unlimited).", valueName: "number"))
    var pidsLimit: String?

    var isEmpty: Bool {
        [memory, memorySwap, memoryReservation, cpus, cpuPeriod, cpuQuota, cpuShares, cpusetCpus, cpusetMems, pidsLimit].allSatisfy { $0 == nil }
    }

    /// The limits the flags give, checked against this host's CPUs and memory nodes (read only when a flag is
    /// there to be checked against them); nil when none is given.
    func limits() throws -> ResourceLimits? {
        guard !isEmpty else { return nil }
        return try ResourceLimits(
            memory: memory, memorySwap: memorySwap, memoryReservation: memoryReservation, cpus: cpus, cpuPeriod: cpuPeriod,
            cpuQuota: cpuQuota, cpuShares: cpuShares, cpusetCpus: cpusetCpus, cpusetMems: cpusetMems, pidsLimit: pidsLimit,
            host: try HostResources.online())
    }
}
