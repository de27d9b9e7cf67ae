import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// What a container's life is: in the foreground, or detached under a monitor that logs its output, starts it
/// again as its restart policy says, and removes it with --rm; how `stop` ends it; what is kept about it.
struct LifecycleOptions: ParsableArguments {
    @Flag(name: [.customShort("d"), .long], help: "Run in the background: print the container's id once it runs.")
    var detach = false

    @Flag(help: "Remove the container when it ends (a foreground one always is).")
    var rm = false

    @Option(help: ArgumentHelp("What the monitor does when it ends: no, on-failure[:N], always, unless-stopped.", valueName: "policy"))
    var restart: String?

    @Option(help: ArgumentHelp("Where a detached container's output goes: json-file, the only driver.", valueName: "driver"))
    var logDriver: String?

    @Option(help: ArgumentHelp("The json-file log's rotation: max-size=N, max-file=N (repeatable).", valueName: "key=value"))
    var logOpt: [String] = []

    @Option(help: ArgumentHelp("The signal stop sends first (default SIGTERM).", valueName: "signal"))
    var stopSignal: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The seconds stop waits for the container before SIGKILL (default 10; -1: for ever).", valueName: "seconds"))
    var stopTimeout: String?

    @Option(name: [.customShort("l"), .long], help: ArgumentHelp("Set a label on the container (repeatable).", valueName: "key=value"))
    var label: [String] = []

    @Option(help: ArgumentHelp("Read labels from a file of KEY=VALUE lines (repeatable).", valueName: "file"))
    var labelFile: [String] = []

    @Option(help: ArgumentHelp("Add an annotation to its OCI config (repeatable).", valueName: "key=value"))
    var annotation: [String] = []

    @Option(help: ArgumentHelp("Write the container's id to this file, which must not exist yet; removed if the container never starts.",
                               valueName: "file"))
    var cidfile: String?

    @Option(help: ArgumentHelp("true, the default: signals sent to sandbox reach the container (false is not supported).", valueName: "true"))
    var sigProxy: String?

    func apply(to spec: inout RunSpec) throws {
        spec.detach = detach
        spec.autoRemove = rm
        if let restart { spec.restart = try RestartPolicy(parsing: restart) }
        if let logDriver, logDriver != "json-file" { throw Unsupported.refuse("--log-driver \(logDriver)", Unsupported.logDrivers) }
        for option in logOpt { try spec.logOptions.add(option) }
        if let stopSignal {
            do {
                spec.stopSignal = try Signal(parsing: stopSignal)
            } catch let error as SandboxError {
                throw error.within("--stop-signal")
            }
        }
        spec.cidfile = cidfile
        spec.stopTimeout = try stopTimeout.map { Int(try ResourceLimits.integer($0, flag: "--stop-timeout")) }
        // As Docker's: the files first, then the flags, a later label replacing an earlier one.
        for path in labelFile {
            for (key, value) in try Label.parse(file: try HostFile.read(path), path: path) { spec.labels[key] = value }
        }
        for text in label {
            let (key, value) = try Label.parse(text)
            spec.labels[key] = value
        }
        for text in annotation {
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard !parts[0].isEmpty else { throw SandboxError("invalid annotation \"\(text)\": the key is empty") }
            spec.annotations[String(parts[0])] = parts.count == 2 ? String(parts[1]) : ""
        }
        if let sigProxy {
            guard let proxy = Bool(go: sigProxy) else {
                throw SandboxError("invalid argument \"\(sigProxy)\" for \"--sig-proxy\" flag: strconv.ParseBool: parsing \"\(sigProxy)\": invalid syntax")
            }
            if !proxy { throw Unsupported.refuse("--sig-proxy=false", Unsupported.signalProxy) }
        }
    }
}
