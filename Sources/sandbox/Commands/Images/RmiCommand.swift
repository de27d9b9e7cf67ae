import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// `docker rmi`: names go, and images whose last name went, unless a container uses them (`-f` for a stopped
/// one's); Docker's messages, and exit 1 when any image could not be removed.
struct RmiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rmi", abstract: "Remove images.")

    @Flag(name: .shortAndLong, help: "Remove an image a stopped container uses, or every name of an image.")
    var force = false

    @Argument(help: ArgumentHelp("Images, by name or ID.", valueName: "image"))
    var images: [String]

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("\"sandbox rmi\" requires at least 1 argument") }
    }

    func run() throws {
        let store = try ImageStore.forCaller()
        let runtime = try Runtime(root: nil, environment: RunOptions.hostEnvironment)
        let running = runtime.views().filter { [.running, .paused, .restarting].contains($0.state.status) }.map(\.record.id)
        var failed = false
        for image in images {
            do {
                try store.remove(image, force: force, isRunning: { running.contains($0.id) }).forEach { print($0) }
            } catch let error as SandboxError {
                printError("Error response from daemon: " + error.description, prefix: "")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
