import ArgumentParser
import SandboxLinux

/// `rm [-f] [-v] CONTAINER...`, as Docker's: a stopped container's state, log and cgroups removed.
struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove stopped containers: their state, log and cgroups.",
        discussion: """
            A running container is refused unless -f, which kills it (SIGKILL) first; its restart policy does not \
            start it again meanwhile. An engine's container is removed with its poststop hooks, as by delete.
            """)

    @ParentCommand var parent: Sandbox

    @Flag(name: [.short, .long], help: "Kill a running container first.")
    var force = false

    @Flag(name: [.short, .long], help: "Accepted for Docker's sake: sandbox makes no anonymous volumes, and never removes a -v host path.")
    var volumes = false

    @Argument(help: ArgumentHelp("Containers, by name, id or unique id prefix.", valueName: "container"))
    var containers: [String]

    func run() throws {
        try EachContainer.run(containers, global: parent.global) { runtime, container in
            try runtime.remove(reference: container, force: force)
        }
    }
}
