import ArgumentParser
import Glibc
import SandboxJSON
import SandboxLinux
import SandboxOCI
import SandboxPolicy

/// `exec`: a process joins a running container. One command for two callers: a user, as `docker exec`
/// (exit 125 when sandbox fails, 126 when the command cannot be run, 127 when it is not found), and an
/// engine, as `runc exec` (every failure exits 1 and goes to --log). The call is an engine's when it names
/// `--process`, `--pid-file` or `--console-socket`, or gives the global `--root` or `--log`; Docker's form
/// has none of them.
struct ExecCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command in a running container (Docker's exec, and the OCI runtime's).",
        discussion: """
            The command joins every namespace of the container's first process, its cgroup, and runs under its \
            seccomp filter, with its environment, working directory, user, capabilities and no_new_privs unless \
            the options say otherwise. The exit status is docker exec's: the command's, or 128+N when it died of \
            signal N; 125 when sandbox fails (no such container, or one not running), 126 when the command cannot \
            be run or a step before it failed, 127 when it is not found. Called as an engine calls runc \
            (--process, --pid-file, --console-socket, or the global --root or --log), every failure exits 1.
            """)

    @ParentCommand var parent: Sandbox

    @Flag(name: [.customShort("i"), .long], help: "Keep stdin open, else /dev/null (an engine's call always keeps it).")
    var interactive = false

    @Flag(name: [.customShort("t"), .long], help: "Give the command a new terminal (TERM=xterm unless the container sets it).")
    var tty = false

    @Flag(name: [.customShort("d"), .long], help: "Return once the command runs; it lives on under the caller's subreaper.")
    var detach = false

    @Option(name: [.customShort("u"), .long], help: ArgumentHelp(
        "Run as this user, resolved in the container's own /etc/passwd and /etc/group; HOME follows.",
        valueName: "uid[:gid]|name[:group]"))
    var user: String?

    @Option(name: [.customShort("e"), .long], help: ArgumentHelp(
        "Add NAME=VALUE to the container's environment, or NAME from the host (repeatable).", valueName: "name[=value]"))
    var env: [String] = []

    @Option(help: ArgumentHelp("Read variables from a file of NAME=VALUE lines (repeatable).", valueName: "file"))
    var envFile: [String] = []

    @Option(name: [.customShort("w"), .customLong("workdir"), .customLong("cwd")],
            help: ArgumentHelp("The working directory, resolved inside the container's root; it must exist.", valueName: "dir"))
    var workdir: String?

    @Flag(help: "Every capability, in the container's user namespace; its seccomp filter stays.")
    var privileged = false

    @Option(name: [.customShort("p"), .long], help: ArgumentHelp("An OCI process.json describing the whole process (OCI).", valueName: "file"))
    var process: String?

    @Option(help: ArgumentHelp("Write the process's host pid here (OCI).", valueName: "file"))
    var pidFile: String?

    @Option(help: ArgumentHelp("Send the terminal's master to this AF_UNIX socket (OCI).", valueName: "path"))
    var consoleSocket: String?

    @Option(help: ArgumentHelp("Pass fds 3 to 3+N-1 on to the process (OCI).", valueName: "n"))
    var preserveFds: Int32 = 0

    @Option(name: [.customShort("g"), .long], help: ArgumentHelp("Add a supplementary group (repeatable; runc's).", valueName: "gid"))
    var additionalGids: [UInt32] = []

    @Option(help: ArgumentHelp("Add a capability (repeatable; runc's).", valueName: "cap"))
    var cap: [String] = []

    @Flag(help: "Set no_new_privs (runc's).")
    var noNewPrivs = false

    @Argument(help: ArgumentHelp("The container's name, id, or a prefix of its id that only it has.", valueName: "container"))
    var container: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command and its arguments.", valueName: "cmd"))
    var command: [String] = []

    /// The options only an engine passes, by name, for a call whose flags could not be parsed.
    static func isEngineCall(_ arguments: [String]) -> Bool {
        arguments.contains { argument in
            ["--process", "-p", "--pid-file", "--console-socket"].contains { argument == $0 || argument.hasPrefix($0 + "=") }
        }
    }

    var isEngineCall: Bool {
        process != nil || pidFile != nil || consoleSocket != nil || parent.global.root != nil || parent.global.log != nil
    }

    func run() throws {
        guard isEngineCall else {
            return try execute(Runtime(root: nil, environment: RunOptions.hostEnvironment))
        }
        try runAsRuntimeCommand()
    }

    func execute(_ runtime: Runtime) throws {
        // An engine's streams are its own pipes, passed on as runc passes them, whatever it does; a user's are
        // relayed, so that no fd of the caller's enters the container; a user who detaches is attached to nothing.
        let options = Runtime.ExecOptions(detach: detach, pidFile: pidFile, consoleSocket: consoleSocket, preserveFds: preserveFds,
                                          interactive: isEngineCall || (interactive && !detach), attached: isEngineCall || !detach,
                                          relayed: !isEngineCall)
        if let status = try runtime.exec(reference: container, spec: try spec(), options: options) {
            throw ExitCode(status)
        }
    }

    /// The flags checked here rather than in validate(), which runs before an engine's call is known to be one:
    /// its failures must exit 1 and reach --log.
    private func spec() throws -> ExecSpec {
        if let first = command.first, first.hasPrefix("-"), first != "--" {
            throw SandboxError("unknown option \(first) (options come before the container)")
        }
        guard preserveFds >= 0 else { throw SandboxError("--preserve-fds \(preserveFds): must not be negative") }
        var spec = ExecSpec()
        spec.command = command.first == "--" ? Array(command.dropFirst()) : command
        let host = RunOptions.hostEnvironment
        for path in envFile {
            try spec.environment.add(envFile: try HostFile.read(path), path: path, host: host)
        }
        for assignment in env {
            try spec.environment.add(assignment, host: host)
        }
        spec.workdir = workdir
        spec.user = try user.map(UserSpec.init(parsing:))
        spec.additionalGroups = additionalGids
        spec.addedCapabilities = cap
        spec.privileged = privileged
        spec.noNewPrivileges = noNewPrivs
        spec.tty = tty
        if let process {
            do {
                spec.ociProcess = try JSON.decode(OCI.Process.self, from: try HostFile.read(process), document: process)
            } catch let error as JSON.DocumentError {
                throw SandboxError(error.description)
            }
        }
        return spec
    }
}
