import Glibc

/// `seccomp test`: the profile's denials become notifications, answered with the profile's own result, and
/// counted: the program behaves as under the profile, and each denial is seen.
public final class SeccompTestSupervisor: SeccompSupervisor {
    public struct Denial: Equatable, Codable, Sendable {
        public var syscall: String
        public var count: Int
        /// SCMP_ACT_ERRNO, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS or SCMP_ACT_TRAP.
        public var action: String
        public var errno: Int32?
    }

    private var resolved: SeccompFilter?
    private var counts: [String: (decision: SeccompFilter.Decision, count: Int)] = [:]
    private var order: [String] = []

    public init() {}

    public func filter(for resolved: SeccompFilter?, host: SeccompFilter.Host) -> SeccompFilter {
        self.resolved = resolved
        return resolved?.notifyingDenials() ?? .notifyingEverything(architectures: [])
    }

    public func decide(syscall: String, arguments: [UInt64], pid: pid_t) -> (run: Bool, error: Int32) {
        guard let decision = resolved?.decide(syscall, arguments: arguments), decision.denies else { return (true, 0) }
        if counts[syscall] == nil { order.append(syscall) }
        counts[syscall, default: (decision, 0)].count += 1
        switch decision {
        case .errno(let code):
            return (false, Int32(code))
        case .killThread, .killProcess:
            kill(pid, SIGKILL)
            return (false, EPERM)
        case .trap:
            kill(pid, SIGSYS)
            return (false, ENOSYS)
        case .allow, .trace, .log, .notify:
            return (true, 0)
        }
    }

    /// The denials in the order first seen.
    public var denials: [Denial] {
        order.map { name in
            let (decision, count) = counts[name]!
            switch decision {
            case .errno(let code): return Denial(syscall: name, count: count, action: "SCMP_ACT_ERRNO", errno: Int32(code))
            case .killThread: return Denial(syscall: name, count: count, action: "SCMP_ACT_KILL_THREAD", errno: nil)
            case .killProcess: return Denial(syscall: name, count: count, action: "SCMP_ACT_KILL_PROCESS", errno: nil)
            default: return Denial(syscall: name, count: count, action: "SCMP_ACT_TRAP", errno: nil)
            }
        }
    }
}
