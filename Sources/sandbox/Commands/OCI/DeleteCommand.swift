import ArgumentParser
import SandboxLinux

/// `delete [--force] ID`: removes a stopped container's cgroup and state; --force kills a living one first.
struct DeleteCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a container (OCI).",
        discussion: "A stopped container, or one never started: its cgroups and state go, then its poststop hooks run.")

    @ParentCommand var parent: Sandbox

    @Flag(name: [.short, .long], help: "Kill the container if it still runs; a container that does not exist is no error.")
    var force = false

    @Argument(help: ArgumentHelp("The container's id.", valueName: "id"))
    var id: String

    func execute(_ runtime: Runtime) throws {
        try runtime.delete(id: id, force: force)
    }
}
