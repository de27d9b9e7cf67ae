import ArgumentParser
import SandboxPolicy

/// How `stop` ends a container, and `restart` before it starts it again: Docker's -t and -s.
struct StopOptions: ParsableArguments {
    @Option(name: [.customShort("t"), .customLong("timeout"), .customLong("time")],
            help: ArgumentHelp("Seconds to wait before SIGKILL.", valueName: "seconds"))
    var timeout: Int?

    @Option(name: [.customShort("s"), .customLong("signal")], help: ArgumentHelp("The signal to send first.", valueName: "signal"))
    var signal: Signal?
}
