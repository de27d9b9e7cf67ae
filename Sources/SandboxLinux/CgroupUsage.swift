import SandboxPolicy

/// What a container used, read from its cgroup when it ends: for `--stats-on-exit`, and to tell an OOM kill
/// from any other SIGKILL. Each field is nil where the kernel keeps no such count (memory.peak is Linux
/// 5.19, pids.peak 6.1 for v2).
public struct CgroupUsage: Equatable, Sendable {
    /// The most memory in use at once, in bytes.
    public var memoryPeak: Int64?
    /// CPU time of all its tasks, in nanoseconds.
    public var cpuNanoseconds: Int64?
    /// The most tasks at once.
    public var pidsPeak: Int64?
    /// Tasks the OOM killer killed for the memory limit.
    public var oomKills: Int64?

    public init(memoryPeak: Int64? = nil, cpuNanoseconds: Int64? = nil, pidsPeak: Int64? = nil, oomKills: Int64? = nil) {
        self.memoryPeak = memoryPeak
        self.cpuNanoseconds = cpuNanoseconds
        self.pidsPeak = pidsPeak
        self.oomKills = oomKills
    }

    /// Where one count is kept in one version: the controller (nil: a core v2 file every cgroup has), the
    /// file, and how its text becomes the number.
    struct Source {
        let controller: String?
        let file: String
        let parse: (String) -> Int64?
    }

    /// The usage files, as the limits are, one table for both versions.
    static var table: [(field: WritableKeyPath<CgroupUsage, Int64?>, v1: Source, v2: Source)] {
        [
            (\.memoryPeak, Source(controller: "memory", file: "memory.max_usage_in_bytes", parse: number),
                           Source(controller: "memory", file: "memory.peak", parse: number)),
            (\.cpuNanoseconds, Source(controller: "cpuacct", file: "cpuacct.usage", parse: number),
                               Source(controller: nil, file: "cpu.stat", parse: { key("usage_usec", in: $0).map { $0 * 1000 } })),
            (\.pidsPeak, Source(controller: "pids", file: "pids.peak", parse: number),
                         Source(controller: "pids", file: "pids.peak", parse: number)),
            (\.oomKills, Source(controller: "memory", file: "memory.oom_control", parse: { key("oom_kill", in: $0) }),
                         Source(controller: "memory", file: "memory.events", parse: { key("oom_kill", in: $0) })),
        ]
    }

    private static func number(_ text: String) -> Int64? {
        Int64(text.split(whereSeparator: \.isWhitespace).first ?? "")
    }

    /// The value of `name` in a flat-keyed file (`usage_usec 1234` lines).
    private static func key(_ name: String, in text: String) -> Int64? {
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == name { return Int64(fields[1]) }
        }
        return nil
    }
}

extension ContainerCgroup {
    /// Reads each count from the hierarchy that keeps it: a v1 controller's if one is mounted, else the v2 tree's.
    public func usage() -> CgroupUsage {
        var usage = CgroupUsage()
        for row in CgroupUsage.table {
            let v1 = directories.first { $0.mount.version == .v1 && row.v1.controller.map($0.mount.controllers.contains) == true }
            let v2 = directories.first { $0.mount.version == .v2 && row.v2.controller.map($0.mount.controllers.contains) ?? true }
            guard let (directory, source) = v1.map({ ($0, row.v1) }) ?? v2.map({ ($0, row.v2) }),
                  let text = try? filesystem.read(directory.path + "/" + source.file) else { continue }
            usage[keyPath: row.field] = source.parse(text)
        }
        return usage
    }
}
