import SandboxLinux
import SandboxPolicy

extension FuzzTarget {
    /// `-v HOST:CONTAINER[:OPTIONS]`.
    static let volume = FuzzTarget(name: "volume") { bytes in
        _ = try Volume(parsing: FuzzInput.text(bytes))
    }
}
