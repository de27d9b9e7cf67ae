import CSandbox
import Glibc
import SandboxPolicy

/// A step the child reported failing, as the line the user reads and `docker run`'s exit status.
struct ChildFailure {
    var step: Int32
    var code: Int32
    var detail: String
    /// What the kernel logged for a failed mount ("tmpfs: Bad value for 'size'"), if anything.
    var kernelMessage: String?

    init(_ record: sbx_failure) {
        step = record.step
        code = record.error
        detail = String(cArray: record.detail)
        let message = String(cArray: record.kernel_message)
        kernelMessage = message.isEmpty ? nil : message
    }


    /// - Parameter onHostRoot: the container runs on the host's read-only /, where a missing mount point
    ///   cannot be made: the message says so.
    func error(onHostRoot: Bool) -> SandboxError {
        if step == Int32(SBX_STEP_EXEC.rawValue) {
            // As docker run: 127 when the command is not there, 126 when it is but cannot be run.
            if code == ENOENT && !detail.contains("/") {
                return SandboxError("exec: \"\(detail)\": executable file not found in $PATH", exitCode: 127)
            }
            return SandboxError("exec \(detail)", errno: code).with(exitCode: code == ENOENT ? 127 : 126)
        }
        if step == Int32(SBX_STEP_NOT_DIRECTORY.rawValue) {
            return SandboxError("the image's \(detail) is a symlink or a file, not a directory: refusing to mount \(detail == "/proc" ? "proc" : "sysfs") there")
        }
        let what = String(cString: sbx_step_description(step))
        var hint = kernelMessage
        if onHostRoot && step == Int32(SBX_STEP_MOUNT_POINT.rawValue) && code == EROFS {
            hint = "the host's / is read-only: mount on a directory it has, such as /mnt, or use --rootfs"
        } else if step == Int32(SBX_STEP_RLIMIT.rawValue) && code == EPERM {
            hint = "a hard limit above sandbox's own needs CAP_SYS_RESOURCE in the host's user namespace: --userns host, as root"
        }
        return SandboxError(detail.isEmpty ? what : "\(what) \(detail)", errno: code, hint: hint)
    }
}
