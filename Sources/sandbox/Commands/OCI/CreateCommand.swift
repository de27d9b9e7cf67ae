import ArgumentParser
import Glibc
import SandboxLinux
import SandboxPolicy

/// `create --bundle DIR ID`: the OCI runtime's first step. The container is set up from the bundle's
/// config.json and its process waits for `start`; sandbox exits, and the process lives on under the caller's
/// subreaper (conmon, containerd's shim).
struct CreateCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a container from an OCI bundle (OCI).",
        discussion: """
            Sets the container up from the bundle's config.json; its process waits for start, a child of the \
            caller's subreaper, and sandbox exits.
            """)

    @ParentCommand var parent: Sandbox

    @Option(name: .shortAndLong, help: ArgumentHelp("The bundle: a directory holding config.json (default: the current one).", valueName: "dir"))
    var bundle = "."

    @Option(help: ArgumentHelp("Write the container process's pid here.", valueName: "file"))
    var pidFile: String?

    @Option(help: ArgumentHelp("An AF_UNIX socket to send the terminal's master fd to, when process.terminal is true.", valueName: "path"))
    var consoleSocket: String?

    @Option(help: ArgumentHelp("Pass this many fds, from 3 on, to the container's process.", valueName: "n"))
    var preserveFds: Int32 = 0

    @Flag(help: "Keep the caller's session keyring (by default the container joins a new one, as runc's).")
    var noNewKeyring = false

    @Argument(help: ArgumentHelp("The container's id, unique under the state root.", valueName: "id"))
    var id: String

    func validate() throws {
        guard preserveFds >= 0 else { throw ValidationError("--preserve-fds must not be negative") }
    }

    func execute(_ runtime: Runtime) throws {
        var resolved = [CChar](repeating: 0, count: Int(PATH_MAX))
        guard realpath(bundle, &resolved) != nil else { throw SandboxError("bundle \(bundle)", errno: errno) }
        let directory = String(decoding: resolved.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // What the config asks that is left out goes to --log too, where containerd reads it, as runc logs it.
        let spec = try OCIBundle.spec(bundle: directory, caller: runtime.caller, warn: runtime.warn)
        try runtime.create(id: id, spec: spec, options: .init(bundle: directory, pidFile: pidFile, consoleSocket: consoleSocket,
                                                                preserveFds: preserveFds, keepKeyring: noNewKeyring))
    }
}
