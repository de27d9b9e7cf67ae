import ArgumentParser
import CSandbox
import Glibc
import SandboxLinux
import SandboxPolicy

/// The monitor `run -d` starts: the detached container's parent for its whole life (see `Monitor`). It reads
/// the same run options again, with the id `run -d` chose, and says on fd 3 whether the container started.
/// `restart` starts one again with `--reuse`, in the directory `run -d` was called in.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor", abstract: "The parent of a detached container (started by sandbox run -d).", shouldDisplay: false)

    /// The fd `run -d` reads the monitor's word from.
    static let reportFD: Int32 = 3

    @ParentCommand var parent: Sandbox

    @Option(help: ArgumentHelp("The container's id.", valueName: "id"))
    var id: String

    @Flag(help: "Start the container again in its existing state directory (restart).")
    var reuse = false

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("sandbox run's options, then the command.", valueName: "run-arguments"))
    var runArguments: [String] = []

    func run() throws {
        do {
            guard let id = ContainerID(hex: id) else { throw SandboxError("invalid container id \"\(id)\"") }
            let arguments = Array(runArguments.drop { $0 == "--" })
            let run = try RunOptions.parse(arguments).spec()
            let (spec, _) = try DockerRun.spec(for: run, caller: .current(), id: id)
            var monitor = Monitor(spec: spec, id: id, name: run.name ?? id.short, hostEnvironment: RunOptions.hostEnvironment,
                                  restart: run.restart, autoRemove: run.autoRemove, logOptions: run.logOptions)
            monitor.reuse = reuse
            monitor.commandLine = .init(arguments: arguments, directory: try Self.workingDirectory())
            monitor.run { Self.report($0) }
        } catch let error as SandboxError {
            Self.report(error)
        }
    }

    /// "0" once the container runs, or its exit status and the one line `run -d` prints; said once. A caller
    /// killed meanwhile has closed the pipe: the write fails with EPIPE and the monitor lives on.
    static func report(_ error: SandboxError?) {
        var word = error.map { "\($0.exitCode) \($0.description)\n" } ?? "0\n"
        signal(SIGPIPE, SIG_IGN)
        word.withUTF8 { _ = write(reportFD, $0.baseAddress, $0.count) }
        signal(SIGPIPE, SIG_DFL)
        close(reportFD)
    }

    /// Starts a monitor, `sandbox [arguments]`, in a session of its own (in `directory`, else here), and returns
    /// once it says the container runs; any failure before that is the caller's, with the monitor's one line
    /// and exit status.
    static func start(_ arguments: [String], in directory: String? = nil) throws {
        var report: Int32 = -1
        let argv = ([CommandLine.arguments[0]] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let pid = sbx_spawn_monitor("/proc/self/exe", argv, environ, directory, &report)
        guard pid > 0 else {
            throw SandboxError("start the container's monitor" + (directory.map { " in \($0)" } ?? ""), errno: -pid)
        }
        defer { close(report) }
        var word: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(report, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            word += chunk[..<count]
        }
        let text = String(decoding: word, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        guard text != "0" else { return }
        let parts = text.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, let status = Int32(parts[0]) else {
            throw SandboxError("the container's monitor ended before the container started")
        }
        throw SandboxError(String(parts[1]), exitCode: status)
    }

    private static func workingDirectory() throws -> String {
        guard let path = getcwd(nil, 0) else { throw SandboxError("getcwd", errno: errno) }
        defer { free(path) }
        return String(cString: path)
    }
}
