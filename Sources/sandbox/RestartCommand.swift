import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// `restart [-t SECONDS] [-s SIGNAL] CONTAINER...`, as Docker's: stop, then start again, with the same id,
/// name, command line and log.
struct RestartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart",
        abstract: "Restart detached containers.",
        discussion: """
            Stops the container as stop does (a stopped one is simply started), then starts a new monitor for it \
            with the command line sandbox run -d was given, read again in the directory it was given in; the \
            container keeps its id, name, log and environment (an -e NAME keeps the value it took), and gets a \
            new process. Its restart policy applies again. Only a container started by sandbox run -d can be \
            restarted.
            """)

    @ParentCommand var parent: Sandbox

    @OptionGroup var stopping: StopOptions

    @Argument(help: ArgumentHelp("Containers, by name, id or unique id prefix.", valueName: "container"))
    var containers: [String]

    func run() throws {
        try EachContainer.run(containers, global: parent.global) { runtime, container in
            let record = try runtime.stopForRestart(reference: container, signal: stopping.signal, timeout: stopping.timeout)
            guard let commandLine = record.runCommand else { return }
            do {
                try MonitorCommand.start(["monitor", "--id", record.id, "--reuse", "--"] + commandLine.arguments, in: commandLine.directory)
            } catch let error as SandboxError {
                throw error.within("cannot restart container \(record.name)")
            }
        }
    }
}
