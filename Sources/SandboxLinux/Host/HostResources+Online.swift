import SandboxPolicy

extension HostResources {
    /// The host's online CPUs and memory nodes, from /sys. A kernel built without NUMA has no node directory
    /// and one node, 0.
    public static func online() throws -> HostResources {
        func list(_ path: String) throws -> CPUList? {
            guard let text = try HostFile.readIfPresent(path) else { return nil }
            let trimmed = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            do { return try CPUList(parsing: trimmed) } catch let error as SandboxError {
                throw SandboxError("read \(path): \(error.message)")
            }
        }
        guard let cpus = try list("/sys/devices/system/cpu/online") else {
            throw SandboxError("read /sys/devices/system/cpu/online: no such file (is /sys mounted?)")
        }
        return HostResources(onlineCPUs: cpus, onlineNodes: try list("/sys/devices/system/node/online") ?? CPUList(ranges: [0...0]))
    }
}
