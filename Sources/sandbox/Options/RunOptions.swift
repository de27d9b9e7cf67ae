import ArgumentParser
import Glibc
import SandboxLinux
import SandboxPolicy

/// Everything `sandbox run` takes, shared by `seccomp test` and `seccomp trace`, which run a container too.
struct RunOptions: ParsableArguments {
    @OptionGroup(title: "Namespaces") var namespaces: NamespaceOptions
    @OptionGroup(title: "User namespace") var users: UserOptions
    @OptionGroup(title: "Filesystem") var filesystem: FilesystemOptions
    @OptionGroup(title: "Process") var process: ProcessOptions
    @OptionGroup(title: "Security") var security: SecurityOptions
    @OptionGroup(title: "Resources") var resources: ResourceOptions
    @OptionGroup(title: "Kernel settings") var kernel: KernelOptions
    @OptionGroup(title: "Lifecycle") var lifecycle: LifecycleOptions
    @OptionGroup(title: "Health check") var health: HealthOptions
    @OptionGroup(title: "Image (sandbox has none)") var image: ImageOptions

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command and its arguments.", valueName: "cmd"))
    var command: [String] = []

    /// Options come before the command; captured passthrough would otherwise take a mistyped option for it, or
    /// one of Docker's that sandbox refuses, which `spec()` refuses with its reason.
    func validate() throws {
        if let first = command.first, first.hasPrefix("-"), first != "--", Unsupported.refusal(of: first) == nil {
            throw SandboxError("unknown option \(first) (options come before the command)")
        }
    }

    /// The container the options describe, checked.
    func spec() throws -> RunSpec {
        if let first = command.first, let refusal = Unsupported.refusal(of: first) { throw refusal }
        var spec = RunSpec(command: command.first == "--" ? Array(command.dropFirst()) : command)
        try namespaces.apply(to: &spec)
        try users.apply(to: &spec)
        try filesystem.apply(to: &spec)
        try process.apply(to: &spec, hostEnvironment: Self.hostEnvironment)
        try security.apply(to: &spec)
        try resources.apply(to: &spec)
        try kernel.apply(to: &spec)
        try lifecycle.apply(to: &spec)
        try health.apply(to: &spec)
        try image.check()
        try spec.validate()
        if spec.privileged && spec.namespaces.isNew(.user) {
            printError("note: --privileged keeps container root remapped (it is not host root); add --userns host for Docker's --privileged")
        }
        return spec
    }

    /// The container a checked spec describes, ready to run: the host and the image read, the flags resolved.
    static func container(for run: RunSpec, image: ImageRun? = nil) throws -> Container {
        let (spec, id) = try DockerRun.spec(for: run, image: image, caller: .current())
        return Container(spec: spec, engine: try EngineSettings(docker: run), id: id, name: run.name ?? id.short,
                         hostEnvironment: hostEnvironment, interactive: run.interactive)
    }

    /// Read once: sandbox never changes its own environment, and a run asked for it twice (its flags, then
    /// its state directory's base).
    static let hostEnvironment: [String: String] = {
        var environment: [String: String] = [:]
        for pointer in UnsafeBufferPointer(start: environ, count: Int.max) {
            guard let pointer else { break }
            let entry = String(cString: pointer)
            if let equals = entry.utf8.firstIndex(of: UInt8(ascii: "=")) {
                environment[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
            }
        }
        return environment
    }()
}
