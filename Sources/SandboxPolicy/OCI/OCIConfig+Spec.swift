import SandboxOCI

/// The reverse mapping: a container as the config.json that describes it (`sandbox spec`, and `sandbox run`'s
/// container shown as a bundle would hold it), such that reading the config back gives the same container.
///
/// What the forward mapping makes by itself is left out: /dev's default nodes and links and /dev/console,
/// which follow from `mounts` and `process.terminal`; runc's default device rules are written, as they are
/// part of the container's policy. A few things a `sandbox run` container has no OCI field for are lost:
/// `--init` (an engine puts its init in `process.args`), the overlay over an image (`root.path` is the
/// image, bound as it is), an optional mount point, and whether a root propagation was recursive.
extension OCI.Config {
    /// - Throws: for a Docker-format seccomp profile not yet resolved (resolve it against the container's
    ///   bounding set into a `.filter` first), and for a filter with a decision OCI cannot state.
    public init(spec: ContainerSpec) throws {
        self.init()
        process = Self.process(spec.process)
        root = OCI.Root(path: spec.root.path, readonly: spec.root.readOnly ? true : nil)
        hostname = spec.hostname
        domainname = spec.domainname
        mounts = spec.mounts.compactMap(Self.mount)
        let hooks = Self.hooks(spec.hooks)
        self.hooks = hooks == OCI.Hooks() ? nil : hooks
        annotations = spec.annotations.isEmpty ? nil : spec.annotations
        linux = try Self.linux(spec)
    }

    private static func process(_ process: ContainerProcess) -> OCI.Process {
        var result = OCI.Process(cwd: process.cwd, args: process.args)
        result.terminal = process.terminal ? true : nil
        result.consoleSize = process.consoleSize.map { OCI.ConsoleSize(height: UInt64($0.height), width: UInt64($0.width)) }
        var user = OCI.User(uid: process.user.uid, gid: process.user.gid)
        user.umask = process.umask
        user.additionalGids = process.user.supplementaryGroups.isEmpty ? nil : process.user.supplementaryGroups
        result.user = user
        result.env = process.environment
        let sets = process.capabilities
        func names(_ mask: CapabilityMask) -> [String]? { mask.rawValue == 0 ? nil : mask.capabilities.map(\.description) }
        result.capabilities = OCI.Capabilities(bounding: names(sets.bounding), effective: names(sets.effective),
                                               inheritable: names(sets.inheritable), permitted: names(sets.permitted),
                                               ambient: names(sets.ambient))
        result.rlimits = process.rlimits.isEmpty ? nil : process.rlimits.map { limit in
            OCI.RLimit(type: ResourceLimit.resources.first { $0.value == limit.resource }!.key, hard: limit.hard, soft: limit.soft)
        }
        result.noNewPrivileges = process.noNewPrivileges ? true : nil
        result.oomScoreAdj = process.oomScoreAdj
        return result
    }

    /// An entry as an OCI mount; nil for what is not one, or what the forward mapping makes itself.
    private static func mount(_ entry: MountEntry) -> OCI.Mount? {
        var options = MountOptions.words(for: entry.attributes)
        if let propagation = entry.propagation { options.append(propagation.rawValue) }
        switch entry.kind {
        case .filesystem(let type, let data, let source):
            return OCI.Mount(destination: entry.target, type: type, source: source ?? type,
                             options: options + (data.map { $0.split(separator: ",").map(String.init) } ?? []))
        case .bind(let source, let idmapped, let recursive):
            if source == entry.target && DevicePolicy.defaultNodes.contains(where: { $0.path == source }) { return nil }
            return OCI.Mount(destination: entry.target, type: "bind", source: source,
                             options: [recursive ? "rbind" : "bind"] + options + (idmapped ? ["idmap"] : []))
        case .cgroup:
            return OCI.Mount(destination: entry.target, type: "cgroup", source: "cgroup", options: options)
        case .console, .device, .mask, .readOnly, .symlink:
            return nil
        }
    }

    private static func hooks(_ hooks: Hooks) -> OCI.Hooks {
        func list(_ hooks: [Hook]) -> [OCI.Hook]? {
            hooks.isEmpty ? nil : hooks.map { OCI.Hook(path: $0.path, args: $0.args, env: $0.environment.isEmpty ? nil : $0.environment,
                                                      timeout: $0.timeout) }
        }
        var result = OCI.Hooks()
        result.prestart = list(hooks.prestart)
        result.createRuntime = list(hooks.createRuntime)
        result.createContainer = list(hooks.createContainer)
        result.startContainer = list(hooks.startContainer)
        result.poststart = list(hooks.poststart)
        result.poststop = list(hooks.poststop)
        return result
    }

