import SandboxLinux

extension ImageStore {
    /// The caller's store, as every image command opens it.
    static func forCaller() throws -> ImageStore {
        try ImageStore.open(for: .current(), environment: RunOptions.hostEnvironment)
    }
}
