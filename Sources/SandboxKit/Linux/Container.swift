import CSandbox
import Glibc

/// One `sandbox run`: plans the container against this host, starts it, waits for it, and removes every
/// trace of it on every path out.
public struct Container {
    public var spec: RunSpec
    public var caller: Caller
    public var hostEnvironment: [String: String]

    public init(spec: RunSpec, caller: Caller = .current(), hostEnvironment: [String: String]) {
        self.spec = spec
        self.caller = caller
        self.hostEnvironment = hostEnvironment
    }

    /// How a container ended.
    public struct Outcome: Sendable {
        /// What `docker run` would exit with: the workload's code, or 128+N for signal N.
        public var status: Int32
        /// What its cgroup counted, if it had one.
        public var usage: CgroupUsage?
        /// The kernel's OOM killer ended it, for the memory limit.
        public var killedForMemory: Bool
    }

    /// Runs the container to its end.
    /// - Parameter supervisor: loads its notifying filter in place of the profile's, and answers it.
    public func run(supervisor: SeccompSupervisor? = nil) throws -> Outcome {
        try checkHost()
        let devices = DevicePolicy(privileged: spec.privileged, devices: try spec.devices.map { try $0.hostRule() })
        let userNamespace = try spec.namespaces.isNew(.user) ? UserNamespaceSetup.plan(for: spec.userMapping, caller: caller) : nil
        if userNamespace?.canIdmapMounts == false, let volume = spec.volumes.first(where: \.idmapped) {
            throw SandboxError("volume \(volume.target): idmap needs sandbox to run as root")
        }
        let root = spec.rootfs ?? "/"
        let credentials = try Credentials(
            spec: spec, passwd: try HostFile.read("/etc/passwd", inRoot: root), group: try HostFile.read("/etc/group", inRoot: root),
            lastCapability: try Self.lastCapability(), userNamespace: userNamespace)
        let channel = try ReportChannel()
        let base = try StateDirectory.prepareBase(for: caller, environment: hostEnvironment)
        let seccomp = try seccompProgram(bounding: credentials.capabilities.bounding, supervisor: supervisor, channel: channel, base: base)
        let id = ContainerID.random()
        let name = spec.name ?? id.short
        let state = try StateDirectory.create(
            base: base, name: name,
            volumes: spec.volumes.count)
        defer { state.remove() }
        let cgroup = try makeCgroup(name: name, devices: devices, state: state, base: base)
        defer { try? cgroup?.remove() }

        let terminal = try spec.tty ? PseudoTerminal() : nil
        let plan = LaunchPlan(spec: spec, id: id, userNamespace: userNamespace, credentials: credentials, seccomp: seccomp, state: state,
                              console: terminal?.slavePath, timeNamespaces: HostFile.exists("/proc/self/ns/time"))
        let start = sbx_start_listen(state.fd, StateDirectory.startSocket)
        guard start >= 0 else { throw SandboxError("listen on \(state.path)/\(StateDirectory.startSocket)", errno: -start) }
        defer { close(start) }
        let status = try Launch(plan: plan, terminal: terminal, channel: channel, state: state, startSocket: start, supervisor: supervisor,
                                cgroup: cgroup).run()
        let usage = cgroup?.usage()
        return Outcome(status: status, usage: usage, killedForMemory: status == 128 + SIGKILL && (usage?.oomKills ?? 0) > 0)
    }

    /// The profile's program, from the cache; or, under a supervisor, its notifying filter, never cached.
    private func seccompProgram(bounding: CapabilityMask, supervisor: SeccompSupervisor?, channel: ReportChannel,
                                base: String) throws -> SeccompProgram? {
        let host = SeccompCompiler.host()
        func resolve(_ profile: SeccompProfile, _ name: String) throws -> SeccompFilter {
            do {
                return try SeccompFilter(profile: profile, bounding: bounding, host: host)
            } catch let error as SandboxError {
                throw SandboxError("seccomp profile \(SeccompProfileFile.source(name)): \(error.message)")
            }
        }
        guard let supervisor else {
            return try spec.effectiveSeccompProfile.map { name in
                try SeccompCache(base: base).program(profile: name, bounding: bounding, host: host) { profile in
                    try SeccompCompiler.compile(resolve(profile, name))
                }
            }
        }
        let resolved = try spec.effectiveSeccompProfile.map { try resolve(SeccompProfileFile.load($0), $0) }
        return try SeccompCompiler.compile(supervisor.filter(for: resolved, host: host).lettingThroughSendmsg(on: channel.child), listener: true)
    }

    /// Root's containers each get a cgroup, as Docker's, which keeps them from the host's devices; another
    /// caller's only when a limit asks for one (and then needs a delegated cgroup), without device rules:
    /// loading a device program needs root, and its user namespace already keeps it from the host's devices.
    /// Cgroups of killed runs are collected first: only when the state directory found one, so that a start
    /// does not list every hierarchy for nothing.
    private func makeCgroup(name: String, devices: DevicePolicy, state: StateDirectory, base: String) throws -> ContainerCgroup? {
        guard caller.isRoot || !spec.resources.isEmpty else { return nil }
        let hierarchy = try CgroupHierarchy.host()
        if !state.abandoned.isEmpty {
            ContainerCgroup.removeAbandoned(hierarchy: hierarchy) { HostFile.exists(base + "/" + $0) }
        }
        return try ContainerCgroup.create(name: name, limits: spec.resources, devices: caller.isRoot ? devices : nil, hierarchy: hierarchy)
    }

    /// The kernel's last capability: every capability it knows can be named.
    static func lastCapability() throws -> Int {
        let text = try HostFile.read("/proc/sys/kernel/cap_last_cap")
        guard let last = Int(text.split(separator: "\n").first ?? "") else {
            throw SandboxError("/proc/sys/kernel/cap_last_cap holds \"\(text)\", not a number")
        }
        return last
    }

    /// What the spec names on the host must be there before anything is made.
    private func checkHost() throws {
        if !caller.isRoot && !spec.namespaces.isNew(.user) {
            throw SandboxError("--userns host needs root: without a user namespace, no other namespace can be made")
        }
        if let rootfs = spec.rootfs {
            var status = stat()
            guard stat(rootfs, &status) == 0 else { throw SandboxError("root filesystem \(rootfs)", errno: errno) }
            guard status.st_mode & S_IFMT == S_IFDIR else { throw SandboxError("root filesystem \(rootfs) is not a directory") }
        }
        for volume in spec.volumes where access(volume.source, F_OK) != 0 {
            throw SandboxError("volume \(volume.source):\(volume.target): host path \(volume.source)", errno: errno)
        }
    }
}
