import ArgumentParser
import Glibc
import SandboxKit

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command in a new container.",
        discussion: """
            The command runs as pid 1 in new pid, network, mount, ipc, uts, user, cgroup and time namespaces, \
            with container root mapped to the subordinate ids of the user "sandbox" (created on first use), \
            on the host's / read-only unless --rootfs names an image. Its exit status is the command's; \
            125 when sandbox fails, 126 when the command cannot be run, 127 when it is not found.
            """
    )

    @OptionGroup(title: "Namespaces") var namespaces: NamespaceOptions
    @OptionGroup(title: "User namespace") var users: UserOptions
    @OptionGroup(title: "Filesystem") var filesystem: FilesystemOptions
    @OptionGroup(title: "Process") var process: ProcessOptions
    @OptionGroup(title: "Security") var security: SecurityOptions

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command and its arguments.", valueName: "cmd"))
    var command: [String] = []

    /// Options come before the command; captured passthrough would otherwise take a mistyped option for it.
    func validate() throws {
        if let first = command.first, first.hasPrefix("-"), first != "--" {
            throw SandboxError("unknown option \(first) (options come before the command; see sandbox run --help)")
        }
    }

    mutating func run() throws {
        var environment: [String: String] = [:]
        for pointer in UnsafeBufferPointer(start: environ, count: Int.max) {
            guard let pointer else { break }
            let entry = String(cString: pointer)
            if let equals = entry.firstIndex(of: "=") {
                environment[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
            }
        }
        let spec = try makeSpec(hostEnvironment: environment)
        if spec.privileged && spec.namespaces.isNew(.user) {
            var note = "sandbox: note: --privileged keeps container root remapped (it is not host root); "
                + "add --userns host for Docker's --privileged\n"
            note.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
        }
        let status = try Container(spec: spec, hostEnvironment: environment).run()
        throw ExitCode(status)
    }

    func makeSpec(hostEnvironment: [String: String]) throws -> RunSpec {
        var spec = RunSpec(command: command.first == "--" ? Array(command.dropFirst()) : command)
        try namespaces.apply(to: &spec)
        try users.apply(to: &spec)
        try filesystem.apply(to: &spec)
        try process.apply(to: &spec, hostEnvironment: hostEnvironment)
        try security.apply(to: &spec)
        try spec.validate()
        return spec
    }
}