    private static func linux(_ spec: ContainerSpec) throws -> OCI.Linux {
        var linux = OCI.Linux()
        if let plan = spec.userNamespace {
            linux.uidMappings = plan.uidMap.mappings
            linux.gidMappings = plan.gidMap.mappings
        }
        linux.sysctl = spec.sysctls.isEmpty ? nil : spec.sysctls
        linux.resources = resources(spec.resources, devices: spec.devices)
        linux.cgroupsPath = spec.cgroupPath
        // runc's spec's order.
        let order: [(Namespace, OCI.Namespace.Kind)] = [(.pid, .pid), (.network, .network), (.ipc, .ipc), (.uts, .uts), (.mount, .mount),
                                                        (.cgroup, .cgroup), (.user, .user), (.time, .time)]
        linux.namespaces = order.compactMap { namespace, kind in
            switch spec.namespaces[namespace] ?? .host {
            case .host: nil
            case .new: OCI.Namespace(kind)
            case .join(let path): OCI.Namespace(kind, path: path)
            }
        }
        let devices: [OCI.Device] = spec.mounts.compactMap { entry in
            guard case .device(let node, let major, let minor, let mode, let uid, let gid) = entry.kind,
                  !DevicePolicy.defaultNodes.contains(where: { $0.path == entry.target }) else { return nil }
            var device = node == .fifo ? OCI.Device(path: entry.target, type: "p")
                : OCI.Device(path: entry.target, type: String(node.rawValue), major: Int64(major), minor: Int64(minor))
            device.fileMode = mode
            device.uid = uid
            device.gid = gid
            return device
        }
        linux.devices = devices.isEmpty ? nil : devices
        switch spec.seccomp {
        case .unconfined: break
        case .filter(let filter): linux.seccomp = try seccomp(filter)
        case .dockerProfile(_, let source):
            throw SandboxError("the seccomp profile \(source) is in Docker's format: resolve it for the container before writing its config")
        }
        linux.rootfsPropagation = spec.rootPropagation.map { OCI.RootfsPropagation(rawValue: $0.rawValue.hasPrefix("r") ? String($0.rawValue.dropFirst()) : $0.rawValue)! }
        let masked = spec.mounts.compactMap { if case .mask = $0.kind { $0.target } else { nil } }
        let readOnly = spec.mounts.compactMap { if case .readOnly = $0.kind { $0.target } else { nil } }
        linux.maskedPaths = masked.isEmpty ? nil : masked
        linux.readonlyPaths = readOnly.isEmpty ? nil : readOnly
        return linux
    }

