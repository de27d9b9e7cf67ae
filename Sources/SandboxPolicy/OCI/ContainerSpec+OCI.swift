import SandboxJSON
import SandboxOCI

/// The mapping from an OCI `config.json` to a container (`sandbox create`): what the config says is
/// honoured, or refused with one line naming its field (`config.json: linux.intelRdt: not supported`).
/// Where the spec asks a runtime to warn rather than fail, the warning goes to `warn`; elsewhere runc 1.1's
/// reading is followed.
extension ContainerSpec {
    /// What the host and the bundle contribute, gathered by the Linux side before anything starts.
    public struct OCIContext: Sendable {
        /// The bundle directory, absolute: a relative `root.path` or bind source is inside it.
        public var bundle: String
        public var host: HostFacts
        /// The architecture and the syscall names libseccomp knows, for `linux.seccomp`.
        public var seccomp: SeccompFilter.Host
        public var caller: Caller
        /// The root filesystem's /etc/passwd, where runc finds HOME when the config's environment has none.
        public var passwd: String?

        public init(bundle: String, host: HostFacts, seccomp: SeccompFilter.Host, caller: Caller, passwd: String?) {
            self.bundle = bundle
            self.host = host
            self.seccomp = seccomp
            self.caller = caller
            self.passwd = passwd
        }

        /// Who runs sandbox: root writes any id map; anyone else only its own ids, and its subordinate ones
        /// through newuidmap and newgidmap.
        public struct Caller: Equatable, Sendable {
            public var uid: UInt32
            public var gid: UInt32
            public var isRoot: Bool
            /// The caller's ranges from /etc/subuid and /etc/subgid (empty without the helpers); their host
            /// ids are what counts.
            public var subordinateUIDs: [IDMapping]
            public var subordinateGIDs: [IDMapping]

            public init(uid: UInt32, gid: UInt32, isRoot: Bool, subordinateUIDs: [IDMapping] = [],
                        subordinateGIDs: [IDMapping] = []) {
                self.uid = uid
                self.gid = gid
                self.isRoot = isRoot
                self.subordinateUIDs = subordinateUIDs
                self.subordinateGIDs = subordinateGIDs
            }
        }
    }

    /// - Parameter warn: told, one line each, what the config asks that cannot be granted here and is left
    ///   out, as the spec wants (a capability this kernel lacks, an AppArmor profile without AppArmor).
    public init(oci config: OCI.Config, context: OCIContext, warn: (String) -> Void = { _ in }) throws {
        var mapping = OCIMapping(config: config, context: context)
        defer { mapping.warnings.forEach(warn) }
        try mapping.refuseUnsupported()
        let (namespaces, userNamespace) = try mapping.namespaces()
        let process = try mapping.process(namespaces: namespaces, userNamespace: userNamespace)
        let linux = config.linux ?? OCI.Linux()
        self.init(
            process: process,
            root: try mapping.root(),
            hostname: try mapping.name(config.hostname, field: "hostname", namespaces: namespaces),
            mounts: try mapping.mounts(namespaces: namespaces, userNamespace: userNamespace),
            namespaces: namespaces,
            userNamespace: userNamespace,
            devices: try DevicePolicy(oci: linux.resources?.devices ?? []),
            seccomp: try linux.seccomp.map { .filter(try SeccompFilter(oci: $0, host: context.seccomp)) } ?? .unconfined,
            resources: try mapping.resources(),
            annotations: config.annotations ?? [:])
        domainname = try mapping.name(config.domainname, field: "domainname", namespaces: namespaces)
        cgroupPath = linux.cgroupsPath.flatMap { $0.isEmpty ? nil : $0 }
        sysctls = try mapping.sysctls(namespaces: namespaces)
        timeOffsets = try mapping.timeOffsets(namespaces: namespaces)
        seccompAgent = try mapping.seccompAgent()
        rootPropagation = linux.rootfsPropagation.map { MountPropagation(rawValue: $0.rawValue)! }
        hooks = try mapping.hooks()
        try mapping.securityLabel(linux.mountLabel, field: "linux.mountLabel", module: "SELinux", enabled: context.host.selinux)
    }
}

/// One reading of one config: the warnings it gathers and the helpers each part of the mapping shares.
struct OCIMapping {
    static let document = "config.json"

    let config: OCI.Config
    let context: ContainerSpec.OCIContext
    var warnings: [String] = []

    var host: HostFacts { context.host }
    var linux: OCI.Linux { config.linux ?? OCI.Linux() }

    init(config: OCI.Config, context: ContainerSpec.OCIContext) {
        self.config = config
        self.context = context
    }

