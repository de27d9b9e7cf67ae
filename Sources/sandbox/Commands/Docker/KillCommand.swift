import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// `kill`, in both forms (see `KillRequest` for how a command line is read): runc's `kill [--all] ID [SIGNAL]`,
/// which engines call, and Docker's `kill [-s SIGNAL] CONTAINER...`, which prints each container. Either
/// fails with exit status 1, as runc and the docker CLI do, and writes its errors to --log when given.
struct KillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill",
        abstract: "Send a signal to containers.",
        discussion: """
            Docker's form, kill [-s SIGNAL] CONTAINER..., sends SIGKILL unless -s names another signal, and \
            prints each container. runc's form, kill [--all] ID [SIGNAL], which engines call, sends SIGTERM \
            unless a signal follows the id, and prints nothing. Two arguments the last of which is a signal \
            (9, KILL, SIGTERM) are runc's form, as are --all and the global --root and --log; -s always means \
            Docker's: kill -s KILL web 9 kills the containers web and 9. SIGKILL returns once the container has \
            ended. SIGKILL, or the container's stop signal, also keeps its restart policy from starting it again. \
            As runc's, kill --all of a container that has already stopped succeeds.
            """)

    @ParentCommand var parent: Sandbox

    @Flag(name: [.short, .long], help: "runc's: send it to every process in the container, not only its first.")
    var all = false

    @Option(name: [.customShort("s"), .customLong("signal")],
            help: ArgumentHelp("Docker's: the signal, a name (TERM, SIGKILL) or a number (default KILL).", valueName: "signal"))
    var signal: String?

    @Argument(help: ArgumentHelp("Containers; or runc's ID [SIGNAL] (default TERM).", valueName: "container"))
    var arguments: [String]

    /// The global options an engine passes: its failures also go to --log.
    static func isEngineCall(global: GlobalOptions) -> Bool {
        global.root != nil || global.log != nil
    }

    func run() throws {
        let global = parent.global
        let request: KillRequest
        do {
            request = try KillRequest(arguments: arguments, signal: signal, all: all, engine: Self.isEngineCall(global: global))
        } catch let error as SandboxError {
            global.record(error.description, level: "error")
            printError(error.description)
            throw ExitCode(1)
        }
        switch request {
        case .runtime(let id, let signal, let all):
            try EachContainer.run([id], global: global, printing: false) { runtime, id in
                do {
                    try runtime.kill(reference: id, signal: signal, all: all)
                } catch is Runtime.NotRunning {
                    // runc's words: containerd's shim takes them for a process already finished, else the
                    // container stays RUNNING for it and cannot be stopped or removed.
                    throw SandboxError("container not running")
                }
            }
        case .docker(let containers, let signal):
            try EachContainer.run(containers, global: global) { runtime, container in
                do {
                    try runtime.kill(reference: container, signal: signal)
                } catch let error as Runtime.NotRunning {
                    throw SandboxError("cannot kill container: \(container): container \(error.id) is not running")
                } catch let error as SandboxError {
                    throw error.within("cannot kill container: \(container)")
                }
            }
        }
    }
}
