import Glibc

/// A failure of sandbox itself, as one line for the user.
///
/// Docker's rule: when the runtime, not the workload, fails, the exit status is 125; when the command cannot
/// be run it is 126, and 127 when it is not found. The message names what was wrong and, where a common
/// failure has a known fix, says the fix.
public struct SandboxError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 125) {
        self.message = message
        self.exitCode = exitCode
    }

    /// A failed system call: what was being done, then the kernel's reason.
    public init(_ action: String, errno code: Int32, hint: String? = nil) {
        var message = "\(action): \(String(cString: strerror(code)))"
        if let hint { message += " (\(hint))" }
        self.init(message)
    }

    public var description: String { message }
}
