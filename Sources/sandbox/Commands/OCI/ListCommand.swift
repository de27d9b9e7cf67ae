import ArgumentParser
import SandboxJSON
import SandboxLinux
import SandboxOCI

/// `list`: the containers under the state root, as runc lists them.
struct ListCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the containers under the state root (OCI).")

    @ParentCommand var parent: Sandbox

    @Flag(name: .shortAndLong, help: "Only their ids.")
    var quiet = false

    @Option(name: .shortAndLong, help: ArgumentHelp("table or json.", valueName: "format"))
    var format: Format = .table

    enum Format: String, ExpressibleByArgument {
        case table, json
    }

    func execute(_ runtime: Runtime) throws {
        let containers = runtime.list()
        if quiet {
            containers.forEach { print($0.record.id) }
            return
        }
        let states = containers.map { record, status in
            OCI.State(id: record.id, status: status, pid: status == .stopped ? nil : record.pid.map(Int.init), bundle: record.bundle,
                      annotations: record.annotations.isEmpty ? nil : record.annotations)
        }
        switch format {
        case .json:
            print(try JSON.encode(states), terminator: "")
        case .table:
            let rows = [["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"]] + zip(containers, states).map { container, state in
                [state.id, String(state.pid ?? 0), state.status.rawValue, state.bundle, container.record.created,
                 container.record.owner == 0 ? "root" : String(container.record.owner)]
            }
            print(Table.text(rows), terminator: "")
        }
    }
}
