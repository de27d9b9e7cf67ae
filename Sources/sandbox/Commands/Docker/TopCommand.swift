import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// `top CONTAINER [ps-options]`: the container's processes as the host sees them (host pids, host users), as
/// `docker top`: the host's ps, with `-ef` unless options are given, cut down to the container's cgroup.
struct TopCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(commandName: "top", abstract: "Show the processes of a running container.")

    @ParentCommand var parent: Sandbox

    @Argument(help: ArgumentHelp("The container's name, id, or a prefix of its id that only it has.", valueName: "container"))
    var container: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Options for the host's ps (default -ef); they must keep its PID column.",
                                                                  valueName: "ps-options"))
    var psOptions: [String] = []

    func execute(_ runtime: Runtime) throws {
        let table = try runtime.processTable(reference: container, psArguments: psOptions)
        print(Table.text([table.titles] + table.rows, minimumWidth: 20), terminator: "")
    }
}
