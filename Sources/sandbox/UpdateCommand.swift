import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// `update`: a living container's limits changed, in both forms. An engine's call (runc's `update
/// --resources FILE ID`, or any call with the global --root or --log) fails with exit 1 as runc's; a user's
/// (`docker update --cpus 2 NAME...`) prints each container as it was named, and exits 1 when one could not be
/// changed, as the docker CLI does (125 for a bad flag).
struct UpdateCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change a running container's resource limits.",
        discussion: "Docker's flags and units, or runc's --resources with the runtime spec's LinuxResources JSON.")

    @ParentCommand var parent: Sandbox

    @Option(name: [.customShort("r"), .long], help: ArgumentHelp("The runtime spec's LinuxResources, as JSON; - for standard input.", valueName: "file"))
    var resources: String?

    @Option(name: [.customShort("m"), .long], help: ArgumentHelp("Memory limit, at least 6m.", valueName: "bytes"))
    var memory: String?

    @Option(help: ArgumentHelp("Memory plus swap; -1 unlimited.", valueName: "bytes"))
    var memorySwap: String?

    @Option(help: ArgumentHelp("A soft limit under --memory.", valueName: "bytes"))
    var memoryReservation: String?

    @Option(help: ArgumentHelp("CPUs, such as 1.5: a quota over a 100 ms period.", valueName: "number"))
    var cpus: String?

    @Option(help: ArgumentHelp("The CPU CFS period, in microseconds.", valueName: "µs"))
    var cpuPeriod: String?

    @Option(help: ArgumentHelp("The CPU CFS quota, in microseconds per period.", valueName: "µs"))
    var cpuQuota: String?

    @Option(name: [.customShort("c"), .customLong("cpu-shares"), .customLong("cpu-share")],
            help: ArgumentHelp("Relative CPU weight (1024 is the default).", valueName: "shares"))
    var cpuShares: String?

    @Option(help: ArgumentHelp("CPUs it may run on, such as 0-1 or 1,3.", valueName: "list"))
    var cpusetCpus: String?

    @Option(help: ArgumentHelp("Memory nodes it may use.", valueName: "list"))
    var cpusetMems: String?

    @Option(help: ArgumentHelp("Most tasks at once (-1 or 0: unlimited).", valueName: "number"))
    var pidsLimit: String?

    @Argument(help: ArgumentHelp("Containers, by name, id or unique id prefix (an engine gives one id).", valueName: "container"))
    var containers: [String]

    var isEngineCall: Bool { resources != nil || parent.global.root != nil || parent.global.log != nil }

    func run() throws {
        guard isEngineCall else {
            let limits = try flagLimits()
            return try EachContainer.run(containers, global: parent.global) { runtime, container in
                try runtime.update(reference: container, limits: limits)
            }
        }
        try runAsRuntimeCommand()
    }

    func execute(_ runtime: Runtime) throws {
        if resources != nil, flags.contains(where: { $0 != nil }) {
            throw SandboxError("--resources and the limit flags are exclusive: give one or the other")
        }
        let limits = try resources.map { try runtime.resources(from: $0) } ?? flagLimits()
        for container in containers {
            try runtime.update(reference: container, limits: limits)
        }
    }

    private var flags: [String?] {
        [memory, memorySwap, memoryReservation, cpus, cpuPeriod, cpuQuota, cpuShares, cpusetCpus, cpusetMems, pidsLimit]
    }

    /// The limits Docker's flags give, checked against this host (125, as a bad flag, when one is wrong).
    private func flagLimits() throws -> ResourceLimits {
        guard flags.contains(where: { $0 != nil }) else {
            throw SandboxError("you must provide one or more flags when using this command")
        }
        return try ResourceLimits(
            memory: memory, memorySwap: memorySwap, memoryReservation: memoryReservation, cpus: cpus, cpuPeriod: cpuPeriod,
            cpuQuota: cpuQuota, cpuShares: cpuShares, cpusetCpus: cpusetCpus, cpusetMems: cpusetMems, pidsLimit: pidsLimit,
            host: try HostResources.online())
    }
}
