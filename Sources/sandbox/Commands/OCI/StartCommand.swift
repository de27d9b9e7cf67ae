import ArgumentParser
import SandboxLinux

/// `start ID`: the OCI runtime's second step; the container's process, waiting since `create`, runs its
/// command.
struct StartCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Start a created container: its process execs its command (OCI).")

    @ParentCommand var parent: Sandbox

    @Argument(help: ArgumentHelp("The container's id.", valueName: "id"))
    var id: String

    func execute(_ runtime: Runtime) throws {
        try runtime.start(id: id)
    }
}
