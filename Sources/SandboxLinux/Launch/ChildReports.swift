import CSandbox
import Glibc
import SandboxPolicy

/// The records a child sends on its report channel, and later on `start`'s connection: READY, a failure, or
/// EOF once execve succeeded. Under a supervisor (`seccomp test`, `seccomp trace`) the child's notified
/// syscalls are answered while waiting, since the child waits on the answers; with an agent, the listener the
/// child sends is passed on to it.
struct ChildReports {
    let supervisor: SeccompSupervisor?
    /// The seccomp listener, once the child sent it (supervised only); -1 until then.
    private(set) var listener: Int32 = -1
    var agent: SeccompAgentDelivery?

    init(supervisor: SeccompSupervisor?) {
        self.supervisor = supervisor
    }

    /// The next record; nil at EOF.
    mutating func next(from fd: Int32) throws -> sbx_failure? {
        var record = sbx_failure()
        if let supervisor {
            let got = SeccompSupervision.next(supervisor, channel: fd, listener: &listener, record: &record)
            guard got >= 0 else { throw SandboxError("supervise the container's seccomp filter", errno: -got) }
            return got == 1 ? record : nil
        }
        var count: Int
        if let agent {
            var passed: Int32 = -1
            count = withUnsafeMutableBytes(of: &record) { sbx_receive_record(fd, $0.baseAddress, &passed) }
            if count > 0 && record.step == SBX_STEP_LISTENER && passed >= 0 {
                try agent.send(passed)
                return try next(from: fd)
            }
            if passed >= 0 { close(passed) }
        } else {
            repeat {
                count = withUnsafeMutableBytes(of: &record) { read(fd, $0.baseAddress, $0.count) }
            } while count < 0 && errno == EINTR
        }
        guard count > 0 else { return nil }
        if count != MemoryLayout<sbx_failure>.size {
            record = sbx_failure()
            record.step = -1
            record.error = EIO
        }
        return record
    }
}
