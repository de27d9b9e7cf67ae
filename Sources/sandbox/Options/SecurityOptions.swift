import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// Who the workload runs as and what it may do.
struct SecurityOptions: ParsableArguments {
    @Option(name: [.customShort("u"), .long], help: ArgumentHelp(
        "Run as this user, resolved in the container's /etc/passwd and /etc/group.", valueName: "uid[:gid]|name[:group]"))
    var user: String?

    @Option(help: ArgumentHelp("Add a supplementary group (repeatable).", valueName: "group"))
    var groupAdd: [String] = []

    @Option(help: ArgumentHelp("""
        Add capabilities (repeatable, comma-separated, ALL; any case, CAP_ optional). With a non-root --user, \
        the capabilities added here are also made ambient, so the user's program really has them (Docker gives \
        it none: moby #38664).
        """, valueName: "cap"))
    var capAdd: [String] = []

    @Option(help: ArgumentHelp("Drop capabilities (repeatable, comma-separated, ALL); applied before --cap-add.", valueName: "cap"))
    var capDrop: [String] = []

    @Flag(help: """
        Every capability, no masked or read-only paths, the host's devices, all allowed. Container root is still \
        remapped: add --userns host for Docker's behaviour, where it is host root.
        """)
    var privileged = false

    @Option(help: ArgumentHelp("""
        Add a host device (repeatable): bound at CONTAINER (default: its host path) and allowed by the device \
        cgroup with PERMISSIONS, some of r (read), w (write) and m (mknod); default rwm.
        """, valueName: "host[:container][:permissions]"))
    var device: [String] = []

    @Option(help: ArgumentHelp("""
        no-new-privileges[=true|false]: setuid and file capabilities grant nothing. seccomp=PROFILE: a \
        Docker-format JSON profile, default (Docker's, the default) or unconfined. systempaths=unconfined: no \
        masked or read-only paths. apparmor=unconfined and label=disable are what sandbox does already.
        """, valueName: "option"))
    var securityOpt: [String] = []

    func apply(to spec: inout RunSpec) throws {
        if let user { spec.user = try UserSpec(parsing: user) }
        spec.groupAdd = groupAdd
        spec.capabilities.added = capAdd
        spec.capabilities.dropped = capDrop
        spec.privileged = privileged
        spec.devices = try device.map(DeviceMapping.init(parsing:))
        for option in securityOpt { try Self.apply(securityOpt: option, to: &spec) }
    }

    /// One --security-opt, as `apply` and RunFastPath set it.
    static func apply(securityOpt option: String, to spec: inout RunSpec) throws {
        // Docker takes KEY=VALUE, and KEY:VALUE of old.
        let key = option.prefix { $0 != "=" && $0 != ":" }, value = String(option.dropFirst(key.count + 1))
        switch (key, value) {
        case ("no-new-privileges", ""), ("no-new-privileges", "true"): spec.noNewPrivileges = true
        case ("no-new-privileges", "false"): spec.noNewPrivileges = false
        case ("seccomp", "unconfined"): spec.seccompProfile = nil
        case ("seccomp", ""): throw SandboxError("invalid --security-opt \"\(option)\": seccomp needs a profile")
        case ("seccomp", _): spec.seccompProfile = value
        case ("systempaths", "unconfined"): spec.unconfinedSystemPaths = true
        case ("apparmor", "unconfined"), ("label", "disable"), ("writable-cgroups", "false"): return
        case ("apparmor", _): throw Unsupported.refuse("--security-opt \(option)", Unsupported.apparmor)
        case ("label", _): throw Unsupported.refuse("--security-opt \(option)", Unsupported.selinux)
        case ("writable-cgroups", "true"): throw Unsupported.refuse("--security-opt \(option)", Unsupported.writableCgroups)
        default:
            throw SandboxError("invalid --security-opt \"\(option)\": expected no-new-privileges[=true|false], seccomp=PROFILE|default|unconfined or systempaths=unconfined")
        }
    }
}
