import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// `pause` and `resume` (runc's) or `unpause` (Docker's): every process of a container frozen, or thawed.
struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Freeze every process of containers (the cgroup freezer).")

    @ParentCommand var parent: Sandbox

    @Argument(help: ArgumentHelp("Containers, by name, id or unique id prefix.", valueName: "container"))
    var containers: [String]

    func run() throws {
        try Freezer.set(true, containers: containers, global: parent.global)
    }
}

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Thaw paused containers.", aliases: ["unpause"])

    @ParentCommand var parent: Sandbox

    @Argument(help: ArgumentHelp("Containers, by name, id or unique id prefix.", valueName: "container"))
    var containers: [String]

    func run() throws {
        try Freezer.set(false, containers: containers, global: parent.global)
    }
}

/// An engine's call (with the global --root or --log) fails with exit 1 as runc's; a user's with 125 and, as
/// Docker, prints each name.
enum Freezer {
    static func set(_ paused: Bool, containers: [String], global: GlobalOptions) throws {
        let engine = global.root != nil || global.log != nil
        do {
            let runtime = try Runtime(root: global.root, environment: RunOptions.hostEnvironment)
            for container in containers {
                let name = try runtime.setPaused(paused, reference: container)
                if !engine { print(name) }
            }
        } catch let error as SandboxError where engine {
            global.record(error.description, level: "error")
            printError(error.description)
            throw ExitCode(1)
        }
    }
}
