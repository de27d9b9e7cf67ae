import SandboxOCI

/// What `sandbox exec` was asked to run in a running container: Docker's and runc's flags over the container's
/// own process, or, with `--process`, an OCI process.json as an engine writes it.
///
/// Whatever the flags leave unsaid is the container's, as `docker exec` and `runc exec` take it from the
/// container's config: environment, working directory, user, capabilities, no_new_privs, umask, limits.
public struct ExecSpec: Equatable, Sendable {
    /// argv; empty with `process`.
    public var command: [String] = []
    /// `-e` and `--env-file`, over the container's environment.
    public var environment = Environment()
    /// `-w`, `--cwd`: absolute.
    public var workdir: String?
    /// `-u`: resolved in the container's /etc/passwd and /etc/group, as Docker resolves it.
    public var user: UserSpec?
    /// runc's `--additional-gids`, after the user's own groups.
    public var additionalGroups: [UInt32] = []
    /// runc's `--cap`: added to the bounding, permitted and effective sets (and made ambient for a non-root
    /// user, as `sandbox run --cap-add` does, so that its program really holds them).
    public var addedCapabilities: [String] = []
    /// Docker's `--privileged`: every capability sandbox can give, in the container's user namespace.
    public var privileged = false
    /// runc's `--no-new-privs`; the container's own setting stays either way.
    public var noNewPrivileges = false
    public var tty = false
    /// `--process`: the whole process, as given; no other flag may describe it.
    public var ociProcess: OCI.Process?

    public init() {}

    /// What the host and the container contribute, read by the Linux side before anything starts.
    public struct Context: Sendable {
        public var host: HostFacts
        /// The container's /etc/passwd and /etc/group, read through its root now; nil when missing.
        public var passwd: String?
        public var group: String?
        /// Its user namespace's maps; nil when it has sandbox's own (`--userns host`).
        public var userNamespace: UserNamespacePlan?

        public init(host: HostFacts, passwd: String?, group: String?, userNamespace: UserNamespacePlan?) {
            self.host = host
            self.passwd = passwd
            self.group = group
            self.userNamespace = userNamespace
        }

        /// Joining a user namespace gives every capability in it; without one, the process can hold at most
        /// what sandbox holds.
        var available: CapabilityMask {
            userNamespace == nil ? host.bounding : .all(through: host.lastCapability)
        }
    }

    public func validate() throws {
        if ociProcess != nil {
            let flags = [("a command", !command.isEmpty), ("-e", !environment.variables.isEmpty), ("--cwd", workdir != nil),
                         ("--user", user != nil), ("--additional-gids", !additionalGroups.isEmpty), ("--cap", !addedCapabilities.isEmpty),
                         ("--privileged", privileged), ("--no-new-privs", noNewPrivileges)]
            if let (flag, _) = flags.first(where: \.1) {
                throw SandboxError("--process describes the whole process: \(flag) cannot be given with it")
            }
        } else if command.isEmpty {
            throw SandboxError("exec needs a command to run, or --process")
        }
        if let workdir, !workdir.hasPrefix("/") {
            throw SandboxError("the working directory \"\(workdir)\" is invalid: it needs to be an absolute path")
        }
    }

    /// The process to add to a container whose own process is `container`.
    public func process(joining container: ContainerProcess, context: Context) throws -> ContainerProcess {
        if let ociProcess {
            // A process.json has no personality: the container's is every process's, as crun's exec sets it.
            var process = try Self.process(oci: ociProcess, tty: tty, context: context)
            process.personality = container.personality
            process.newKeyring = container.newKeyring
            return process
        }
        let host = context.host
        var user = container.user
        if let spec = self.user { user = try spec.resolve(passwd: context.passwd, group: context.group) }
        for gid in additionalGroups where !user.supplementaryGroups.contains(gid) { user.supplementaryGroups.append(gid) }
        try context.userNamespace?.checkMapped(user)

        var capabilities = container.capabilities
        if privileged {
            capabilities = try CapabilityPolicy(privileged: true).resolve(lastCapability: host.lastCapability,
                                                                          available: context.available, rootUser: user.uid == 0)
        }
        if !addedCapabilities.isEmpty {
            let everything = CapabilityMask.all(through: host.lastCapability).intersection(context.available)
            let added = try CapabilityPolicy().mask(addedCapabilities, option: "--cap",
                                                    known: (0...host.lastCapability).map(Capability.init), all: everything)
            if let missing = added.subtracting(everything).capabilities.first {
                throw SandboxError("--cap \(missing.name): sandbox itself does not hold \(missing), so it cannot give it")
            }
            capabilities.bounding = capabilities.bounding.union(added)
            capabilities.permitted = capabilities.permitted.union(added)
            capabilities.effective = capabilities.effective.union(added)
            if user.uid != 0 {
                capabilities.inheritable = capabilities.inheritable.union(added)
                capabilities.ambient = capabilities.ambient.union(added)
            }
        }

        // Docker's order: the container's environment, TERM with a terminal, then -e. HOME follows -u, as
        // runc sets it for a user whose environment has none (the container's names its own user's).
        var environment = Environment()
        for assignment in container.environment { environment.set(assignment: assignment) }
        if tty && environment["TERM"] == nil { environment.set("TERM", "xterm") }
        if self.user != nil { environment.set("HOME", user.home) }
        for variable in self.environment.variables { environment.set(variable.name, variable.value) }

        var process = ContainerProcess(
            args: command, environment: environment.assignments, cwd: workdir.map(ContainerPath.clean) ?? container.cwd,
            user: user, capabilities: capabilities, lastCapability: host.lastCapability,
            noNewPrivileges: container.noNewPrivileges || noNewPrivileges, terminal: tty, initProcess: false)
        process.umask = container.umask
        process.rlimits = container.rlimits
        process.oomScoreAdj = container.oomScoreAdj
        process.scheduling = container.scheduling
        process.personality = container.personality
        process.newKeyring = container.newKeyring
        return process
    }
}

extension Environment {
    /// A `NAME=VALUE` entry as a process's environment holds it (no host lookup, unlike `-e NAME`).
    mutating func set(assignment: String) {
        let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        set(String(parts[0]), parts.count == 2 ? String(parts[1]) : "")
    }
}
