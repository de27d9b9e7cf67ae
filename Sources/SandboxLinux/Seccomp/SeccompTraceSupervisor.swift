import Glibc
import SandboxJSON
import SandboxPolicy

/// `seccomp trace`: every syscall is sent to sandbox, let run, and recorded, to write the smallest profile
/// under which the program runs again.
///
/// It watches every architecture Docker's default profile covers here (x86_64 with x86 and x32), so that a
/// 32-bit syscall is recorded rather than killed. The profile covers the native architecture and those the
/// program used, no other: its names are allowed on each (Docker's format has no rule per architecture).
public final class SeccompTraceSupervisor: SeccompSupervisor {
    private var watched = SeccompFilter.notifyingEverything(architectures: [])
    private var seen: Set<String> = []
    private var seenArchitectures: Set<String> = []

    public init() {}

    /// - Parameter resolved: the default profile's filter, of which only the architectures count.
    public func filter(for resolved: SeccompFilter?, host: SeccompFilter.Host) -> SeccompFilter {
        watched = .notifyingEverything(architectures: resolved?.architectures ?? [host.architecture])
        return watched
    }

    public func decide(_ syscall: SeccompFilter.Syscall, pid: pid_t) -> (run: Bool, error: Int32) {
        // Only a watched architecture's syscalls are notified: anything else is answered as the filter would.
        let decision = watched.decide(syscall)
        guard decision == .notify, let architecture = syscall.architecture else { return SeccompSupervision.answer(decision, pid: pid) }
        seen.insert(syscall.displayName)
        seenArchitectures.insert(architecture)
        return (true, 0)
    }

    /// The syscalls seen, sorted.
    public var syscalls: [String] { seen.sorted() }

    /// The native architecture, then those the program used, in libseccomp's names.
    public var architectures: [String] {
        watched.architectures.enumerated().filter { $0.offset == 0 || seenArchitectures.contains($0.element) }.map(\.element)
    }

    /// A Docker-format allow-list: what was seen is allowed, anything else fails with EPERM. Laid out as
    /// Docker's own profiles are, with tabs, for a person to edit; its strings quoted by `JSONString`.
    public var profileJSON: String {
        let names = syscalls.map { "\t\t\t\t" + JSONString.quote($0) }.joined(separator: ",\n")
        return """
            {
            \t"defaultAction": "SCMP_ACT_ERRNO",
            \t"defaultErrnoRet": 1,
            \t"architectures": [\(architectures.map { JSONString.quote("SCMP_ARCH_" + $0.uppercased()) }.joined(separator: ", "))],
            \t"syscalls": [
            \t\t{
            \t\t\t"names": [
            \(names)
            \t\t\t],
            \t\t\t"action": "SCMP_ACT_ALLOW"
            \t\t}
            \t]
            }

            """
    }
}
