import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// `wait CONTAINER...`: blocks until each container ends, and prints its exit code, one a line, as `docker
/// wait`. A missing container is one line on standard error; the others are still waited for; the status is 1.
struct WaitCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Block until containers stop, then print their exit codes.",
        discussion: """
            Only a detached container (sandbox run -d) has a monitor that records how it ended. One whose monitor \
            was killed died with it: its code is 137. A container run with --rm is removed once its waiters have \
            its code.
            """)

    @ParentCommand var parent: Sandbox

    @Argument(help: ArgumentHelp("Containers, by name, id or unique id prefix.", valueName: "container"))
    var containers: [String]

    func validate() throws {
        guard !containers.isEmpty else { throw ValidationError("\"sandbox wait\" requires at least 1 container") }
    }

    func execute(_ runtime: Runtime) throws {
        var failed = false
        for container in containers {
            do {
                print(try runtime.wait(reference: container))
            } catch let error as SandboxError {
                printError(error.description)
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
