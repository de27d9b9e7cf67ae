/// One reading of what a container uses, from its cgroup, its network namespace and the host's CPU time:
/// `docker stats` computes a row from two of them, taken a moment apart, for CPU %.
public struct StatsSample: Equatable, Sendable {
    /// The container's CPU time, all its tasks, in nanoseconds.
    public var cpuNanoseconds: Int64 = 0
    /// The host's CPU time, all CPUs, busy and idle, in nanoseconds (/proc/stat), as Docker's SystemUsage.
    public var systemNanoseconds: Int64 = 0
    public var onlineCPUs = 1
    /// Bytes charged to the cgroup, page cache included, and the inactive file pages Docker takes out of it.
    public var memoryUsage: Int64 = 0
    public var memoryInactiveFile: Int64?
    /// The memory limit, or the host's memory when there is none, as Docker shows it.
    public var memoryLimit: Int64 = 0
    public var networkReceived: Int64 = 0
    public var networkSent: Int64 = 0
    public var blockRead: Int64 = 0
    public var blockWritten: Int64 = 0
    public var pids: Int64 = 0

    public init() {}

    /// /proc/stat's first line: the jiffies of user, nice, system, idle, iowait, irq and softirq summed, as
    /// Docker's daemon sums them, in nanoseconds.
    public static func systemCPU(procStat: String, ticksPerSecond: Int64) -> Int64? {
        guard let line = procStat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }), ticksPerSecond > 0 else { return nil }
        let ticks = line.split(separator: " ").dropFirst().prefix(7).compactMap { Int64($0) }
        guard ticks.count == 7 else { return nil }
        return ticks.reduce(0, +) * (DockerFormat.nanosecondsPerSecond / ticksPerSecond)
    }

    /// /proc/PID/net/dev: bytes received and sent by every interface but the loopback, as Docker counts the
    /// container's networks (its endpoints, never lo).
    public static func network(netDev: String) -> (received: Int64, sent: Int64) {
        var received: Int64 = 0, sent: Int64 = 0
        for line in netDev.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingSpaces
            let fields = line[line.index(after: colon)...].split(separator: " ").compactMap { Int64($0) }
            guard name != "lo", fields.count >= 9 else { continue }
            received += fields[0]
            sent += fields[8]
        }
        return (received, sent)
    }

    /// /proc/meminfo's MemTotal, in bytes.
    public static func hostMemory(meminfo: String) -> Int64? {
        guard let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }) else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int64($0) }.map { $0 * 1024 }
    }
}

/// One row of `docker stats`, from two samples of one container.
public struct StatsRow: Equatable, Sendable {
    public var id: String
    public var name: String
    /// How the container was named on the command line, or its short id when none was: Docker's `Container`.
    public var container: String
    public var cpuPercent: Double
    /// Without the inactive file pages, as Docker's CLI shows usage.
    public var memoryUsage: Double
    public var memoryLimit: Double
    public var memoryPercent: Double
    public var sample: StatsSample

    public static let header = ["CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"]

    public init(id: String, name: String, container: String, previous: StatsSample, current: StatsSample) {
        self.id = id
        self.name = name
        self.container = container
        sample = current
        cpuPercent = DockerFormat.cpuPercent(containerDelta: Double(current.cpuNanoseconds - previous.cpuNanoseconds),
                                             systemDelta: Double(current.systemNanoseconds - previous.systemNanoseconds),
                                             onlineCPUs: current.onlineCPUs)
        let usage = current.memoryUsage
        memoryUsage = Double(current.memoryInactiveFile.map { $0 < usage ? usage - $0 : usage } ?? usage)
        memoryLimit = Double(current.memoryLimit)
        memoryPercent = memoryLimit > 0 ? memoryUsage / memoryLimit * 100 : 0
    }

    /// The columns as `docker stats` prints them, in `header`'s order.
    public var cells: [String] {
        [DockerFormat.shortID(id), name, DockerFormat.percent(cpuPercent),
         DockerFormat.bytesSize(memoryUsage) + " / " + DockerFormat.bytesSize(memoryLimit), DockerFormat.percent(memoryPercent),
         DockerFormat.humanSize(Double(sample.networkReceived)) + " / " + DockerFormat.humanSize(Double(sample.networkSent)),
         DockerFormat.humanSize(Double(sample.blockRead)) + " / " + DockerFormat.humanSize(Double(sample.blockWritten)),
         String(sample.pids)]
    }

    /// `--format json`'s members, by Docker's names, sorted as Go writes a map's keys.
    public var fields: [(key: String, value: String)] {
        let cells = self.cells
        return [("BlockIO", cells[6]), ("CPUPerc", cells[2]), ("Container", container), ("ID", cells[0]), ("MemPerc", cells[4]),
                ("MemUsage", cells[3]), ("Name", name), ("NetIO", cells[5]), ("PIDs", cells[7])]
    }
}
