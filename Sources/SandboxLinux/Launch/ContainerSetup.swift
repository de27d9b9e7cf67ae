import CSandbox
import Glibc
import SandboxJSON
import SandboxOCI
import SandboxPolicy

/// What a container's process needs on the host before it is cloned, in the container's state directory: its
/// record, its compiled seccomp program, its cgroup, the socket it will wait on to be started (unless its
/// creator starts it itself), its launch plan, and the channel its reports come back on. `launch` clones it
/// (`ContainerSetup+Launch`); `discard()` takes the cgroup away again, once the process is gone. A monitor that
/// starts the container again makes another setup in the same directory.
final class ContainerSetup {
    let spec: ContainerSpec
    let directory: StateDirectory
    let channel: ReportChannel
    let seccomp: SeccompProgram?
    let cgroup: ContainerCgroup?
    let plan: LaunchPlan
    /// The directory the child builds the container's filesystem over (`plan.staging`), open: the child enters
    /// it by this fd.
    let staging: Int32
    /// -1 when the creator starts the child itself (`CreatedChild.start()`).
    let startSocket: Int32
    /// Reads what the child says on `channel`; answers a supervisor's notifications, or passes the seccomp
    /// listener on to the spec's agent, meanwhile.
    var reports: ChildReports
    private(set) var record: ContainerRecord

