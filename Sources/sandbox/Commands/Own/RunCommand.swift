import ArgumentParser
import Glibc
import SandboxJSON
import SandboxLinux
import SandboxOCI
import SandboxPolicy

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command in a new container.",
        discussion: """
            The command runs as pid 1 in new pid, network, mount, ipc, uts, user, cgroup and time namespaces, \
            with container root mapped to the subordinate ids of the user "sandbox" (created on first use), \
            on an image of the store (the first word after the options, when the store has an image by that name or \
            id: its layers under a writable layer of the container's own), on a directory (--rootfs), or else on \
            the host's / read-only. Options come before the command. Its exit \
            status is docker run's: the command's, or 128+N when it died of signal N; 125 when sandbox fails (one \
            line says what and why), 126 when the command cannot be run, 127 when it is not found. SIGINT, \
            SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 sent to sandbox are passed to the container's pid 1, \
            which, as in Docker, ignores SIGTERM unless it handles it: use --init. The flags of docker run that \
            sandbox does not implement are refused by name, never ignored.
            """
    )

    @OptionGroup var options: RunOptions

    @Flag(help: "Print the OCI config.json this command line means, and run nothing: a working command, for an engine.")
    var printSpec = false

    func run() throws {
        let spec = try options.spec()
        if printSpec {
            let (run, image) = try spec.resolvingImage()
            print(try JSON.encode(OCI.Config(spec: DockerRun.resolvedForPrinting(run, image: image))), terminator: "")
            return
        }
        try Self.run(spec)
    }

    /// Runs the container a checked spec describes: detached, or to its end, exiting as it did.
    static func run(_ spec: RunSpec) throws {
        let (spec, image) = try spec.resolvingImage()
        let idFile = try spec.cidfile.map(ContainerIDFile.init(creating:))
        let outcome: Container.Outcome
        do {
            if spec.detach {
                print(try Self.detach(spec, image: image, idFile: idFile).value)
                return
            }
            let container = try RunOptions.container(for: spec, image: image)
            Trace.mark("policy (Docker mapping, host facts, passwd)")
            try idFile?.write(container.id)
            outcome = try container.run(usage: spec.statsOnExit)
        } catch {
            idFile?.remove()
            throw error
        }
        if outcome.killedForMemory {
            let limit = spec.resources.memory.map { " of \(ByteCount.describe($0))" } ?? ""
            printError("the container was killed by the OOM killer: it reached its memory limit\(limit)")
        }
        if spec.statsOnExit, let usage = outcome.usage {
            printError(UsageReport.line(usage), prefix: "")
        }
        throw ExitCode(outcome.status)
    }

    /// Starts the container's monitor, in a session of its own, and returns once the monitor says the container
    /// runs: any failure before that is run's, one line and 125. The container is resolved here, once (a bad flag
    /// never starts a monitor), and the monitor gets it whole (`Monitor.Configuration`).
    static func detach(_ spec: RunSpec, image: ImageRun?, idFile: ContainerIDFile?) throws -> ContainerID {
        let caller = Caller.current()
        let (container, id) = try DockerRun.spec(for: spec, image: image, caller: caller)
        let environment = RunOptions.hostEnvironment
        let configuration = Monitor.Configuration(
            id: id, name: spec.name ?? id.short, spec: container, engine: try EngineSettings(docker: spec), logOptions: spec.logOptions,
            base: try StateDirectory.prepareBase(for: caller, environment: environment),
            logDirectory: try ContainerLog.directory(for: caller, environment: environment, id: id))
        try idFile?.write(id)
        let arguments = Array(CommandLine.arguments.dropFirst())
        try MonitorCommand.start(Array(arguments[..<GlobalOptions.commandLine.globalsEnd]) + ["monitor"],
                                 configuration: try JSON.encode(configuration))
        return id
    }
}
