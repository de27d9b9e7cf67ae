import ArgumentParser
import Glibc
import SandboxJSON
import SandboxLinux
import SandboxPolicy

/// `stats [--no-stream] [-a] [--format json] [CONTAINER...]`: what containers use, as `docker stats` shows
/// it, refreshed each second until interrupted, or once with --no-stream.
struct StatsCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show containers' resource use, live.",
        discussion: """
            From each container's cgroup (CPU time, memory less inactive file pages, block I/O, tasks) and its \
            network namespace (every interface but lo; none for one that shares the host's). CPU % is Docker's: \
            the container's CPU time over the host's in the interval, times the CPUs online. MEM LIMIT is the \
            memory limit, or the host's memory without one. With --no-stream, two readings half a second apart \
            make the one row.
            """)

    @ParentCommand var parent: Sandbox

    @Flag(help: "Print one reading and return, instead of a new one each second until interrupted.")
    var noStream = false

    @Flag(name: .shortAndLong, help: "Show every container, not only the running ones.")
    var all = false

    @Option(help: ArgumentHelp("table, json, or a Go template ({{.Name}} {{.CPUPerc}}).", valueName: "format"))
    var format: String?

    @Argument(help: ArgumentHelp("Containers, by name, id or unique id prefix; none: every running one.", valueName: "container"))
    var containers: [String] = []

    func execute(_ runtime: Runtime) throws {
        let format = try ViewFormat(format)
        var previous = try readings(runtime)
        usleep(500_000)
        while true {
            let current = try readings(runtime)
            let rows = current.map { reading in
                let sample = reading.sample ?? StatsSample()
                let before = previous.first { $0.view.record.id == reading.view.record.id }?.sample ?? sample
                return StatsRow(id: reading.view.record.id, name: reading.view.record.name, container: reading.label,
                                previous: before, current: sample)
            }
            if !noStream { print("\u{1B}[2J\u{1B}[H", terminator: "") }
            if case .table = format {
                print(Table.text([StatsRow.header] + rows.map(\.cells), minimumWidth: 10), terminator: "")
            } else {
                rows.forEach { row in print(format.line(.object(row.fields.map { ($0.key, JSONValue.string($0.value)) }))) }
            }
            fflush(nil)
            if noStream { return }
            previous = current
            sleep(1)
        }
    }

    /// The containers named (by the name given, as Docker labels them), or every running one (by short id),
    /// each with what it uses now; nil for one that is not running.
    private func readings(_ runtime: Runtime) throws -> [(label: String, view: Runtime.ContainerView, sample: StatsSample?)] {
        let views: [(String, Runtime.ContainerView)] = containers.isEmpty
            ? runtime.views().filter { all || $0.state.status == .running || $0.state.status == .paused }
                .map { (DockerFormat.shortID($0.record.id), $0) }
            : try containers.map { ($0, try runtime.view(reference: $0)) }
        return views.map { label, view in (label, view, runtime.sample(view)) }
    }
}
