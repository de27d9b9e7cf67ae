import ArgumentParser
import CSandbox
import Glibc
import SandboxJSON
import SandboxLinux
import SandboxPolicy

/// The options runc takes before its command, which engines pass: containerd's shim gives `--root`, `--log`
/// and `--log-format json` to every call.
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        Where containers' state is kept, made 0700 if missing (default: /run/sandbox as root, \
        $XDG_RUNTIME_DIR/sandbox otherwise; run takes only the default).
        """, valueName: "dir"))
    var root: String?

    @Option(help: ArgumentHelp("Also write errors to this file, as runc does (containerd reads it).", valueName: "file"))
    var log: String?

    @Option(help: ArgumentHelp("The format of --log.", valueName: "text|json"))
    var logFormat: LogFormat = .text

    @Flag(help: "Accepted for runc's sake; sandbox logs nothing more.")
    var debug = false

    @Flag(help: "Manage cgroups through systemd: not supported (sandbox writes cgroupfs itself).")
    var systemdCgroup = false

    enum LogFormat: String, ExpressibleByArgument {
        case text, json
    }

    /// The OCI runtime's own commands, whose bad flags exit 1 as runc's; their options may come first. exec
    /// and kill are also Docker's: theirs are runc's when an engine's options are given.
    static let runtimeCommands: Set<String> = ["create", "start", "state", "delete", "list", "spec", "features"]

    /// Where the global options end and where the command's name is (past Docker's `container` too), as
    /// indices of this process's command line without the program's name: read in C, which needs them before
    /// `main` (`sbx_command_line.h`).
    static let commandLine: (globalsEnd: Int, command: Int) = {
        var globalsEnd: Int32 = 0, command: Int32 = 0
        sbx_read_command_line(CommandLine.argc, CommandLine.unsafeArgv, &globalsEnd, &command)
        return (Int(globalsEnd) - 1, Int(command) - 1)
    }()

    /// Whether this process's command line (`arguments`, without the program's name) is an OCI runtime's.
    static func isRuntimeCommand(_ arguments: [String]) -> Bool {
        let index = commandLine.command
        let globals = arguments[..<commandLine.globalsEnd]
        guard index < arguments.count, index == globals.count else { return false }
        let engine = globals.contains { $0.hasPrefix("--root") || $0.hasPrefix("--log") }
        if arguments[index] == ExecCommand.configuration.commandName {
            return engine || ExecCommand.isEngineCall(Array(arguments[(index + 1)...]))
        }
        if arguments[index] == KillCommand.configuration.commandName {
            return engine || arguments[(index + 1)...].contains { $0 == "--all" || $0 == "-a" }
        }
        // runc's ps, as containerd's shim calls it.
        if arguments[index] == PsCommand.configuration.commandName { return engine }
        return runtimeCommands.contains(arguments[index])
    }

    /// What these options ask of `command` that sandbox cannot do: refused before anything is made.
    func refusal(before command: String?) -> SandboxError? {
        if systemdCgroup {
            return SandboxError("--systemd-cgroup is not supported: sandbox manages cgroups through cgroupfs (use the cgroupfs manager)",
                                exitCode: 1)
        }
        // A run's monitor, restart and the views find its container in the default root only.
        if root != nil, command == RunCommand.configuration.commandName {
            return SandboxError("--root is not supported by run: its containers are kept in the default state root; the OCI runtime's commands take --root")
        }
        return nil
    }

    /// Writes one line to --log, as runc's logrus does: JSON for containerd, else text.
    func record(_ message: String, level: String) {
        guard let log else { return }
        let time = Timestamp.now()
        let line: String
        switch logFormat {
        case .json:
            line = "{\"level\":\"\(level)\",\"msg\":\(JSONString.quote(message)),\"time\":\"\(time)\"}\n"
        case .text:
            line = "time=\"\(time)\" level=\(level) msg=\(JSONString.quote(message))\n"
        }
        let fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var bytes = line
        bytes.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
    }
}

/// An OCI runtime command, as an engine calls it: a failure is one line on standard error and in --log, and
/// exit status 1, as runc's.
protocol RuntimeCommand: ParsableCommand {
    var parent: Sandbox { get }
    func execute(_ runtime: Runtime) throws
}

extension RuntimeCommand {
    func run() throws {
        try runAsRuntimeCommand()
    }

    func runAsRuntimeCommand() throws {
        do {
            if let refusal = parent.global.refusal(before: nil) { throw refusal }
            var runtime = try Runtime(root: parent.global.root, environment: RunOptions.hostEnvironment)
            let global = parent.global
            runtime.warn = { warning in
                global.record(warning, level: "warning")
                printError("warning: " + warning)
            }
            try execute(runtime)
        } catch let error as SandboxError {
            parent.global.record(error.description, level: "error")
            printError(error.description)
            throw ExitCode(1)
        }
    }
}
