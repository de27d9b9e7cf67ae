import SandboxOCI

/// `linux.seccomp`, which the engine already resolved: a filter with no conditions on capabilities or
/// kernels, read by the same rules as Docker's format, and refused the same way when it would block a
/// syscall libseccomp cannot name.
extension SeccompFilter {
    init(oci seccomp: OCI.Seccomp, host: Host) throws {
        let field = "linux.seccomp"
        var rules: [SeccompProfile.Rule] = []
        for (index, rule) in (seccomp.syscalls ?? []).enumerated() {
            let ruleField = "\(field).syscalls[\(index)]"
            guard !rule.names.isEmpty else { throw OCIMapping.error(ruleField + ".names", "needs at least one syscall") }
            guard rule.action != .notify else {
                throw OCIMapping.error(ruleField + ".action", "SCMP_ACT_NOTIFY needs a listener (listenerPath), which is not supported")
            }
            var arguments: [SeccompProfile.Argument] = []
            for (position, argument) in (rule.args ?? []).enumerated() {
                guard argument.index <= 5 else {
                    throw OCIMapping.error("\(ruleField).args[\(position)].index", "\(argument.index) is past 5, the last argument")
                }
                arguments.append(SeccompProfile.Argument(index: argument.index, value: argument.value, valueTwo: argument.valueTwo ?? 0,
                                                         op: SeccompProfile.Operator(rawValue: argument.op.rawValue)!))
            }
            rules.append(SeccompProfile.Rule(names: rule.names, action: SeccompProfile.Action(rawValue: rule.action.rawValue)!,
                                             errnoRet: rule.errnoRet, args: arguments))
        }
        guard seccomp.defaultAction != .notify else {
            throw OCIMapping.error(field + ".defaultAction", "SCMP_ACT_NOTIFY needs a listener (listenerPath), which is not supported")
        }
        var profile = SeccompProfile(defaultAction: SeccompProfile.Action(rawValue: seccomp.defaultAction.rawValue)!,
                                     defaultErrnoRet: seccomp.defaultErrnoRet, syscalls: rules)
        profile.architectures = (seccomp.architectures ?? []).map(\.rawValue)
        profile.flags = (seccomp.flags ?? []).map(\.rawValue)
        do {
            // No rule names capabilities, so the bounding set does not matter.
            try self.init(profile: profile, bounding: CapabilityMask(rawValue: 0), host: host)
        } catch let failure as SandboxError {
            throw OCIMapping.error(field, failure.message).renamingRule()
        }
    }
}

private extension SandboxError {
    /// `config.json: linux.seccomp: syscalls[3]: ...` reads `config.json: linux.seccomp.syscalls[3]: ...`.
    func renamingRule() -> SandboxError {
        var error = self
        error.message = message.replacing(": syscalls[", with: ".syscalls[")
        return error
    }
}
