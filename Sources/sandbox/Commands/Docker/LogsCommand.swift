import ArgumentParser
import Glibc
import SandboxLinux
import SandboxPolicy

/// `logs [-f] [--tail N] [-t] [--since TIME] CONTAINER`: a detached container's output as `docker logs`
/// prints it, each line to the stream it was written to, from its json-file log and the files rotated out
/// of it, oldest first.
struct LogsCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a detached container's output.",
        discussion: """
            Works for a running or a stopped container started with sandbox run -d; a foreground run keeps no log. \
            Each line goes to the stream it was written to, read from the json-file log and the files --log-opt \
            rotated out of it, oldest first. \
            With -f it prints new output as the container writes it, until the container ends (and is not \
            restarted), is removed, or you interrupt it.
            """)

    @ParentCommand var parent: Sandbox

    @Flag(name: .shortAndLong, help: "Follow the output as it is written.")
    var follow = false

    @Option(name: [.customShort("n"), .long], help: ArgumentHelp("Only the last N lines; all for every line.", valueName: "N|all"))
    var tail = "all"

    @Flag(name: .shortAndLong, help: "Begin each line with the time it was written (RFC 3339, nanoseconds).")
    var timestamps = false

    @Option(help: ArgumentHelp("Only lines written since: 2024-05-01T10:00:00Z, 2024-05-01, 10m, 1h30m, Unix seconds.", valueName: "time"))
    var since: String?

    @Argument(help: ArgumentHelp("The container's name, id, or a prefix of its id that only it has.", valueName: "container"))
    var container: String

    func execute(_ runtime: Runtime) throws {
        let lines: Int?
        switch tail {
        case "all": lines = nil
        case let text: 
            guard let count = Int(text) else { throw SandboxError("invalid --tail \"\(text)\": a number of lines, or all") }
            lines = count < 0 ? nil : count
        }
        let now = DockerTime.parse(Timestamp.now()) ?? 0
        let start = try since.map { try DockerTime.parseSince($0, now: now, localOffset: Self.localOffset()) }
        try runtime.logs(reference: container, options: .init(tail: lines, since: start), follow: follow) { entry in
            let time = DockerTime.parse(entry.time).map(DockerTime.rfc3339) ?? entry.time
            Self.write((timestamps ? time + " " : "") + entry.log, to: entry.stream == "stderr" ? STDERR_FILENO : STDOUT_FILENO)
        }
    }

    /// Seconds east of UTC of the host's zone now: a --since without one is local time, as Docker reads it.
    private static func localOffset() -> Int {
        var now = time(nil), parts = tm()
        localtime_r(&now, &parts)
        return parts.tm_gmtoff
    }

    /// Unbuffered, so that the two streams keep the order the lines were written in.
    private static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
