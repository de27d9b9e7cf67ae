import Glibc

/// `seccomp trace`: every syscall is sent to sandbox, let run, and recorded, to write the smallest profile
/// under which the program runs again.
public final class SeccompTraceSupervisor: SeccompSupervisor {
    private var seen: Set<String> = []
    private var architectures: [String] = []

    public init() {}

    public func filter(for resolved: SeccompFilter?, host: SeccompFilter.Host) -> SeccompFilter {
        architectures = ["SCMP_ARCH_" + host.architecture.uppercased()]
        return .notifyingEverything(architectures: [])
    }

    public func decide(syscall: String, arguments: [UInt64], pid: pid_t) -> (run: Bool, error: Int32) {
        seen.insert(syscall)
        return (true, 0)
    }

    /// The syscalls seen, sorted.
    public var syscalls: [String] { seen.sorted() }

    /// A Docker-format allow-list: what was seen is allowed, anything else fails with EPERM.
    public var profileJSON: String {
        let names = syscalls.map { "\t\t\t\t\"\($0)\"" }.joined(separator: ",\n")
        return """
            {
            \t"defaultAction": "SCMP_ACT_ERRNO",
            \t"defaultErrnoRet": 1,
            \t"architectures": [\(architectures.map { "\"\($0)\"" }.joined(separator: ", "))],
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
