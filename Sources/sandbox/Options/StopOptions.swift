import ArgumentParser
import SandboxPolicy

/// Which containers `stop` ends, and `restart` before it starts them again, and how: Docker's -t and -s.
struct StopOptions: ParsableArguments {
    @Option(name: [.customShort("t"), .customLong("timeout"), .customLong("time")],
            help: ArgumentHelp("Seconds to wait before SIGKILL.", valueName: "seconds"))
    var timeout: Int?

    @Option(name: [.customShort("s"), .customLong("signal")], help: ArgumentHelp("The signal to send first.", valueName: "signal"))
    var signal: Signal?

    @Argument(help: ArgumentHelp("Containers, by name, id or unique id prefix.", valueName: "container"))
    var containers: [String]
}
