import ArgumentParser
import SandboxJSON
import SandboxLinux
import SandboxPolicy

/// `inspect CONTAINER...`: each container as a JSON document in the shape of Docker's, in one array; or, with
/// --format, a Go template applied to each (`{{.State.Pid}}`, `{{json .HostConfig}}`). As Docker, a missing
/// container is one line on standard error, the others are still printed, and the status is 1.
struct InspectCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show containers' details as JSON.",
        discussion: """
            Docker's fields where sandbox has the same fact: Id, Created, Path, Args, State (Status, Running, Paused, \
            Restarting, OOMKilled, Pid, ExitCode, StartedAt, FinishedAt, Health), Image (the root filesystem), \
            LogPath, Name, RestartCount, HostConfig (capabilities added to and dropped from Docker's default set, \
            SecurityOpt, namespace modes, limits, binds, tmpfs, and the id maps as IDMappings), Mounts, Config \
            (Hostname, User as uid:gid, Env, Cmd, WorkingDir, Labels, StopSignal). --format takes {{.Field.Sub}} \
            and {{json .Field}}; other template functions are refused.
            """)

    @ParentCommand var parent: Sandbox

    @Option(name: [.customShort("f"), .long], help: ArgumentHelp("A Go template: {{.State.Status}}, {{json .Config}}.", valueName: "template"))
    var format: String?

    @Argument(help: ArgumentHelp("Containers, by name, id or unique id prefix.", valueName: "container"))
    var containers: [String]

    func validate() throws {
        guard !containers.isEmpty else { throw ValidationError("\"sandbox inspect\" requires at least 1 container") }
    }

    func execute(_ runtime: Runtime) throws {
        let template = try format.map(GoTemplate.init(parsing:))
        var documents: [JSONValue] = []
        var failed = false
        for container in containers {
            do {
                documents.append(try runtime.view(reference: container).inspection)
            } catch let error as SandboxError {
                printError(error.description)
                failed = true
            }
        }
        if let template {
            documents.forEach { print(template.render($0)) }
        } else {
            print(JSONValue.array(documents).text, terminator: "")
        }
        if failed { throw ExitCode(1) }
    }
}
