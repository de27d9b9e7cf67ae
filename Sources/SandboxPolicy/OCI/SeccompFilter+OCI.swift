import SandboxOCI

/// `linux.seccomp`, which the engine already resolved: a filter with no conditions on capabilities or
/// kernels, read by the same rules as Docker's format, and refused the same way when it would block a
/// syscall libseccomp cannot name.
extension SeccompFilter {
    init(oci seccomp: OCI.Seccomp, host: Host) throws {
        let field = "linux.seccomp"
        let hasListener = !(seccomp.listenerPath ?? "").isEmpty
        var rules: [SeccompProfile.Rule] = []
        for (index, rule) in (seccomp.syscalls ?? []).enumerated() {
            let ruleField = "\(field).syscalls[\(index)]"
            guard !rule.names.isEmpty else { throw OCIMapping.error(ruleField + ".names", "needs at least one syscall") }
            guard rule.action != .notify || hasListener else {
                throw OCIMapping.error(ruleField + ".action", "SCMP_ACT_NOTIFY needs a listener, and linux.seccomp.listenerPath names none")
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
        guard seccomp.defaultAction != .notify || hasListener else {
            throw OCIMapping.error(field + ".defaultAction", "SCMP_ACT_NOTIFY needs a listener, and linux.seccomp.listenerPath names none")
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

extension SeccompFilter {
    /// Whether a syscall may be sent to a listener: only then does the child make one.
    public var notifies: Bool { defaultDecision == .notify || rules.contains { $0.decision == .notify } }
}

/// `linux.seccomp.listenerPath`: the seccomp agent that answers the filter's SCMP_ACT_NOTIFY, sent the listener
/// with the container's process state once the filter is loaded.
public struct SeccompAgent: Codable, Equatable, Sendable {
    /// Its Unix socket.
    public var path: String
    /// `listenerMetadata`, passed on as it is.
    public var metadata: String?

    public init(path: String, metadata: String?) {
        self.path = path
        self.metadata = metadata
    }
}

extension OCIMapping {
    func seccompAgent() throws -> SeccompAgent? {
        let seccomp = linux.seccomp
        guard let path = seccomp?.listenerPath, !path.isEmpty else {
            if let metadata = seccomp?.listenerMetadata, !metadata.isEmpty {
                throw error("linux.seccomp.listenerMetadata", "given without linux.seccomp.listenerPath")
            }
            return nil
        }
        guard path.hasPrefix("/") else { throw error("linux.seccomp.listenerPath", "\"\(path)\" is not absolute") }
        return SeccompAgent(path: path, metadata: seccomp?.listenerMetadata.flatMap { $0.isEmpty ? nil : $0 })
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
