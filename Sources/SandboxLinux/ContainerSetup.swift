import CSandbox
import Glibc
import SandboxOCI
import SandboxPolicy

/// What a container's process needs on the host before it is cloned, in the container's state directory: its
/// record, its compiled seccomp program, its cgroup, the socket it will wait on to be started, and its launch
/// plan. `discard()` takes the cgroup away again, once the process is gone; a monitor that starts the
/// container again makes another setup in the same directory.
final class ContainerSetup {
    let spec: ContainerSpec
    let directory: StateDirectory
    let channel: ReportChannel
    let seccomp: SeccompProgram?
    let cgroup: ContainerCgroup?
    let plan: LaunchPlan
    let startSocket: Int32
    private(set) var record: ContainerRecord

    /// - Parameters:
    ///   - directory: made by `StateDirectory.create`; its removal is the caller's.
    ///   - supervisor: loads its notifying filter in place of the spec's, and answers it.
    init(spec: ContainerSpec, record: ContainerRecord, directory: StateDirectory, base: String, caller: Caller,
         supervisor: SeccompSupervisor?) throws {
        self.spec = spec
        self.directory = directory
        channel = try ReportChannel()
        seccomp = try Self.seccompProgram(spec, supervisor: supervisor, channel: channel, base: base)
        var made: ContainerCgroup?
        do {
            // Root's containers each get a cgroup, as Docker's, which keeps them from the host's devices;
            // another caller's only when a limit asks for one (and then needs a delegated cgroup), without
            // device rules: loading a device program needs root, and its user namespace already keeps it
            // from the host's devices.
            if caller.isRoot || !spec.resources.isEmpty {
                let hierarchy = try CgroupHierarchy.host()
                let path = spec.cgroupPath ?? ContainerCgroup.parentName + "/" + record.name
                // Recorded before they exist: a sandbox killed while making them leaves them to be collected.
                let named = ContainerCgroup.directories(path: path, hierarchy: hierarchy)
                try directory.update { $0.cgroups = named }
                made = try ContainerCgroup.create(
                    path: path, limits: spec.resources, devices: caller.isRoot ? spec.devices : nil, hierarchy: hierarchy)
            }
            startSocket = sbx_start_listen(directory.fd, StateDirectory.startSocket)
            guard startSocket >= 0 else {
                throw SandboxError("listen on \(directory.path)/\(StateDirectory.startSocket)", errno: -startSocket)
            }
        } catch {
            try? made?.remove()
            throw error
        }
        cgroup = made
        plan = LaunchPlan(spec: spec, layout: directory.layout)
        self.record = record
        self.record.cgroups = cgroup?.directories.map(\.path) ?? []
        self.record.process = spec.process
        self.record.settings = ContainerSettings(spec: spec)
        if let seccomp, !seccomp.listener {
            do {
                try SeccompCache.write(seccomp, to: directory.path + "/" + StateDirectory.seccompFile)
            } catch {
                discard()
                throw error
            }
        }
    }

    deinit {
        close(startSocket)
    }

    /// Records what the container became, in the record as it is now: a detached container's is also changed
    /// by the commands that stop it.
    func update(_ change: (inout ContainerRecord) throws -> Void) throws {
        let made = record
        record = try directory.update { latest in
            latest.cgroups = made.cgroups
            latest.process = made.process
            // An `update` may have changed its limits since: those stand.
            latest.settings = latest.settings ?? made.settings
            try change(&latest)
        }
    }

    /// Removes its cgroup.
    func discard() {
        try? cgroup?.remove()
    }

    /// The spec's program, from the cache; or, under a supervisor, its notifying filter, never cached.
    private static func seccompProgram(_ spec: ContainerSpec, supervisor: SeccompSupervisor?, channel: ReportChannel,
                                       base: String) throws -> SeccompProgram? {
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
            case .filter(let filter) where spec.seccompAgent != nil && filter.notifies:
                // The agent gets the listener: the child sends it on the report channel, through its own filter.
                return try SeccompCompiler.compile(filter.lettingThroughSendmsg(on: channel.child), listener: true)
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
}
