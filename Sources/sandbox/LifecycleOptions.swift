import ArgumentParser
import SandboxPolicy

/// What a container's life is: in the foreground, or detached under a monitor that logs its output, starts it
/// again as its restart policy says, and removes it with --rm.
struct LifecycleOptions: ParsableArguments {
    @Flag(name: [.customShort("d"), .long], help: "Run in the background: print the container's id once it runs.")
    var detach = false

    @Flag(help: "Remove the container when it ends (a foreground one always is).")
    var rm = false

    @Option(help: ArgumentHelp("What the monitor does when it ends: no, on-failure[:N], always, unless-stopped.", valueName: "policy"))
    var restart: String?

    @Option(help: ArgumentHelp("The json-file log's rotation: max-size=N, max-file=N (repeatable).", valueName: "key=value"))
    var logOpt: [String] = []

    func apply(to spec: inout RunSpec) throws {
        spec.detach = detach
        spec.autoRemove = rm
        if let restart { spec.restart = try RestartPolicy(parsing: restart) }
        for option in logOpt { try spec.logOptions.add(option) }
    }
}
