import SandboxLinux
import SandboxPolicy

extension FuzzTarget {
    /// `--tmpfs PATH[:OPTIONS]`.
    static let tmpfs = FuzzTarget(name: "tmpfs") { bytes in
        _ = try TmpfsMount(parsing: FuzzInput.text(bytes))
    }
}
