import ArgumentParser
import SandboxJSON
import SandboxLinux
import SandboxPolicy

/// `ps`, Docker's and runc's in one command: without a container, the containers, as `docker ps [-a] [-q]
/// [--no-trunc] [--format json]` lists them; with one, its processes, as `runc ps [--format table|json] ID
/// [ps-options]` (containerd's shim calls it for `ctr task ps`). Failures exit 1, as both do.
struct PsCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps",
        abstract: "List containers; or, given one, its processes (runc's ps).",
        discussion: """
            Without a container: the running ones (all with -a), newest first, with Docker's columns. IMAGE is what \
            the container runs on: the image's name, the --rootfs directory, / for the host's own root, or an \
            engine's bundle. A container whose monitor was killed died with it (SIGKILL) and shows as Exited (137). \
            With a container: the host's ps (-ef, or the options given after it) cut down to its processes; \
            --format json prints their host pids.
            """,
        aliases: ["ls"])  // docker container ls

    @ParentCommand var parent: Sandbox

    @Flag(name: .shortAndLong, help: "Show every container, not only the running ones.")
    var all = false

    @Flag(name: .shortAndLong, help: "Only their ids.")
    var quiet = false

    @Flag(help: "Do not shorten ids and commands.")
    var noTrunc = false

    @Option(help: ArgumentHelp(
        "table, json (an object a line, with Docker's keys), or a Go template ({{.Names}}); with a container, table or json.",
        valueName: "format"))
    var format: String?

    @Argument(help: ArgumentHelp("A container: list its processes instead (runc's ps).", valueName: "container"))
    var container: String?

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Options for the host's ps, after the container.", valueName: "ps-options"))
    var psOptions: [String] = []

    func execute(_ runtime: Runtime) throws {
        if let container {
            return try processes(of: container, runtime)
        }
        let format = try ViewFormat(format)
        let views = runtime.views().filter { all || [.running, .paused, .restarting].contains($0.state.status) }
        if quiet {
            views.forEach { print(noTrunc ? $0.record.id : DockerFormat.shortID($0.record.id)) }
            return
        }
        let now = DockerTime.parse(Timestamp.now()) ?? 0
        if case .table = format {
            let header = ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]
            let rows = views.map { view in
                [id(view), view.record.image, command(view), DockerFormat.humanDuration(nanoseconds: now - view.created) + " ago",
                 view.state.text(now: now), "", view.record.name]
            }
            print(Table.text([header] + rows, minimumWidth: 10), terminator: "")
            return
        }
        for view in views {
            let object: [(key: String, value: JSONValue)] = [
                ("Command", .string(command(view))),
                ("CreatedAt", .string(DockerTime.goString(view.created))),
                ("ID", .string(id(view))),
                ("Image", .string(view.record.image)),
                ("Labels", .string((view.record.engine?.settings.labels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))),
                ("LocalVolumes", .string("0")),
                ("Mounts", .string((view.record.settings?.binds ?? []).map { noTrunc ? $0.source : DockerFormat.ellipsis($0.source, width: 15) }
                    .joined(separator: ","))),
                ("Names", .string(view.record.name)),
                ("Networks", .string(view.record.settings?.namespaces["net"] == "host" ? "host" : "none")),
                ("Ports", .string("")),
                ("RunningFor", .string(DockerFormat.humanDuration(nanoseconds: now - view.created) + " ago")),
                ("Size", .string("0B")),
                ("State", .string(view.state.status.rawValue)),
                ("Status", .string(view.state.text(now: now))),
            ]
            print(format.line(.object(object)))
        }
    }

    private func id(_ view: Runtime.ContainerView) -> String {
        noTrunc ? view.record.id : DockerFormat.shortID(view.record.id)
    }

    private func command(_ view: Runtime.ContainerView) -> String {
        DockerFormat.command(view.record.process?.args ?? [], truncate: !noTrunc)
    }

    /// runc's form: the container's host pids as a JSON array, or the host's ps lines that are its processes.
    private func processes(of container: String, _ runtime: Runtime) throws {
        switch format {
        case "json":
            print("[" + (try runtime.processes(reference: container)).map(String.init).joined(separator: ",") + "]")
        case nil, "table":
            print(try runtime.processTable(reference: container, psArguments: psOptions).lines.joined(separator: "\n"))
        case let other?:
            throw SandboxError("--format \"\(other)\" with a container: its processes are printed as table or json")
        }
    }
}
