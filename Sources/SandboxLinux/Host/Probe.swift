import Glibc
import SandboxPolicy

/// What the calling process may do, read from the kernel: `sandbox probe`, run inside a container or not.
///
/// `probe --json` lists every object's keys alphabetically, as it always has: the `CodingKeys` below say that
/// order, which `JSON.encode` follows.
public struct Probe: Codable, Equatable, Sendable {
    public struct Capabilities: Codable, Equatable, Sendable {
        public var inheritable: [String]
        public var permitted: [String]
        public var effective: [String]
        public var bounding: [String]
        public var ambient: [String]

        enum CodingKeys: String, CodingKey {
            case ambient, bounding, effective, inheritable, permitted
        }
    }

    public struct Seccomp: Codable, Equatable, Sendable {
        /// 0 disabled, 1 strict, 2 filter.
        public var mode: Int
        public var filters: Int

        enum CodingKeys: String, CodingKey {
            case filters, mode
        }
    }

    public var uid: String
    public var gid: String
    public var groups: String
    /// Namespace name to its id, as `readlink /proc/self/ns/NAME` shows it.
    public var namespaces: [String: String]
    public var uidMap: [String]
    public var gidMap: [String]
    public var capabilities: Capabilities
    public var seccomp: Seccomp
    public var noNewPrivileges: Bool
    /// Limit name to its value in the process's own cgroup, where the cgroup filesystem is visible.
    public var cgroupLimits: [String: String]
    /// Each of Docker's masked paths: "masked", "visible" or "absent".
    public var maskedPaths: [String: String]

    enum CodingKeys: String, CodingKey {
        case capabilities, cgroupLimits, gid, gidMap, groups, maskedPaths, namespaces, noNewPrivileges, seccomp, uid, uidMap
    }

    /// Reads everything from /proc and /sys.
    public static func current() throws -> Probe {
        let status = try Self.fields(HostFile.read("/proc/self/status"))
        func capabilities(_ key: String) -> [String] {
            CapabilityMask(rawValue: UInt64(status[key] ?? "", radix: 16) ?? 0).capabilities.map(\.name)
        }
        var namespaces: [String: String] = [:]
        for namespace in Namespace.allCases {
            namespaces[namespace.procName] = Self.link("/proc/self/ns/" + namespace.procName)
        }
        return Probe(
            uid: status["Uid"] ?? "", gid: status["Gid"] ?? "", groups: status["Groups"] ?? "",
            namespaces: namespaces,
            uidMap: try Self.lines("/proc/self/uid_map"), gidMap: try Self.lines("/proc/self/gid_map"),
            capabilities: Capabilities(
                inheritable: capabilities("CapInh"), permitted: capabilities("CapPrm"), effective: capabilities("CapEff"),
                bounding: capabilities("CapBnd"), ambient: capabilities("CapAmb")),
            seccomp: Seccomp(mode: Int(status["Seccomp"] ?? "") ?? 0, filters: Int(status["Seccomp_filters"] ?? "") ?? 0),
            noNewPrivileges: status["NoNewPrivs"] == "1",
            cgroupLimits: try Self.cgroupLimits(),
            maskedPaths: Dictionary(uniqueKeysWithValues: MountTable.maskedPaths.map { ($0, Self.maskState($0)) }))
    }

    private static func fields(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            result[String(line[..<colon])] = line[line.index(after: colon)...].split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        return result
    }

    private static func lines(_ path: String) throws -> [String] {
        try HostFile.read(path).split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
    }

    private static func link(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let count = readlink(path, &buffer, buffer.count - 1)
        return count < 0 ? "unavailable" : String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The v2 files, or the v1 ones, of the process's cgroup, where they are mounted.
    private static func cgroupLimits() throws -> [String: String] {
        let files: [(name: String, v2: String, v1: (controller: String, file: String))] = [
            ("memory", "memory.max", ("memory", "memory.limit_in_bytes")),
            ("memory+swap", "memory.swap.max", ("memory", "memory.memsw.limit_in_bytes")),
            ("cpu", "cpu.max", ("cpu", "cpu.cfs_quota_us")),
            ("pids", "pids.max", ("pids", "pids.max")),
        ]
        var paths: [String: String] = [:] // controller ("" for v2) to the cgroup's path
        for line in try HostFile.read("/proc/self/cgroup").split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            for controller in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
                paths[String(controller)] = String(parts[2])
            }
        }
        var limits: [String: String] = [:]
        for file in files {
            let candidates = [paths[""].map { ["/sys/fs/cgroup\($0)/\(file.v2)", "/sys/fs/cgroup/unified\($0)/\(file.v2)"] } ?? [],
                              paths[file.v1.controller].map { ["/sys/fs/cgroup/\(file.v1.controller)\($0)/\(file.v1.file)"] } ?? []]
            for path in candidates.joined() {
                if let value = try? HostFile.read(path).split(separator: "\n").first {
                    limits[file.name] = String(value)
                    break
                }
            }
        }
        return limits
    }

    /// Masked: an empty read-only directory, or /dev/null in a file's place.
    private static func maskState(_ path: String) -> String {
        var status = stat()
        guard stat(path, &status) == 0 else { return errno == ENOENT ? "absent" : "masked" }
        if status.st_mode & S_IFMT == S_IFCHR {
            return status.st_rdev == 0x103 ? "masked" : "visible" // 1:3, /dev/null
        }
        guard status.st_mode & S_IFMT == S_IFDIR else { return "visible" }
        return HostFile.entries(of: path).isEmpty ? "masked" : "visible"
    }
}