    /// The one line for a field that cannot be honoured: `config.json: process.cwd: "x" is not absolute`.
    static func error(_ field: String, _ problem: String) -> SandboxError {
        SandboxError("\(document): \(field): \(problem)")
    }

    func error(_ field: String, _ problem: String) -> SandboxError { Self.error(field, problem) }

    mutating func warn(_ field: String, _ problem: String) {
        warnings.append("\(Self.document): \(field): \(problem)")
    }

    /// A map's key as a path names it: `linux.sysctl["net.ipv4.ip_forward"]`, quoted as JSON quotes it, so that
    /// a key with a newline still makes one line.
    static func key(_ name: String) -> String {
        "[" + JSONString.quote(name) + "]"
    }

    /// What this runtime has no way to do, refused before anything else is read.
    func refuseUnsupported() throws {
        if linux.intelRdt != nil { throw error("linux.intelRdt", "not supported") }
        // The runtime spec defines no flag yet.
        if let flags = linux.personality?.flags, !flags.isEmpty { throw error("linux.personality.flags", "not supported") }
    }

    /// `root.path`, inside the bundle when relative, bound as it is: the engine prepared it.
    func root() throws -> ContainerSpec.Root {
        guard let root = config.root else { throw error("root", "missing") }
        guard !root.path.isEmpty else { throw error("root.path", "empty") }
        return ContainerSpec.Root(path: inBundle(root.path), layout: .bind, readOnly: root.readonly ?? false)
    }

    /// A host path the config gives, absolute or relative to the bundle.
    func inBundle(_ path: String) -> String {
        path.hasPrefix("/") ? path : ContainerPath.clean(context.bundle + "/" + path)
    }

    /// `hostname` or `domainname`: set in the container's own uts namespace only, as runc requires.
    func name(_ value: String?, field: String, namespaces: [Namespace: NamespaceMode]) throws -> String? {
        guard let value, !value.isEmpty else { return nil }
        guard namespaces[.uts] != .host else { throw error(field, "needs a uts namespace of the container's own (linux.namespaces has none)") }
        return value
    }

    func hooks() throws -> Hooks {
        var hooks = Hooks()
        let given = config.hooks ?? OCI.Hooks()
        let kinds: [(String, [OCI.Hook]?, WritableKeyPath<Hooks, [Hook]>)] = [
            ("prestart", given.prestart, \.prestart), ("createRuntime", given.createRuntime, \.createRuntime),
            ("createContainer", given.createContainer, \.createContainer), ("startContainer", given.startContainer, \.startContainer),
            ("poststart", given.poststart, \.poststart), ("poststop", given.poststop, \.poststop),
        ]
        for (name, list, keyPath) in kinds {
            for (index, hook) in (list ?? []).enumerated() {
                let field = "hooks.\(name)[\(index)]"
                guard hook.path.hasPrefix("/") else { throw error(field + ".path", "\"\(hook.path)\" is not absolute") }
                if let timeout = hook.timeout, timeout <= 0 { throw error(field + ".timeout", "must be more than 0 seconds") }
                // As runc (Go's exec): no args runs the program with its path as argv[0].
                hooks[keyPath: keyPath].append(Hook(path: hook.path, args: hook.args ?? [hook.path], environment: hook.env ?? [],
                                                    timeout: hook.timeout))
            }
        }
        return hooks
    }

    /// An AppArmor profile or an SELinux label, which sandbox does not apply. Where the module is off it
    /// confines nothing, so nothing is lost: left out with a warning, as crun leaves SELinux labels (runc 1.1
    /// and crun 1.8 fail on an AppArmor profile there, and runc passes a mount label to the mounts). Where it is
    /// on, the container would run unconfined: refused.
    mutating func securityLabel(_ value: String?, field: String, module: String, enabled: Bool) throws {
        guard let value, !value.isEmpty else { return }
        guard !enabled else {
            throw error(field, "sandbox applies no \(module) \(module == "AppArmor" ? "profile" : "label"), and \(module) is enabled on this host: the container would run unconfined")
        }
        warn(field, "\(module) is not enabled on this host; \"\(value)\" is not applied")
    }
}

extension ResourceLimits {
    /// `update --resources`: a LinuxResources document, read as config.json's `linux.resources` is (its
    /// device rules aside: they are the container's for its life).
    public init(oci resources: OCI.Resources, context: ContainerSpec.OCIContext) throws {
        var config = OCI.Config()
        config.linux = OCI.Linux()
        config.linux?.resources = resources
        var mapping = OCIMapping(config: config, context: context)
        self = try mapping.resources()
    }
}
