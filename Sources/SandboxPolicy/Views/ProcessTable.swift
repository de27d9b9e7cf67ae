/// The host's `ps` output cut down to a container's processes, as `docker top` and `runc ps` do it: ps runs
/// on the host with the user's options (`-ef` by default), and only the lines whose PID is one of the
/// container's are kept. A line whose PID is "-" (a thread, with ps's `m`) follows the process above it.
public struct ProcessTable: Equatable, Sendable {
    /// The header's words: UID, PID, PPID, C, STIME, TTY, TIME, CMD with `-ef`.
    public var titles: [String]
    /// The header line and the kept lines, as ps wrote them (runc's table).
    public var lines: [String]
    /// Each kept line in as many columns as there are titles, the last (the command) keeping its spaces
    /// (Docker's table).
    public var rows: [[String]]

    public init(psOutput: String, pids: Set<Int32>) throws {
        let all = psOutput.split(separator: "\n").map(String.init)
        guard let header = all.first else { throw SandboxError("ps printed nothing") }
        titles = header.split(separator: " ").map(String.init)
        guard let pidColumn = titles.firstIndex(of: "PID") else {
            throw SandboxError("couldn't find PID field in ps output: its options must keep the PID column")
        }
        lines = [header]
        rows = []
        var previousKept = false
        for line in all.dropFirst() where !line.isEmpty {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count > pidColumn else { continue }
            if fields[pidColumn] == "-" {
                if previousKept { keep(line, fields) }
                continue
            }
            guard let pid = Int32(fields[pidColumn]) else {
                throw SandboxError("unexpected pid \"\(fields[pidColumn])\" in ps output")
            }
            previousKept = pids.contains(pid)
            if previousKept { keep(line, fields) }
        }
    }

    private mutating func keep(_ line: String, _ fields: [String]) {
        lines.append(line)
        let last = max(titles.count - 1, 0)
        let row = Array(fields.prefix(last)) + (fields.count > last ? [fields[last...].joined(separator: " ")] : [])
        rows.append(row + Array(repeating: "", count: max(titles.count - row.count, 0)))
    }
}
