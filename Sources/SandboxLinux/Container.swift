import CSandbox
import Glibc
import SandboxPolicy

/// One container run to its end: laid out on this host, started, waited for, and every trace of it removed
/// on every path out.
public struct Container {
    public var spec: ContainerSpec
    /// Its state directory's name, unique among running containers.
    public var name: String
    public var caller: Caller
    public var hostEnvironment: [String: String]
    /// The caller's stdin reaches the process (`-i`); otherwise it reads /dev/null.
    public var interactive: Bool

    public init(spec: ContainerSpec, name: String, caller: Caller = .current(), hostEnvironment: [String: String],
                interactive: Bool) {
        self.spec = spec
        self.name = name
        self.caller = caller
        self.hostEnvironment = hostEnvironment
        self.interactive = interactive
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
        let channel = try ReportChannel()
        let base = try StateDirectory.prepareBase(for: caller, environment: hostEnvironment)
        let seccomp = try seccompProgram(supervisor: supervisor, channel: channel, base: base)
        let state = try StateDirectory.create(base: base, name: name, volumes: LaunchPlan.idmappedVolumes(in: spec))
        defer { state.remove() }
        let cgroup = try makeCgroup(state: state, base: base)
        defer { try? cgroup?.remove() }

        let terminal = try spec.process.terminal ? PseudoTerminal() : nil
        let plan = LaunchPlan(spec: spec, layout: state.layout)
        let start = sbx_start_listen(state.fd, StateDirectory.startSocket)
        guard start >= 0 else { throw SandboxError("listen on \(state.path)/\(StateDirectory.startSocket)", errno: -start) }
        defer { close(start) }
        let status = try Launch(plan: plan, seccomp: seccomp, interactive: interactive, terminal: terminal, channel: channel,
                                state: state, startSocket: start, supervisor: supervisor, cgroup: cgroup).run()
        let usage = cgroup?.usage()
        return Outcome(status: status, usage: usage, killedForMemory: status == 128 + SIGKILL && (usage?.oomKills ?? 0) > 0)
    }

    /// The spec's program, from the cache; or, under a supervisor, its notifying filter, never cached.
    private func seccompProgram(supervisor: SeccompSupervisor?, channel: ReportChannel, base: String) throws -> SeccompProgram? {
        let host = SeccompCompiler.host()
        let bounding = spec.process.capabilities.bounding
        func resolve(_ profile: SeccompProfile, source: String) throws -> SeccompFilter {
            do {
                return try SeccompFilter(profile: profile, bounding: bounding, host: host)
            } catch let error as SandboxError {
                throw error.within("seccomp profile \(source)")
            }
        }
        guard let supervisor else {
            switch spec.seccomp {
            case .unconfined:
                return nil
            case .filter(let filter):
                return try SeccompCompiler.compile(filter)
            case .dockerProfile(let text, let source):
                return try SeccompCache(base: base).program(profile: text, source: source, bounding: bounding, host: host) { profile in
                    try SeccompCompiler.compile(resolve(profile, source: source))
                }
            }
        }
        let resolved: SeccompFilter? = switch spec.seccomp {
        case .unconfined: nil
        case .filter(let filter): filter
        case .dockerProfile(let text, let source): try resolve(SeccompProfileFile.parse(text, source: source), source: source)
        }
        return try SeccompCompiler.compile(supervisor.filter(for: resolved, host: host).lettingThroughSendmsg(on: channel.child), listener: true)
    }

    /// Root's containers each get a cgroup, as Docker's, which keeps them from the host's devices; another
    /// caller's only when a limit asks for one (and then needs a delegated cgroup).
    public static func getsCgroup(caller: Caller, resources: ResourceLimits) -> Bool {
        caller.isRoot || !resources.isEmpty
    }

    /// The cgroup, if the container gets one: for a caller other than root without device rules, since loading
    /// a device program needs root, and its user namespace already keeps it from the host's devices.
    /// Cgroups of killed runs are collected first: only when the state directory found one, so that a start
    /// does not list every hierarchy for nothing.
    private func makeCgroup(state: StateDirectory, base: String) throws -> ContainerCgroup? {
        guard Self.getsCgroup(caller: caller, resources: spec.resources) else { return nil }
        let hierarchy = try CgroupHierarchy.host()
        if !state.abandoned.isEmpty {
            ContainerCgroup.removeAbandoned(hierarchy: hierarchy) { HostFile.exists(base + "/" + $0) }
        }
        return try ContainerCgroup.create(name: name, limits: spec.resources, devices: caller.isRoot ? spec.devices : nil,
                                          hierarchy: hierarchy)
    }
}
