import SandboxLinux
import SandboxPolicy

extension FuzzTarget {
    /// A profile file, decoded, summarized as `seccomp check` does, and resolved as `run` resolves it: on
    /// x86_64 and aarch64 (their archMap entries and arches conditions), with Docker's default capabilities
    /// and with all; then the first rules' syscalls are decided with their own condition values as arguments
    /// (each decision reads every rule: all of them would make an input of 4096 rules take seconds).
    static let seccompProfile = FuzzTarget(name: "seccomp-profile") { bytes in
        let profile = try SeccompProfileFile.parse(FuzzInput.text(bytes), source: "fuzz")
        for architecture in ["x86_64", "aarch64"] {
            let host = SeccompFilter.Host(architecture: architecture, kernel: (6, 1),
                                          knows: SeccompFuzzing.native.knows)
            _ = SeccompSummary(profile: profile, host: host)
            for bounding in try SeccompFuzzing.boundings {
                let filter = try SeccompFilter(profile: profile, bounding: bounding, host: host)
                for rule in filter.rules.prefix(64) {
                    var arguments = [UInt64](repeating: 0, count: 6)
                    for condition in rule.conditions { arguments[Int(condition.index)] = condition.value }
                    _ = filter.decide(rule.syscall, arguments: arguments)
                }
                _ = filter.decide("read", arguments: [])
                _ = filter.notifyingDenials().lettingThroughSendmsg(on: 3)
            }
        }
    }
}

enum SeccompFuzzing {
    /// This machine's libseccomp, which says which names exist.
    static let native = SeccompCompiler.host()

    /// Docker's default bounding set, and every capability.
    static var boundings: [CapabilityMask] {
        get throws {
            [try CapabilityPolicy().resolve(lastCapability: 40, available: .all(through: 40), rootUser: true).bounding, .all(through: 40)]
        }
    }
}
