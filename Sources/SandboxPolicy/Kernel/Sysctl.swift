/// Namespaced kernel settings (`--sysctl`, OCI's `linux.sysctl`): which ones a container may set, which of its
/// namespaces each belongs to, and the file under /proc/sys that holds it.
public enum Sysctl {
    /// The IPC namespace's settings that Docker allows by name; every `fs.mqueue.` one is the IPC namespace's too.
    static let ipcSettings: Set<String> = [
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
        "kernel.shmmni", "kernel.shm_rmid_forced",
    ]

    /// The namespace that holds `key`: only its own namespace's settings are the container's to change.
    /// nil: the setting is the whole host's.
    public static func namespace(of key: String) -> Namespace? {
        if ipcSettings.contains(key) || key.hasPrefix("fs.mqueue.") { return .ipc }
        if key.hasPrefix("net.") { return .network }
        return nil
    }

    /// Docker's `--sysctl KEY=VALUE`, with Docker's rule: only the IPC and network namespaces' settings.
    public static func parse(docker text: String) throws -> (key: String, value: String) {
        let refused = SandboxError("invalid argument \"\(text)\" for \"--sysctl\" flag: sysctl '\(text)' is not allowed")
        guard let equals = text.firstIndex(of: "=") else { throw refused }
        let key = String(text[..<equals])
        guard namespace(of: key) != nil else { throw refused }
        guard names(of: key).allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw SandboxError("invalid argument \"\(text)\" for \"--sysctl\" flag: '\(key)' names no file under /proc/sys")
        }
        return (key, String(text[text.index(after: equals)...]))
    }

    /// The file under /proc/sys: dots separate the names, and a slash stands for a dot inside one, as sysctl(8)
    /// reads them (`net.ipv4.conf.eth0/100.forwarding` is net/ipv4/conf/eth0.100/forwarding). A key whose names
    /// are empty, `.` or `..` could name a file elsewhere: `parse` refuses it, and the child resolves the path
    /// beneath /proc/sys whatever it says.
    public static func path(of key: String) -> String {
        names(of: key).joined(separator: "/")
    }

    private static func names(of key: String) -> [String] {
        key.split(separator: ".", omittingEmptySubsequences: false).map { String($0.map { $0 == "/" ? "." : $0 }) }
    }
}
