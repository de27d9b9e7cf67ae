import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// The workload's process: its environment, directory, streams, name and pid 1.
struct ProcessOptions: ParsableArguments {
    @Option(name: [.customShort("e"), .long], help: ArgumentHelp("Set NAME=VALUE, or pass NAME from the host (repeatable).", valueName: "name[=value]"))
    var env: [String] = []

    @Option(help: ArgumentHelp("Read variables from a file of NAME=VALUE lines (repeatable).", valueName: "file"))
    var envFile: [String] = []

    @Option(name: [.customShort("w"), .long], help: ArgumentHelp("The working directory inside the container, created if missing.", valueName: "dir"))
    var workdir: String?

    @Option(name: [.customShort("h"), .long], help: ArgumentHelp("The container's hostname (default: its short id).", valueName: "name"))
    var hostname: String?

    @Option(help: ArgumentHelp("The container's NIS domain name.", valueName: "name"))
    var domainname: String?

    @Option(help: ArgumentHelp("The container's name, unique among running containers (default: its short id).", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("""
        Run this program, with the command's words as its arguments (Docker's entrypoint: it replaces an \
        image's, and clears the image's command unless one is given; "" runs the command as given).
        """, valueName: "program"))
    var entrypoint: String?

    @Flag(name: [.customShort("i"), .long], help: "Keep stdin open.")
    var interactive = false

    @Flag(name: [.customShort("t"), .long], help: "Give the command a terminal (yours is put in raw mode; its window size is passed on).")
    var tty = false

    @Flag(help: "Run a tiny init as pid 1 that forwards signals and reaps zombies.")
    var `init` = false

    func apply(to spec: inout RunSpec, hostEnvironment: [String: String]) throws {
        for path in envFile {
            try spec.environment.add(envFile: try HostFile.read(path), path: path, host: hostEnvironment)
        }
        for assignment in env {
            try spec.environment.add(assignment, host: hostEnvironment)
        }
        if let workdir { spec.workdir = workdir }
        spec.hostname = hostname
        spec.domainname = domainname
        spec.name = name
        // As Docker's: one program, never split at spaces; "" resets an image's entrypoint (Docker's [""]).
        if let entrypoint { spec.entrypoint = [entrypoint] }
        spec.interactive = interactive
        spec.tty = tty
        spec.initProcess = `init`
    }
}
