import SandboxPolicy

/// What a container uses, read from its cgroup: while it runs, for `stats`; when it ends, for
/// `--stats-on-exit`, and to tell an OOM kill from any other SIGKILL. Each field is nil where the kernel keeps
/// no such count (memory.peak is Linux 5.19, pids.peak 6.1 for v2).
public struct CgroupUsage: Equatable, Sendable {
    /// The most memory in use at once, in bytes.
    public var memoryPeak: Int64?
    /// CPU time of all its tasks, in nanoseconds.
    public var cpuNanoseconds: Int64?
    /// The most tasks at once.
    public var pidsPeak: Int64?
    /// Tasks the OOM killer killed for the memory limit.
    public var oomKills: Int64?
    /// Memory charged now, page cache included, and the inactive file pages of it (what Docker takes out).
    public var memoryUsage: Int64?
    public var memoryInactiveFile: Int64?
    /// The memory limit; nil when there is none (v1 writes a number near 2^63 for none).
    public var memoryLimit: Int64?
    public var pidsCurrent: Int64?
    /// Bytes read from and written to block devices, all devices summed.
    public var blockRead: Int64?
    public var blockWritten: Int64?

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
            (\.memoryUsage, Source(controller: "memory", file: "memory.usage_in_bytes", parse: number),
                            Source(controller: "memory", file: "memory.current", parse: number)),
            (\.memoryInactiveFile, Source(controller: "memory", file: "memory.stat", parse: { key("total_inactive_file", in: $0) }),
                                   Source(controller: "memory", file: "memory.stat", parse: { key("inactive_file", in: $0) })),
            // v1's "none" is PAGE_COUNTER_MAX pages, rounded down to a page: anything past 2^62 is none.
            (\.memoryLimit, Source(controller: "memory", file: "memory.limit_in_bytes", parse: { number($0).flatMap { $0 < 1 << 62 ? $0 : nil } }),
                            Source(controller: "memory", file: "memory.max", parse: number)),
            (\.pidsCurrent, Source(controller: "pids", file: "pids.current", parse: number),
                            Source(controller: "pids", file: "pids.current", parse: number)),
            (\.blockRead, Source(controller: "blkio", file: "blkio.throttle.io_service_bytes", parse: { serviceBytes("Read", in: $0) }),
                          Source(controller: "io", file: "io.stat", parse: { ioStat("rbytes", in: $0) })),
            (\.blockWritten, Source(controller: "blkio", file: "blkio.throttle.io_service_bytes", parse: { serviceBytes("Write", in: $0) }),
                             Source(controller: "io", file: "io.stat", parse: { ioStat("wbytes", in: $0) })),
        ]
    }

    /// v1's blkio.throttle.io_service_bytes: `8:0 Read 4096` lines, one an operation a device, summed.
    private static func serviceBytes(_ operation: String, in text: String) -> Int64? {
        text.split(whereSeparator: \.isNewline).reduce(Int64(0)) { total, line in
            let fields = line.split(separator: " ")
            return fields.count == 3 && fields[1] == operation ? total + (Int64(fields[2]) ?? 0) : total
        }
    }

    /// v2's io.stat: `8:0 rbytes=4096 wbytes=0 rios=1 ...` a device, summed.
    private static func ioStat(_ name: String, in text: String) -> Int64? {
        text.split(whereSeparator: \.isNewline).reduce(Int64(0)) { total, line in
            let value = line.split(separator: " ").first { $0.hasPrefix(name + "=") }.flatMap { Int64($0.dropFirst(name.count + 1)) }
            return total + (value ?? 0)
        }
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
