import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// `stop [-t SECONDS] [-s SIGNAL] CONTAINER...`, as Docker's: the stop signal, SIGKILL after the timeout, and
/// the container's restart policy no longer starts it again.
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop running containers.",
        discussion: """
            Sends the stop signal (-s, else the container's --stop-signal, else SIGTERM), waits up to -t seconds \
            (else its --stop-timeout, else 10; negative: as long as it takes), then sends SIGKILL, and returns once \
            the container has ended and its end is recorded. A stopped container is not started again by its \
            restart policy. As in Docker, a pid 1 without a handler for the signal ignores it: it ends by SIGKILL, \
            with exit code 137.
            """)

    @ParentCommand var parent: Sandbox

    @OptionGroup var stopping: StopOptions

    func run() throws {
        try EachContainer.run(stopping.containers, global: parent.global) { runtime, container in
            try runtime.stop(reference: container, signal: stopping.signal, timeout: stopping.timeout)
        }
    }
}
