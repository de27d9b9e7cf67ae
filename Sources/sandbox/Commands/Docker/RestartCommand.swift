import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// `restart [-t SECONDS] [-s SIGNAL] CONTAINER...`, as Docker's: stop, then start again, with the same id,
/// name, configuration and log.
struct RestartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart",
        abstract: "Restart detached containers.",
        discussion: """
            Stops the container as stop does (a stopped one is simply started), then starts a new monitor for it \
            with the configuration sandbox run -d resolved: the files its command line named (an env-file, a \
            seccomp profile) are not read again. The container keeps its id, name, log and environment, and gets \
            a new process. Its restart policy applies again. Only a container started by sandbox run -d can be \
            restarted.
            """)

    @ParentCommand var parent: Sandbox

    @OptionGroup var stopping: StopOptions

    func run() throws {
        try EachContainer.run(stopping.containers, global: parent.global) { runtime, container in
            let record = try runtime.stopForRestart(reference: container, signal: stopping.signal, timeout: stopping.timeout)
            do {
                let configuration = try Monitor.configuration(in: StateDirectory.open(base: runtime.root, reference: record.name))
                try MonitorCommand.start(["monitor", "--reuse"], configuration: configuration)
            } catch let error as SandboxError {
                throw error.within("cannot restart container \(record.name)")
            }
        }
    }
}
