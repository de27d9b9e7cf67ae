import SandboxPolicy

/// Where sandbox keeps what outlives a boot (detached containers' logs, images): on disk, never on /run, which is
/// a tmpfs on most hosts; for root `/var/lib/sandbox`, as Docker's `/var/lib/docker`, and for anyone else their
/// own data directory, as podman's rootless storage.
public enum DataDirectory {
    /// `/var/lib/sandbox` for root; else `$XDG_DATA_HOME/sandbox`, or `$HOME/.local/share/sandbox`.
    /// - Throws: for a user with neither variable: `purpose` says what needed it.
    public static func root(for caller: Caller, environment: [String: String], purpose: String) throws -> String {
        if caller.isRoot { return "/var/lib/sandbox" }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/sandbox" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/share/sandbox" }
        throw SandboxError("no directory for \(purpose): set HOME or XDG_DATA_HOME")
    }
}
