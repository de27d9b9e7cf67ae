import CSandbox
import Glibc
import SandboxPolicy

/// A resolved filter compiled to the BPF program the child loads.
public struct SeccompProgram: Equatable, Sendable {
    /// struct sock_filter instructions, 8 bytes each.
    public var instructions: [UInt64]
    public var flags: UInt32
    /// The child sends the notification fd to sandbox (`seccomp test` and `trace`).
    public var listener: Bool
}

/// libseccomp, through the C target, in the parent: it allocates, so it never runs in the child.
public enum SeccompCompiler {
    /// What this machine's libseccomp and kernel contribute to resolving a profile.
    public static func host() -> SeccompFilter.Host {
        let parts = HostFile.kernel().release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        return SeccompFilter.Host(
            architecture: String(cString: sbx_seccomp_native_architecture()),
            kernel: (parts.first ?? 0, parts.count > 1 ? parts[1] : 0),
            knows: { sbx_seccomp_knows($0) != 0 })
    }

    /// libseccomp's version, as `--version` prints it.
    public static var libseccompVersion: String {
        var major: UInt32 = 0, minor: UInt32 = 0, micro: UInt32 = 0
        sbx_seccomp_version(&major, &minor, &micro)
        return "\(major).\(minor).\(micro)"
    }

    public static func compile(_ filter: SeccompFilter, listener: Bool = false) throws -> SeccompProgram {
        var flags: UInt32 = 0
        for name in filter.flags {
            var flag: UInt32 = 0
            guard sbx_seccomp_flag(name, &flag) == 0 else { throw SandboxError("seccomp profile: unknown flag \"\(name)\"") }
            flags |= flag
        }
        var strings: [UnsafeMutablePointer<CChar>] = []
        defer { strings.forEach { free($0) } }
        func string(_ text: String) -> UnsafePointer<CChar> {
            strings.append(strdup(text)!)
            return UnsafePointer(strings.last!)
        }
        let conditions = filter.rules.map { $0.conditions.map(cCondition) }
        // libseccomp adds the native architecture itself.
        let architectures = filter.architectures.dropFirst().map { Optional(string($0)) }
        var program: UnsafeMutableRawPointer?
        var length = 0
        var error = [CChar](repeating: 0, count: 256)
        let result = conditions.withUnsafeBufferPointers { conditionPointers in
            let rules = zip(filter.rules, conditionPointers).map { rule, pointer in
                sbx_seccomp_rule(syscall: string(rule.syscall), action: cAction(rule.decision),
                                 conditions: pointer.baseAddress, condition_count: pointer.count)
            }
            return rules.withUnsafeBufferPointer { rules in
                architectures.withUnsafeBufferPointer { architectures in
                    var cFilter = sbx_seccomp_filter(
                        default_action: cAction(filter.defaultDecision), bad_architecture_action: cAction(SeccompFilter.badArchitecture),
                        architectures: architectures.baseAddress,
                        architecture_count: architectures.count, rules: rules.baseAddress, rule_count: rules.count)
                    return sbx_seccomp_compile(&cFilter, &program, &length, &error, error.count)
                }
            }
        }
        guard result == 0, let program else {
            throw SandboxError("compile the seccomp filter: " + String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        defer { free(program) }
        let instructions = Array(UnsafeBufferPointer(start: program.assumingMemoryBound(to: UInt64.self), count: length))
        return SeccompProgram(instructions: instructions, flags: flags, listener: listener)
    }

    /// A notified syscall, from seccomp_data's `arch` (an AUDIT_ARCH_* value) and `nr`, named as libseccomp
    /// names it on that architecture (x32 told apart from x86_64 by its numbers, as libseccomp's filter does).
    public static func syscall(arch: UInt32, number: Int32, arguments: [UInt64]) -> SeccompFilter.Syscall {
        var architecture: UnsafePointer<CChar>?
        let name = sbx_seccomp_syscall_name(arch, number, &architecture)
        defer { free(name) }
        return SeccompFilter.Syscall(architecture: architecture.map { String(cString: $0) }, name: name.map { String(cString: $0) },
                                     number: number, arguments: arguments)
    }

    private static func cAction(_ decision: SeccompFilter.Decision) -> sbx_seccomp_action {
        switch decision {
        case .allow: sbx_seccomp_action(kind: SBX_SECCOMP_ALLOW, data: 0)
        case .errno(let code): sbx_seccomp_action(kind: SBX_SECCOMP_ERRNO, data: code)
        case .killThread: sbx_seccomp_action(kind: SBX_SECCOMP_KILL_THREAD, data: 0)
        case .killProcess: sbx_seccomp_action(kind: SBX_SECCOMP_KILL_PROCESS, data: 0)
        case .trap: sbx_seccomp_action(kind: SBX_SECCOMP_TRAP, data: 0)
        case .trace(let code): sbx_seccomp_action(kind: SBX_SECCOMP_TRACE, data: code)
        case .log: sbx_seccomp_action(kind: SBX_SECCOMP_LOG, data: 0)
        case .notify: sbx_seccomp_action(kind: SBX_SECCOMP_NOTIFY, data: 0)
        }
    }

    private static func cCondition(_ condition: SeccompFilter.Condition) -> sbx_seccomp_condition {
        let ops: [SeccompProfile.Operator: sbx_seccomp_op] = [
            .notEqual: SBX_CMP_NE, .less: SBX_CMP_LT, .lessOrEqual: SBX_CMP_LE, .equal: SBX_CMP_EQ,
            .greaterOrEqual: SBX_CMP_GE, .greater: SBX_CMP_GT, .maskedEqual: SBX_CMP_MASKED_EQ,
        ]
        return sbx_seccomp_condition(index: condition.index, op: ops[condition.op]!, value: condition.value, value_two: condition.valueTwo)
    }
}

private extension Array where Element == [sbx_seccomp_condition] {
    /// Stable pointers to every inner array at once, for the C structs that point into them.
    func withUnsafeBufferPointers<R>(_ body: ([UnsafeBufferPointer<sbx_seccomp_condition>]) -> R) -> R {
        let storage = map { conditions -> UnsafeMutableBufferPointer<sbx_seccomp_condition> in
            let buffer = UnsafeMutableBufferPointer<sbx_seccomp_condition>.allocate(capacity: Swift.max(conditions.count, 1))
            _ = buffer.initialize(from: conditions)
            return buffer
        }
        defer { storage.forEach { $0.deallocate() } }
        return body(zip(storage, self).map { UnsafeBufferPointer(start: $0.baseAddress, count: $1.count) })
    }
}
