import SandboxPolicy

extension Runtime {
    /// The host's `ps` run with `arguments` (`-ef` when none), cut down to the container's processes, as
    /// `docker top` and `runc ps` show them: host pids, host users.
    public func processTable(reference: String, psArguments: [String]) throws -> ProcessTable {
        let pids = try processes(reference: reference)
        let output = try HostCommand.output(["ps"] + (psArguments.isEmpty ? ["-ef"] : psArguments))
        return try ProcessTable(psOutput: output, pids: Set(pids))
    }
}
