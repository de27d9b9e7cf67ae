import CSandbox
import Glibc
import SandboxPolicy

/// The child's report channel: a close-on-exec SOCK_SEQPACKET pair. Made before the seccomp filter is
/// compiled, because a notifying filter must name the child's end (see `lettingThroughSendmsg`).
final class ReportChannel {
    let parent: Int32
    private(set) var child: Int32

    init() throws {
        var fds: [Int32] = [-1, -1]
        let result = sbx_report_channel(&fds)
        guard result == 0 else { throw SandboxError("socketpair", errno: -result) }
        parent = fds[0]
        child = fds[1]
    }

    /// Once the child holds its copy: EOF then means its execve, or its death.
    func closeChildEnd() {
        close(child)
        child = -1
    }

    deinit {
        close(parent)
        if child >= 0 { close(child) }
    }
}
