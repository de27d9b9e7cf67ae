import CSandbox
import Glibc
import SandboxPolicy

/// Answers the syscalls a notifying filter sends to sandbox (`seccomp test`, `seccomp trace`).
public protocol SeccompSupervisor: AnyObject {
    /// The filter to load, given the profile's resolved one (nil when unconfined).
    func filter(for resolved: SeccompFilter?, host: SeccompFilter.Host) -> SeccompFilter
    /// Runs the syscall, or fails it with an errno.
    func decide(_ syscall: SeccompFilter.Syscall, pid: pid_t) -> (run: Bool, error: Int32)
}

/// The C callback into a supervisor, through an unretained context pointer.
enum SeccompSupervision {
    static let decide: sbx_notify_decide = { context, arch, number, arguments, pid in
        let supervisor = Unmanaged<AnyObject>.fromOpaque(context!).takeUnretainedValue() as! SeccompSupervisor
        let syscall = SeccompCompiler.syscall(arch: arch, number: number, arguments: Array(UnsafeBufferPointer(start: arguments, count: 6)))
        let answer = supervisor.decide(syscall, pid: pid)
        return sbx_notify_answer(run: answer.run, error: answer.error)
    }

    /// The answer with the effect of a filter's `decision`: what lets the syscall run continues it; an errno
    /// fails it; kill and trap are sent as the signals the kernel would send, and the syscall fails meanwhile.
    static func answer(_ decision: SeccompFilter.Decision, pid: pid_t) -> (run: Bool, error: Int32) {
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

    /// The next record on `channel` (1) or EOF (0), answering notifications meanwhile; -errno on failure.
    static func next(_ supervisor: SeccompSupervisor, channel: Int32, listener: inout Int32, record: inout sbx_failure) -> Int32 {
        sbx_supervise_start(channel, &listener, &record, decide, context(supervisor))
    }

    /// Serves notifications until no process of the container is left; closes the listener.
    static func serve(_ supervisor: SeccompSupervisor, listener: Int32) throws {
        defer { close(listener) }
        let served = sbx_supervise_run(listener, decide, context(supervisor))
        guard served == 0 else { throw SandboxError("supervise the container's seccomp filter", errno: -served) }
    }

    private static func context(_ supervisor: SeccompSupervisor) -> UnsafeMutableRawPointer {
        Unmanaged.passUnretained(supervisor as AnyObject).toOpaque()
    }
}
