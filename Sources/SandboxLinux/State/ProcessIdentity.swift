import CSandbox
import Glibc
import SandboxPolicy

/// A process by its pid and the kernel's start time for it: a pid alone may be reused once the process is
/// gone, the pair never is.
public struct ProcessIdentity: Codable, Equatable, Sendable {
    public var pid: Int32
    public var startTime: UInt64

    /// The process `pid` is now; nil when there is none, or only its zombie, which waits to be reaped.
    public static func of(_ pid: Int32) -> ProcessIdentity? {
        guard pid > 0, let stat = try? HostFile.read("/proc/\(pid)/stat"),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm) ", the state is field 3; the start time is field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X", let start = UInt64(fields[19]) else { return nil }
        return ProcessIdentity(pid: pid, startTime: start)
    }

    public var isAlive: Bool { Self.of(pid) == self }

    /// A pidfd on the process, checked to be this one after it was opened: signals sent through it can reach
    /// no other. nil when the process is gone.
    public func open() -> Int32? {
        let fd = sbx_pidfd_open(pid)
        guard fd >= 0 else { return nil }
        guard isAlive else {
            close(fd)
            return nil
        }
        return fd
    }
}
