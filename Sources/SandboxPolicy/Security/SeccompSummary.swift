/// What `sandbox seccomp check` says of a profile: its shape, and what in it will not take effect here.
public struct SeccompSummary {
    public var lines: [String] = []

    public init(profile: SeccompProfile, host: SeccompFilter.Host) {
        let defaultErrno = profile.defaultErrnoRet ?? 1
        let defaultDecision = SeccompFilter.decision(profile.defaultAction, errno: profile.defaultErrnoRet, defaultErrno: defaultErrno)
        lines.append("default action: \(profile.defaultAction.rawValue)" + (profile.defaultAction == .errno ? " (errno \(defaultErrno))" : ""))
        let architectures = profile.archMap.map { ([$0.architecture] + $0.subArchitectures).joined(separator: "+") } + profile.architectures
        lines.append("architectures: " + (architectures.isEmpty ? "native only" : architectures.joined(separator: ", ")))
        var perAction: [String: Int] = [:]
        for rule in profile.syscalls { perAction[rule.action.rawValue, default: 0] += 1 }
        lines.append("rules: \(profile.syscalls.count) (" + perAction.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")")
        let names = Set(profile.syscalls.flatMap(\.names))
        let unknown = names.filter { !host.knows($0) }.sorted()
        lines.append("syscalls named: \(names.count); unknown to this libseccomp: \(unknown.count)" + (unknown.isEmpty ? "" : ": " + unknown.joined(separator: " ")))
        let goArchitecture = SeccompFilter.goArchitectures[host.architecture] ?? host.architecture
        for (index, rule) in profile.syscalls.enumerated() {
            let decision = SeccompFilter.decision(rule.action, errno: rule.errnoRet, defaultErrno: defaultErrno)
            var reason: String?
            if decision == defaultDecision {
                reason = "its action is the default action"
            } else if !rule.includes.arches.isEmpty && !rule.includes.arches.contains(goArchitecture) {
                reason = "only for \(rule.includes.arches.joined(separator: ", ")), not \(goArchitecture)"
            } else if rule.excludes.arches.contains(goArchitecture) {
                reason = "excluded on \(goArchitecture)"
            } else if let minimum = rule.includes.minKernel, !SeccompFilter.kernel(host.kernel, isAtLeast: minimum) {
                reason = "needs kernel \(minimum)"
            }
            if let reason {
                lines.append("never applies here: syscalls[\(index)] (\(rule.names.prefix(3).joined(separator: " "))\(rule.names.count > 3 ? " ..." : "")): \(reason)")
            }
        }
    }
}
