import Glibc
import SandboxPolicy

extension SandboxError {
    /// A failed system call: what was being done, then the kernel's reason.
    public init(_ action: String, errno code: Int32, hint: String? = nil) {
        self.init(action, errno: code, reason: String(cString: strerror(code)), hint: hint)
    }
}
