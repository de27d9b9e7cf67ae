import ArgumentParser
import Glibc
import SandboxJSON
import SandboxLinux
import SandboxOCI
import SandboxPolicy

/// `spec [--rootless]`: writes a default config.json in the bundle, as `runc spec`.
struct SpecCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(commandName: "spec", abstract: "Write a default config.json, as runc spec does (OCI).")

    @ParentCommand var parent: Sandbox

    @Option(name: .shortAndLong, help: ArgumentHelp("The bundle directory to write it in.", valueName: "dir"))
    var bundle = "."

    @Flag(help: "For a caller without root: its own ids mapped, no network namespace, no resources.")
    var rootless = false

    func execute(_ runtime: Runtime) throws {
        let path = bundle + "/config.json"
        guard access(path, F_OK) != 0 else { throw SandboxError("File \(path) exists. Remove it first") }
        let config = rootless ? OCI.Config.rootlessSpec(uid: getuid(), gid: getgid()) : OCI.Config.defaultSpec()
        try HostFile.create(try JSON.encode(config), at: path)
    }
}
