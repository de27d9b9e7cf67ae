import CSandbox
import Glibc
import SandboxPolicy

/// sandbox's binary as every process it starts in a container sees it: a handle nothing can write
/// (CVE-2019-5736). Until its `execve`, each such process is a clone of sandbox, and a container whose command is
/// a script starting `#!/proc/self/exe` makes the kernel run sandbox's binary inside it; holding that open, it
/// could write the host's file once nothing runs it. A command that enters containers first re-executes itself
/// from a read-only bind mount of its binary that is attached nowhere (no copy: `sbx_sealed_binary.h`), so that
/// its clones, and the monitors and inits they become, run from that.
public enum SealedBinary {
    /// Returns at once when this process already runs from a sealed handle (after its re-execution, or when
    /// the binary is installed on a read-only filesystem); else re-executes it with the same arguments and
    /// environment, and does not return. Throws when no way worked: sandbox then starts nothing.
    public static func ensure() throws {
        let sealed = sbx_binary_is_sealed()
        if sealed == 1 { return }
        if sealed < 0 { throw SandboxError("check /proc/self/exe", errno: -sealed) }
        var method: UnsafePointer<CChar>?
        let result = sbx_reexec_sealed(CommandLine.unsafeArgv, environ, &method)
        throw SandboxError("run from a read-only copy of sandbox (\(method.map { String(cString: $0) } ?? ""))", errno: -result)
    }
}
