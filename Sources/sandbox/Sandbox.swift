import ArgumentParser
import Glibc
import SandboxLinux
import SandboxOCI
import SandboxPolicy

@main
struct Sandbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a command in real isolation: namespaces, a remapped root, its own filesystem.",
        discussion: """
            sandbox run, probe and seccomp are sandbox's own commands. ps, logs, inspect, top, stats, wait, stop, \
            rm and restart are Docker's, for detached containers (run -d), and fail with status 1 as the docker CLI's \
            (ps with a container is runc's ps). create, start, state, kill, delete, list, spec and features are the \
            OCI runtime's, as runc and crun implement them, for engines such as podman and containerd; their failures \
            exit with status 1, as runc's. exec, kill and update serve both: see their --help.
            """,
        version: "sandbox version 0.4\nspec: \(OCI.version)\nlibseccomp: \(SeccompCompiler.libseccompVersion)",
        subcommands: [RunCommand.self, ExecCommand.self, PsCommand.self, LogsCommand.self, InspectCommand.self, TopCommand.self,
                      StatsCommand.self, WaitCommand.self, UpdateCommand.self, PauseCommand.self, ResumeCommand.self, StopCommand.self,
                      RestartCommand.self, RemoveCommand.self, ContainerCommand.self, MonitorCommand.self, ProbeCommand.self, SeccompCommand.self, CreateCommand.self, StartCommand.self,
                      StateCommand.self, KillCommand.self, DeleteCommand.self, ListCommand.self, SpecCommand.self,
                      FeaturesCommand.self, ImagesCommand.self, ImageCommand.self, ImportCommand.self, TagCommand.self,
                      RmiCommand.self]
    )

    @OptionGroup(title: "OCI runtime options (before the command, as runc takes them)")
    var global: GlobalOptions

    /// As `docker run`: every failure of sandbox itself, a bad flag included, is one line and exit 125; for
    /// the OCI runtime's commands, as runc, exit 1.
    static func main() {
        Trace.mark("start → main")
        let arguments = Array(CommandLine.arguments.dropFirst())
        // The global options as runc takes them, before the command: refused alike whichever command follows
        // (an OCI runtime's takes them after its name too, and refuses them itself).
        let (globals, command) = GlobalOptions.commandLine
        // Parsed only when given: ArgumentParser's reflection costs a start a millisecond.
        if globals > 0, let global = try? GlobalOptions.parse(Array(arguments[..<globals])),
           let refusal = global.refusal(before: command < arguments.count ? arguments[command] : nil) {
            global.record(refusal.description, level: "error")
            fail(refusal.description, status: refusal.exitCode)
        }
        if let failure = SealedBinary.failure {
            fail(failure.description, status: GlobalOptions.isRuntimeCommand(arguments) ? 1 : 125)
        }
        do {
            if arguments.first == RunCommand.configuration.commandName,
               let spec = RunFastPath.spec(arguments.dropFirst(), hostEnvironment: RunOptions.hostEnvironment) {
                Trace.mark("parse")
                try RunCommand.run(spec)
            } else {
                var command = try fastRun(arguments) ?? parseAsRoot(arguments)
                Trace.mark("parse")
                try command.run()
            }
        } catch let error as SandboxError {
            fail(error.description, status: error.exitCode)
        } catch let exit as ExitCode {
            Glibc.exit(exit.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            let status: Int32 = GlobalOptions.isRuntimeCommand(arguments) ? 1 : 125
            fail(message(for: error).split(separator: "\n").joined(separator: "; ") + " (see sandbox --help)", status: status)
        }
    }

    /// `run ...` parsed as a command of its own, skipping the tree of every other command: what a start costs
    /// is mostly parsing (the runtime's reflection). nil when anything is not plain, or fails: the ordinary way
    /// then parses it again, so that help and errors read as ever.
    private static func fastRun(_ arguments: [String]) -> (any ParsableCommand)? {
        guard arguments.first == RunCommand.configuration.commandName else { return nil }
        return try? RunCommand.parseAsRoot(Array(arguments.dropFirst()))
    }

    private static func fail(_ message: String, status: Int32) -> Never {
        printError(message)
        Glibc.exit(status)
    }
}