    /// - Parameters:
    ///   - directory: made by `StateDirectory.create`; its removal is the caller's.
    ///   - supervisor: loads its notifying filter in place of the spec's, and answers it.
    ///   - hierarchy: the host's cgroup hierarchies, if the caller read them already.
    ///   - listens: whether the child will wait for `start` on a socket; else its creator starts it.
    init(spec: ContainerSpec, record: ContainerRecord, directory: StateDirectory, base: String, caller: Caller,
         supervisor: SeccompSupervisor?, hierarchy: CgroupHierarchy? = nil, listens: Bool = true) throws {
        self.spec = spec
        self.directory = directory
        channel = try ReportChannel()
        reports = ChildReports(supervisor: supervisor)
        reports.agent = spec.seccompAgent.map {
            SeccompAgentDelivery(agent: $0, state: OCI.State(id: record.id, status: .creating, bundle: record.bundle,
                                                             annotations: spec.annotations.isEmpty ? nil : spec.annotations))
        }
        let (program, entry) = try Self.seccompProgram(spec, supervisor: supervisor, channel: channel, base: base)
        seccomp = program
        Trace.mark("seccomp (cache)")
        var made: ContainerCgroup?
        do {
            // Without device rules for another caller than root: loading a device program needs root, and its
            // user namespace already keeps it from the host's devices.
            if Container.getsCgroup(caller: caller, resources: spec.resources) {
                let hierarchy = try hierarchy ?? CgroupHierarchy.host()
                let path = Self.cgroupPath(spec, name: record.name)
                // Recorded before they exist: a sandbox killed while making them leaves them to be collected.
                let named = ContainerCgroup.directories(path: path, hierarchy: hierarchy)
                if named != record.cgroups { try directory.update { $0.cgroups = named } }
                made = try ContainerCgroup.create(
                    path: path, limits: spec.resources, devices: caller.isRoot ? spec.devices : nil, hierarchy: hierarchy)
                Trace.mark("cgroup create")
            }
            if let writable = spec.root.writableLayer { try directory.link(writableLayer: writable) }
            plan = LaunchPlan(spec: spec, layout: try Self.layout(spec, directory: directory))
            staging = openat(directory.fd, spec.namespaces[.mount] == .host ? StateDirectory.hostMounts : ".",
                             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard staging >= 0 else { throw SandboxError("open \(plan.staging)", errno: errno) }
            startSocket = listens ? sbx_start_listen(directory.fd, StateDirectory.startSocket) : -1
            guard startSocket >= 0 || !listens else {
                throw SandboxError("listen on \(directory.path)/\(StateDirectory.startSocket)", errno: -startSocket)
            }
        } catch {
            try? made?.remove()
            throw error
        }
        cgroup = made
        self.record = record
        self.record.cgroups = cgroup?.directories.map(\.path) ?? []
        self.record.process = spec.process
        self.record.settings = ContainerSettings(spec: spec)
        if let seccomp, !seccomp.listener {
            do {
                try SeccompCache.keep(seccomp, entry: entry, at: directory.path + "/" + StateDirectory.seccompFile)
            } catch {
                discard()
                throw error
            }
        }
        Trace.mark("start socket, seccomp.bpf")
    }

    deinit {
        close(staging)
        if startSocket >= 0 { close(startSocket) }
    }

    /// Where the child builds the container's filesystem: over the state directory, in its own mount namespace.
    /// A container without one (runc's reading of a config that lists none) builds it on the host, so on a
    /// directory of its own: covering the state directory would hide the record and the start socket from the
    /// commands that follow. Its removal with the state directory detaches what was mounted there.
    private static func layout(_ spec: ContainerSpec, directory: StateDirectory) throws -> StateLayout {
        guard spec.namespaces[.mount] == .host else { return directory.layout }
        guard mkdirat(directory.fd, StateDirectory.hostMounts, 0o700) == 0 else {
            throw SandboxError("create \(directory.path)/\(StateDirectory.hostMounts)", errno: errno)
        }
        return StateLayout(path: directory.path + "/" + StateDirectory.hostMounts)
    }

    /// The container's cgroup beneath each hierarchy's root.
    static func cgroupPath(_ spec: ContainerSpec, name: String) -> String {
        spec.cgroupPath ?? ContainerCgroup.defaultPath(name: name)
    }

    /// Records what the container became, in the record as it is now: a detached container's is also changed
    /// by the commands that stop it.
    func update(_ change: (inout ContainerRecord) throws -> Void) throws {
        let made = record
        record = try directory.update { latest in
            Self.keep(made, in: &latest)
            try change(&latest)
        }
    }

    /// A change to the record encoded ahead of the moment it becomes true (`prepare`), and recorded then
    /// (`record`): the encoding is most of a write's time.
    struct PreparedChange {
        let change: (inout ContainerRecord) -> Void
        let record: ContainerRecord
        let text: String
    }

    func prepare(_ change: @escaping (inout ContainerRecord) -> Void) throws -> PreparedChange {
        var next = record
        change(&next)
        return PreparedChange(change: change, record: next, text: try JSON.encode(next))
    }

    /// Records what `prepare` encoded, as `update` would.
    func record(_ prepared: PreparedChange) throws {
        let made = record
        record = try directory.update(prepared: (prepared.record, prepared.text)) { latest in
            Self.keep(made, in: &latest)
            prepared.change(&latest)
        }
    }

    /// What the setup made stands over the latest record: its cgroups, its process, and its limits unless an
    /// `update` has changed them since.
    private static func keep(_ made: ContainerRecord, in latest: inout ContainerRecord) {
        latest.cgroups = made.cgroups
        latest.process = made.process
        latest.settings = latest.settings ?? made.settings
    }

    /// Removes its cgroup.
    func discard() {
        try? cgroup?.remove()
    }

    /// The spec's program, from the cache (with the entry that holds it); or, under a supervisor, its
    /// notifying filter, never cached.
    private static func seccompProgram(_ spec: ContainerSpec, supervisor: SeccompSupervisor?, channel: ReportChannel,
                                       base: String) throws -> (program: SeccompProgram?, entry: String?) {
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
                return (nil, nil)
            case .filter(let filter) where spec.seccompAgent != nil && filter.notifies:
                // The agent gets the listener: the child sends it on the report channel, through its own filter.
                return (try SeccompCompiler.compile(filter.lettingThroughSendmsg(on: channel.child), listener: true), nil)
            case .filter(let filter):
                return (try SeccompCompiler.compile(filter), nil)
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
        return (try SeccompCompiler.compile(supervisor.filter(for: resolved, host: host).lettingThroughSendmsg(on: channel.child), listener: true), nil)
    }
}
