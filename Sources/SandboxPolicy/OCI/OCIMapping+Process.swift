import SandboxOCI

/// `process`: what runs, as whom, with which capabilities and limits.
extension OCIMapping {
    mutating func process(namespaces: [Namespace: NamespaceMode], userNamespace: UserNamespacePlan?) throws -> ContainerProcess {
        guard let process = config.process else { throw error("process", "missing") }
        guard let args = process.args, !args.isEmpty else { throw error("process.args", "needs at least the program") }
        guard process.cwd.hasPrefix("/") else { throw error("process.cwd", "\"\(process.cwd)\" is not absolute") }

        let user = try self.user(process, userNamespace: userNamespace)
        var environment = process.env ?? []
        // As runc: HOME from the container's passwd when the engine did not set it.
        if !environment.contains(where: { $0.hasPrefix("HOME=") }) { environment.append("HOME=" + user.home) }
        // A new user namespace starts with every capability; without one, no capability outside sandbox's own
        // bounding set can be given.
        let available = namespaces[.user] == .host ? host.bounding : .all(through: host.lastCapability)
        var result = ContainerProcess(
            args: args, environment: environment, cwd: ContainerPath.clean(process.cwd), user: user,
            capabilities: try capabilities(process.capabilities, available: available), lastCapability: host.lastCapability,
            noNewPrivileges: process.noNewPrivileges ?? false, terminal: process.terminal ?? false, initProcess: false)
        result.umask = process.user?.umask
        result.rlimits = try rlimits(process.rlimits ?? [])
        result.scheduling = try ProcessScheduling.of(oci: process) { error("process." + $0, $1) }
        // personality(2)'s PER_LINUX and PER_LINUX32 (include/uapi/linux/personality.h).
        result.personality = linux.personality?.domain.map { $0 == .linux32 ? 0x0008 : 0 }
        if let adjustment = process.oomScoreAdj {
            guard (-1000...1000).contains(adjustment) else {
                throw error("process.oomScoreAdj", "\(adjustment) is outside -1000 to 1000")
            }
            result.oomScoreAdj = adjustment
        }
        if let size = process.consoleSize, result.terminal {
            guard let height = UInt16(exactly: size.height), let width = UInt16(exactly: size.width) else {
                throw error("process.consoleSize", "\(size.height)x\(size.width) is larger than a terminal can be (65535)")
            }
            result.consoleSize = ConsoleSize(height: height, width: width)
        }
        try securityLabel(process.apparmorProfile, field: "process.apparmorProfile", module: "AppArmor", enabled: host.apparmor)
        try securityLabel(process.selinuxLabel, field: "process.selinuxLabel", module: "SELinux", enabled: host.selinux)
        return result
    }

    /// The ids as given (names are the engine's business); HOME from the environment, else the container's
    /// passwd, else "/".
    private func user(_ process: OCI.Process, userNamespace: UserNamespacePlan?) throws -> UserSpec.Resolved {
        let uid = process.user?.uid ?? 0, gid = process.user?.gid ?? 0
        var seen = Set<UInt32>()
        let groups = (process.user?.additionalGids ?? []).filter { seen.insert($0).inserted }
        let home = try process.env?.last { $0.hasPrefix("HOME=") }.map { String($0.dropFirst(5)) }
            ?? UserSpec(user: String(uid)).resolve(passwd: context.passwd, group: nil).home
        let user = UserSpec.Resolved(uid: uid, gid: gid, supplementaryGroups: groups, home: home)
        do { try userNamespace?.checkMapped(user) } catch let error as SandboxError {
            throw self.error("process.user", error.message)
        }
        return user
    }

    /// The five sets by name, `CAP_` and all, as runc reads them. A name that is no capability is refused; one
    /// this kernel does not have, or sandbox cannot give, is left out with a warning, as the spec asks (runc
    /// 1.1 warns about both).
    private mutating func capabilities(_ given: OCI.Capabilities?, available: CapabilityMask) throws -> CapabilityPolicy.Sets {
        let given = given ?? OCI.Capabilities()
        func mask(_ names: [String]?, _ set: String) throws -> CapabilityMask {
            var mask = CapabilityMask(rawValue: 0)
            for (index, name) in (names ?? []).enumerated() {
                let field = "process.capabilities.\(set)[\(index)]"
                guard name.hasPrefix("CAP_"), let number = Capability.names.firstIndex(of: String(name.dropFirst(4))) else {
                    var bare = name.uppercased()
                    if bare.hasPrefix("CAP_") { bare.removeFirst(4) }
                    let hint = Capability.names.contains(bare) ? " (did you mean CAP_\(bare)?)" : ""
                    throw error(field, "unknown capability \"\(name)\"" + hint)
                }
                let capability = Capability(number)
                if number > host.lastCapability {
                    warn(field, "\(name) is newer than this kernel, which has capabilities up to \(Capability(host.lastCapability)); left out")
                } else if !available.contains(capability) {
                    warn(field, "sandbox itself does not hold \(name), so it cannot give it; left out")
                } else {
                    mask = mask.union(CapabilityMask([capability]))
                }
            }
            return mask
        }
        let bounding = try mask(given.bounding, "bounding")
        let effective = try mask(given.effective, "effective")
        let inheritable = try mask(given.inheritable, "inheritable")
        let permitted = try mask(given.permitted, "permitted")
        var ambient = try mask(given.ambient, "ambient")
        if let extra = effective.subtracting(permitted).capabilities.first {
            let index = given.effective?.firstIndex(of: extra.description) ?? 0
            throw error("process.capabilities.effective[\(index)]", "\(extra) is not in the permitted set, as the kernel requires")
        }
        // The kernel raises an ambient capability only if it is permitted and inheritable; runc ignores its refusal.
        for capability in ambient.subtracting(permitted.intersection(inheritable)).capabilities {
            let index = given.ambient?.firstIndex(of: capability.description) ?? 0
            warn("process.capabilities.ambient[\(index)]", "\(capability) is not both permitted and inheritable, so the kernel cannot make it ambient; left out")
            ambient = ambient.subtracting(CapabilityMask([capability]))
        }
        return CapabilityPolicy.Sets(bounding: bounding, permitted: permitted, effective: effective, inheritable: inheritable,
                                     ambient: ambient)
    }

    private func rlimits(_ given: [OCI.RLimit]) throws -> [ResourceLimit] {
        var limits: [ResourceLimit] = []
        for (index, limit) in given.enumerated() {
            let field = "process.rlimits[\(index)]"
            guard let resource = ResourceLimit.resources[limit.type] else {
                throw error(field + ".type", "unknown resource limit \"\(limit.type)\"")
            }
            guard !limits.contains(where: { $0.resource == resource }) else {
                throw error(field + ".type", "\(limit.type) is set twice")
            }
            guard limit.soft <= limit.hard else {
                throw error(field, "the soft limit \(limit.soft) is above the hard limit \(limit.hard)")
            }
            limits.append(ResourceLimit(resource: resource, soft: limit.soft, hard: limit.hard))
        }
        return limits
    }
}
