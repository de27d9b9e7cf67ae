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
        discussion: """
            Docker's flags and units, or runc's --resources with the runtime spec's LinuxResources JSON, checked as \
            run checks them. A memory limit below what the container already uses is refused, and the limit stays.
            """)

    @ParentCommand var parent: Sandbox

    @Option(name: [.customShort("r"), .long], help: ArgumentHelp("The runtime spec's LinuxResources, as JSON; - for standard input.", valueName: "file"))
    var resources: String?

    @OptionGroup var limits: CgroupLimitOptions

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
        if resources != nil, !limits.isEmpty {
            throw SandboxError("--resources and the limit flags are exclusive: give one or the other")
        }
        let limits = try resources.map { try runtime.resources(from: $0) } ?? flagLimits()
        for container in containers {
            try runtime.update(reference: container, limits: limits)
        }
    }

    /// The limits Docker's flags give (125, as a bad flag, when one is wrong).
    private func flagLimits() throws -> ResourceLimits {
        guard let limits = try limits.limits() else {
            throw SandboxError("you must provide one or more flags when using this command")
        }
        return limits
    }
}