    private static func resources(_ limits: ResourceLimits, devices: DevicePolicy) -> OCI.Resources {
        var resources = OCI.Resources()
        resources.devices = devices.allowsAll ? [OCI.Resources.DeviceRule(allow: true, access: "rwm")]
            : [OCI.Resources.DeviceRule(allow: false, access: "rwm")] + devices.allowed.map { rule in
                OCI.Resources.DeviceRule(allow: true, type: String(rule.kind.rawValue), major: rule.major.map(Int64.init),
                                         minor: rule.minor.map(Int64.init), access: rule.access.description)
            }
        var memory = OCI.Resources.Memory()
        memory.limit = limits.memory
        memory.reservation = limits.memoryReservation
        // Unlimited swap with unlimited memory is what reading the config back gives anyway.
        if let swap = limits.memorySwap, limits.memorySwapGiven || limits.memory != -1 { memory.swap = swap }
        memory.swappiness = limits.memorySwappiness
        memory.disableOOMKiller = limits.disableOOMKiller ? true : nil
        resources.memory = memory == OCI.Resources.Memory() ? nil : memory
        var cpu = OCI.Resources.CPU()
        cpu.shares = limits.cpuShares.map(UInt64.init)
        cpu.quota = limits.cpuQuota
        cpu.period = limits.cpuPeriod.map(UInt64.init)
        cpu.burst = limits.cpuBurst
        cpu.cpus = limits.cpusetCpus?.description
        cpu.mems = limits.cpusetMems?.description
        cpu.idle = limits.cpuIdle
        resources.cpu = cpu == OCI.Resources.CPU() ? nil : cpu
        resources.pids = limits.pidsLimit.map(OCI.Resources.Pids.init)
        var blockIO = OCI.Resources.BlockIO()
        blockIO.weight = limits.blockIOWeight
        blockIO.weightDevice = limits.blockIODeviceWeights.isEmpty ? nil : limits.blockIODeviceWeights.map {
            OCI.Resources.BlockIO.WeightDevice(major: Int64($0.major), minor: Int64($0.minor), weight: $0.weight)
        }
        func throttles(_ kind: ResourceLimits.DeviceThrottle.Kind) -> [OCI.Resources.BlockIO.ThrottleDevice]? {
            let list = limits.blockIOThrottles.filter { $0.kind == kind }
            return list.isEmpty ? nil : list.map { .init(major: Int64($0.major), minor: Int64($0.minor), rate: $0.rate) }
        }
        blockIO.throttleReadBpsDevice = throttles(.readBytes)
        blockIO.throttleWriteBpsDevice = throttles(.writeBytes)
        blockIO.throttleReadIOPSDevice = throttles(.readOperations)
        blockIO.throttleWriteIOPSDevice = throttles(.writeOperations)
        resources.blockIO = blockIO == OCI.Resources.BlockIO() ? nil : blockIO
        resources.hugepageLimits = limits.hugepageLimits.isEmpty ? nil : limits.hugepageLimits
        if limits.networkClassID != nil || !limits.networkPriorities.isEmpty {
            var network = OCI.Resources.Network()
            network.classID = limits.networkClassID
            network.priorities = limits.networkPriorities.isEmpty ? nil : limits.networkPriorities
            resources.network = network
        }
        resources.rdma = limits.rdma.isEmpty ? nil : Dictionary(uniqueKeysWithValues: limits.rdma.map {
            ($0.device, OCI.Resources.RDMA(hcaHandles: $0.handles, hcaObjects: $0.objects))
        })
        resources.unified = limits.unified.isEmpty ? nil : limits.unified
        return resources
    }

    /// A resolved filter in the OCI format: one rule a decision and set of conditions, its syscalls together.
    private static func seccomp(_ filter: SeccompFilter) throws -> OCI.Seccomp {
        let (defaultAction, defaultErrno) = try action(filter.defaultDecision)
        var seccomp = OCI.Seccomp(defaultAction: defaultAction)
        seccomp.defaultErrnoRet = defaultErrno
        seccomp.architectures = try filter.architectures.map { name in
            guard let architecture = OCI.Seccomp.Architecture(rawValue: "SCMP_ARCH_" + name.uppercased()) else {
                throw SandboxError("seccomp architecture \(name) has no OCI name")
            }
            return architecture
        }
        seccomp.flags = try filter.flags.map { name in
            guard let flag = OCI.Seccomp.Flag(rawValue: name) else { throw SandboxError("seccomp flag \(name) has no OCI name") }
            return flag
        }
        var syscalls: [OCI.Seccomp.Syscall] = []
        for rule in filter.rules {
            let (action, errno) = try action(rule.decision)
            let arguments = rule.conditions.map { condition in
                OCI.Seccomp.Argument(index: condition.index, value: condition.value, valueTwo: condition.valueTwo == 0 ? nil : condition.valueTwo,
                                     op: OCI.Seccomp.Operator(rawValue: condition.op.rawValue)!)
            }
            if let last = syscalls.last, last.action == action, last.errnoRet == errno, (last.args ?? []) == arguments {
                syscalls[syscalls.count - 1].names.append(rule.syscall)
            } else {
                syscalls.append(OCI.Seccomp.Syscall(names: [rule.syscall], action: action, errnoRet: errno,
                                                    args: arguments.isEmpty ? nil : arguments))
            }
        }
        seccomp.syscalls = syscalls.isEmpty ? nil : syscalls
        return seccomp
    }

    private static func action(_ decision: SeccompFilter.Decision) throws -> (OCI.Seccomp.Action, UInt32?) {
        switch decision {
        case .allow: (.allow, nil)
        case .errno(let errno): (.errno, errno)
        case .killThread: (.killThread, nil)
        case .killProcess: (.killProcess, nil)
        case .trap: (.trap, nil)
        case .trace(let errno): (.trace, errno)
        case .log: (.log, nil)
        case .notify: throw SandboxError("a seccomp filter that notifies needs a listener, which a config.json cannot name")
        }
    }
}
