import ArgumentParser
import Glibc
import SandboxLinux
import SandboxPolicy

/// The monitor `run -d` starts: the detached container's parent for its whole life (see `Monitor`). It reads
/// the same run options again, with the id `run -d` chose, and says on fd 3 whether the container started.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor", abstract: "The parent of a detached container (started by sandbox run -d).", shouldDisplay: false)

    /// The fd `run -d` reads the monitor's word from.
    static let reportFD: Int32 = 3

    @ParentCommand var parent: Sandbox

    @Option(help: ArgumentHelp("The container's id.", valueName: "id"))
    var id: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("sandbox run's options, then the command.", valueName: "run-arguments"))
    var runArguments: [String] = []

    func run() throws {
        do {
            guard let id = ContainerID(hex: id) else { throw SandboxError("invalid container id \"\(id)\"") }
            let run = try RunOptions.parse(Array(runArguments.drop { $0 == "--" })).spec()
            let (spec, _) = try DockerRun.spec(for: run, caller: .current(), id: id)
            let monitor = Monitor(spec: spec, id: id, name: run.name ?? id.short, hostEnvironment: RunOptions.hostEnvironment,
                                  restart: run.restart, autoRemove: run.autoRemove, logOptions: run.logOptions)
            monitor.run { Self.report($0) }
        } catch let error as SandboxError {
            Self.report(error)
        }
    }

    /// "0" once the container runs, or its exit status and the one line `run -d` prints; said once.
    static func report(_ error: SandboxError?) {
        var word = error.map { "\($0.exitCode) \($0.description)\n" } ?? "0\n"
        word.withUTF8 { _ = write(reportFD, $0.baseAddress, $0.count) }
        close(reportFD)
    }
}
