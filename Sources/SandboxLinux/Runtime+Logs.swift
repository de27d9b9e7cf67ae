import SandboxPolicy

extension Runtime {
    /// A detached container's output, as `docker logs` prints it; running or stopped. With `follow`, it goes
    /// on until the container has ended (not to be restarted) or is removed, or its monitor is gone.
    public func logs(reference: String, options: ContainerLog.Options, follow: Bool, emit: (ContainerLog.Entry) -> Void) throws {
        let directory = try StateDirectory.open(base: root, reference: reference)
        let view = try Self.view(of: directory)
        guard let path = view.logPath else {
            throw SandboxError("container \(view.record.name) has no log: only a container started with sandbox run -d keeps one; a foreground run's output went to its terminal, an engine's to the engine")
        }
        try ContainerLog(path: path).read(options, follow: follow, ended: {
            guard directory.isOwned, let now = try? Self.view(of: directory) else { return true }
            return now.state.status == .exited
        }, emit: emit)
    }
}
