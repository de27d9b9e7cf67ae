import SandboxOCI

/// `exec --process process.json`: the process an engine describes, taken as runc takes it, whole. Its fields
/// are honoured or refused with one line naming the field; names are the engine's to resolve, so the user is
/// ids only.
extension ExecSpec {
    static let document = "process.json"

    static func process(oci: OCI.Process, tty: Bool, context: Context) throws -> ContainerProcess {
        func refuse(_ field: String, _ reason: String) -> SandboxError {
            SandboxError("\(document): \(field): \(reason)")
        }
        guard let args = oci.args, !args.isEmpty else { throw refuse("args", "needs at least the program") }
        guard oci.cwd.hasPrefix("/") else { throw refuse("cwd", "\"\(oci.cwd)\" is not absolute") }
        let unsupported: [(String, Bool)] = [
            ("apparmorProfile", !(oci.apparmorProfile ?? "").isEmpty), ("selinuxLabel", !(oci.selinuxLabel ?? "").isEmpty),
            
        ]
        if let (field, _) = unsupported.first(where: \.1) { throw refuse(field, "not supported") }

        let uid = oci.user?.uid ?? 0, gid = oci.user?.gid ?? 0
        var groups: [UInt32] = []
        for group in oci.user?.additionalGids ?? [] where !groups.contains(group) { groups.append(group) }
        let home = try UserSpec(user: String(uid)).resolve(passwd: context.passwd, group: nil).home
        let user = UserSpec.Resolved(uid: uid, gid: gid, supplementaryGroups: groups, home: home)
        do { try context.userNamespace?.checkMapped(user) } catch let error as SandboxError {
            throw refuse("user", error.message)
        }
        var environment = oci.env ?? []
        // As runc: HOME from the container's passwd when the engine did not set it.
        if !environment.contains(where: { $0.hasPrefix("HOME=") }) { environment.append("HOME=" + home) }

        var process = ContainerProcess(
            args: args, environment: environment, cwd: ContainerPath.clean(oci.cwd), user: user,
            capabilities: try capabilities(oci.capabilities, context: context, refuse: refuse),
            lastCapability: context.host.lastCapability, noNewPrivileges: oci.noNewPrivileges ?? false,
            terminal: tty || oci.terminal == true, initProcess: false)
        process.umask = oci.user?.umask
        process.scheduling = try ProcessScheduling.of(oci: oci, refuse: refuse)
        for (index, limit) in (oci.rlimits ?? []).enumerated() {
            guard let resource = ResourceLimit.resources[limit.type] else {
                throw refuse("rlimits[\(index)].type", "unknown resource limit \"\(limit.type)\"")
            }
            guard !process.rlimits.contains(where: { $0.resource == resource }) else {
                throw refuse("rlimits[\(index)].type", "\(limit.type) is set twice")
            }
            guard limit.soft <= limit.hard else {
                throw refuse("rlimits[\(index)]", "the soft limit \(limit.soft) is above the hard limit \(limit.hard)")
            }
            process.rlimits.append(ResourceLimit(resource: resource, soft: limit.soft, hard: limit.hard))
        }
        if let adjustment = oci.oomScoreAdj {
            guard (-1000...1000).contains(adjustment) else { throw refuse("oomScoreAdj", "\(adjustment) is outside -1000 to 1000") }
            process.oomScoreAdj = adjustment
        }
        return process
    }

    /// The five sets by name, `CAP_` and all. A capability the kernel or sandbox cannot give is refused:
    /// an engine asked for it on purpose.
    private static func capabilities(_ given: OCI.Capabilities?, context: Context,
                                     refuse: (String, String) -> SandboxError) throws -> CapabilityPolicy.Sets {
        let given = given ?? OCI.Capabilities()
        func mask(_ names: [String]?, _ set: String) throws -> CapabilityMask {
            var mask = CapabilityMask(rawValue: 0)
            for (index, name) in (names ?? []).enumerated() {
                let field = "capabilities.\(set)[\(index)]"
                guard name.hasPrefix("CAP_"), let number = Capability.names.firstIndex(of: String(name.dropFirst(4))),
                      number <= context.host.lastCapability else {
                    throw refuse(field, "unknown capability \"\(name)\"")
                }
                guard context.available.contains(Capability(number)) else {
                    throw refuse(field, "sandbox itself does not hold \(name), so it cannot give it")
                }
                mask = mask.union(CapabilityMask([Capability(number)]))
            }
            return mask
        }
        let sets = CapabilityPolicy.Sets(
            bounding: try mask(given.bounding, "bounding"), permitted: try mask(given.permitted, "permitted"),
            effective: try mask(given.effective, "effective"), inheritable: try mask(given.inheritable, "inheritable"),
            ambient: try mask(given.ambient, "ambient"))
        if let extra = sets.effective.subtracting(sets.permitted).capabilities.first {
            throw refuse("capabilities.effective", "\(extra) is not in the permitted set, as the kernel requires")
        }
        if let extra = sets.ambient.subtracting(sets.permitted.intersection(sets.inheritable)).capabilities.first {
            throw refuse("capabilities.ambient", "\(extra) is not both permitted and inheritable, as the kernel requires")
        }
        return sets
    }
}
