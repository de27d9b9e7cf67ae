import Glibc
import SandboxPolicy

/// `seccomp test`: the profile's denials become notifications, answered with the profile's own result, and
/// counted: the program behaves as under the profile, and each denial is seen.
public final class SeccompTestSupervisor: SeccompSupervisor {
    public struct Denial: Equatable, Codable, Sendable {
        public var syscall: String
        /// libseccomp's name of the architecture it was made on ("x86_64", "x86"); nil if libseccomp has none.
        public var architecture: String?
        public var count: Int
        /// SCMP_ACT_ERRNO, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS or SCMP_ACT_TRAP.
        public var action: String
        public var errno: Int32?

        /// Alphabetical, as `seccomp test --json` has always listed them (`JSON.encode` follows this order).
        enum CodingKeys: String, CodingKey {
            case action, architecture, count, errno, syscall
        }
    }

    private var resolved: SeccompFilter?
    /// The denials in the order first seen, one per syscall and architecture.
    public private(set) var denials: [Denial] = []

    public init() {}

    public func filter(for resolved: SeccompFilter?, host: SeccompFilter.Host) -> SeccompFilter {
        self.resolved = resolved
        return resolved?.notifyingDenials() ?? .notifyingEverything(architectures: [host.architecture])
    }

    public func decide(_ syscall: SeccompFilter.Syscall, pid: pid_t) -> (run: Bool, error: Int32) {
        guard let decision = resolved?.decide(syscall), decision.denies else { return (true, 0) }
        if let index = denials.firstIndex(where: { $0.syscall == syscall.displayName && $0.architecture == syscall.architecture }) {
            denials[index].count += 1
        } else {
            let (action, code): (String, Int32?) = switch decision {
            case .errno(let code): ("SCMP_ACT_ERRNO", Int32(code))
            case .killThread: ("SCMP_ACT_KILL_THREAD", nil)
            case .killProcess: ("SCMP_ACT_KILL_PROCESS", nil)
            default: ("SCMP_ACT_TRAP", nil)
            }
            denials.append(Denial(syscall: syscall.displayName, architecture: syscall.architecture, count: 1, action: action, errno: code))
        }
        return SeccompSupervision.answer(decision, pid: pid)
    }
}
