import SandboxLinux
import SandboxPolicy

extension FuzzTarget {
    /// `--mount type=...,target=...`, a CSV line.
    static let mount = FuzzTarget(name: "mount") { bytes in
        _ = try DockerMount(parsing: FuzzInput.text(bytes), currentDirectory: "/work")
    }
}
