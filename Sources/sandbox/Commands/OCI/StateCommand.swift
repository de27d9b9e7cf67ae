import ArgumentParser
import SandboxJSON
import SandboxLinux

/// `state ID`: the runtime spec's state of a container, as JSON.
struct StateCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(
        commandName: "state", abstract: "Print a container's state as JSON: creating, created, running, paused or stopped (OCI).")

    @ParentCommand var parent: Sandbox

    @Argument(help: ArgumentHelp("The container's id.", valueName: "id"))
    var id: String

    func execute(_ runtime: Runtime) throws {
        print(try JSON.encode(runtime.state(id: id)), terminator: "")
    }
}
