import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// Docker's resource flags for `run`: the limits `update` may change, and those only `run` sets.
struct ResourceOptions: ParsableArguments {
    @OptionGroup var limits: CgroupLimitOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("How readily its memory is swapped out, 0 to 100 (-1: the host's; cgroup v1 only).", valueName: "number"))
    var memorySwappiness: String?

    @Flag(help: "Past its memory limit, its processes wait for memory instead of being killed (cgroup v1 only).")
    var oomKillDisable = false

    @Flag(help: "When the container ends, print its peak memory, CPU time and most tasks, from its cgroup.")
    var statsOnExit = false

    func apply(to spec: inout RunSpec) throws {
        spec.statsOnExit = statsOnExit
        if let limits = try limits.limits() { spec.resources = limits }
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
