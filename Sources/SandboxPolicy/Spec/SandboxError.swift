/// A failure of sandbox itself, as one line for the user.
///
/// Docker's rule: when the runtime, not the workload, fails, the exit status is 125; when the command cannot
/// be run it is 126, and 127 when it is not found. The message names what was wrong and, where a common
/// failure has a known fix, says the fix. The failing step and the errno stay fields, not only text, so that
/// context can be added as the error rises and a machine reader (the OCI log) can tell them apart.
public struct SandboxError: Error, CustomStringConvertible, Equatable {
    /// What failed, with what it was working on: `mount /scratch`, `invalid --memory "x"`.
    public var message: String
    /// The child's step that failed (`pivot_root into`), when it was one.
    public var step: String?
    /// The errno of the system call that failed, and the kernel's words for it; nil when none failed.
    public var errno: Int32?
    public var reason: String?
    /// What to do about it, when a common failure has a known fix.
    public var hint: String?
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 125) {
        self.message = message
        self.exitCode = exitCode
    }

    /// A failed system call: what was being done, its errno and the kernel's words for it (strerror, which
    /// the Linux side supplies: this target calls nothing).
    public init(_ message: String, errno: Int32, reason: String, hint: String? = nil, step: String? = nil) {
        self.init(message)
        self.errno = errno
        self.reason = reason
        self.hint = hint
        self.step = step
    }

    public var description: String {
        message + (reason.map { ": \($0)" } ?? "") + (hint.map { " (\($0))" } ?? "")
    }

    /// The same failure inside what was being done around it: `seccomp profile x.json: syscalls[3]...`.
    public func within(_ context: String) -> SandboxError {
        var error = self
        error.message = context + ": " + message
        return error
    }

    /// The same failure with another exit status (126, 127 for a command that cannot be run).
    public func with(exitCode: Int32) -> SandboxError {
        var error = self
        error.exitCode = exitCode
        return error
    }
}
