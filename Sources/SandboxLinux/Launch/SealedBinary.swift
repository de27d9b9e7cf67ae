import CSandbox
import SandboxPolicy

/// sandbox's binary as every process it starts in a container sees it: a handle nothing can write
/// (CVE-2019-5736). Until its `execve`, each such process is a clone of sandbox, and a container whose command is
/// a script starting `#!/proc/self/exe` makes the kernel run sandbox's binary inside it; holding that open, it
/// could write the host's file once nothing runs it. So before `main`, a command that enters containers
/// re-executes itself from a read-only bind mount of its binary that is attached nowhere (`sbx_sealed_binary.h`):
/// its clones, and the inits and monitors they become, run from that.
public enum SealedBinary {
    /// Why the re-execution before `main` failed; nil when the process runs from a sealed handle, or its
    /// command enters no container. Such a command then starts nothing.
    public static var failure: SandboxError? {
        var method: UnsafePointer<CChar>?
        let error = sbx_sealing_failure(&method)
        guard error < 0 else { return nil }
        return SandboxError("run from a read-only copy of sandbox (\(method.map { String(cString: $0) } ?? ""))", errno: -error)
    }
}
