import ArgumentParser
import CSandbox
import Glibc
import SandboxLinux
import SandboxPolicy

/// The monitor `run -d` starts: the detached container's parent for its whole life (see `Monitor`). It reads
/// its configuration on its stdin, as `run -d` resolved it, and says on fd 3 whether the container started.
/// `restart` starts one again with `--reuse` and the configuration the first one kept.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor", abstract: "The parent of a detached container (started by sandbox run -d).", shouldDisplay: false)

    /// The fd `run -d` reads the monitor's word from.
    static let reportFD: Int32 = 3

    @Flag(help: "Start the container again in its existing state directory (restart).")
    var reuse = false

    func run() throws {
        do {
            var monitor = try Monitor(configuration: try Self.readConfiguration())
            monitor.reuse = reuse
            monitor.run { Self.report($0) }
        } catch let error as SandboxError {
            Self.report(error)
        }
    }

    /// Its stdin to the end, where its starter put the configuration; /dev/null takes its place.
    private static func readConfiguration() throws -> String {
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw SandboxError("read the monitor's configuration", errno: errno) }
            if count == 0 { break }
            text += chunk[..<count]
        }
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        if null >= 0 {
            dup2(null, STDIN_FILENO)
            close(null)
        }
        return String(decoding: text, as: UTF8.self)
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

    /// Starts a monitor, `sandbox [arguments]`, in a session of its own, with `configuration` on its stdin
    /// (`Monitor.Configuration`), and returns once it says the container runs; any failure before that is the
    /// caller's, with the monitor's one line and exit status. Its environment is the caller's PATH alone: it
    /// needs nothing else, and keeps what it is given for the container's whole life.
    static func start(_ arguments: [String], configuration: String) throws {
        var report: Int32 = -1
        let argv = ([CommandLine.arguments[0]] + arguments).map { strdup($0) } + [nil]
        let path = RunOptions.hostEnvironment["PATH"].map { ["PATH=" + $0] } ?? []
        let environment: [UnsafeMutablePointer<CChar>?] = path.map { strdup($0) } + [nil]
        defer { (argv + environment).forEach { free($0) } }
        var configuration = configuration
        let pid = configuration.withUTF8 { text in
            sbx_spawn_monitor("/proc/self/exe", argv, environment, text.baseAddress, text.count, &report)
        }
        guard pid > 0 else { throw SandboxError("start the container's monitor", errno: -pid) }
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
}
