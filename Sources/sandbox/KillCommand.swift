import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// `kill [--all] ID [SIGNAL]`: a signal to the container's process (SIGTERM unless named), as runc's.
struct KillCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(commandName: "kill", abstract: "Send a signal to a container (OCI).")

    @ParentCommand var parent: Sandbox

    @Flag(name: [.short, .long], help: "Send it to every process in the container, not only its first.")
    var all = false

    @Argument(help: ArgumentHelp("The container's id.", valueName: "id"))
    var id: String

    @Argument(help: ArgumentHelp("A name (TERM, SIGKILL) or a number.", valueName: "signal"))
    var signal: Signal = .init(number: 15)

    func execute(_ runtime: Runtime) throws {
        try runtime.kill(id: id, signal: signal.number, all: all)
    }
}
