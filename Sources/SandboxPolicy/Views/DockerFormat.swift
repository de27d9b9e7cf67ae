/// How Docker's command line prints what it knows of a container (its ids, command, ages and status), so that
/// sandbox's views read as `docker ps` does and a script written against Docker's text keeps working.
public enum DockerFormat {
    public static let nanosecondsPerSecond: Int64 = 1_000_000_000

    /// go-units' HumanDuration, which `docker ps` prints in CREATED and STATUS: "Less than a second",
    /// "1 second", "About a minute", "3 hours", "2 weeks". Seconds and minutes are truncated, hours rounded
    /// (1h29m is "About an hour", 1h31m "2 hours"), as Go's code does; a negative duration (a clock set back)
    /// is less than a second.
    public static func humanDuration(nanoseconds duration: Int64) -> String {
        let seconds = duration / nanosecondsPerSecond
        if seconds < 1 { return "Less than a second" }
        if seconds == 1 { return "1 second" }
        if seconds < 60 { return "\(seconds) seconds" }
        let minutes = seconds / 60
        if minutes == 1 { return "About a minute" }
        if minutes < 60 { return "\(minutes) minutes" }
        let hour = 3600 * nanosecondsPerSecond
        let hours = (duration + hour / 2) / hour
        if hours == 1 { return "About an hour" }
        if hours < 48 { return "\(hours) hours" }
        if hours < 24 * 7 * 2 { return "\(hours / 24) days" }
        if hours < 24 * 30 * 2 { return "\(hours / 24 / 7) weeks" }
        if hours < 24 * 365 * 2 { return "\(hours / 24 / 30) months" }
        return "\(duration / hour / 24 / 365) years"
    }

    /// An id as `docker ps` shows it: its first 12 characters.
    public static func shortID(_ id: String) -> String {
        String(id.prefix(12))
    }

    /// The COMMAND column: the program, then its arguments, each holding a space in single quotes (Docker's
    /// daemon joins them so); cut to 20 characters with an ellipsis unless `truncate` is false; then quoted
    /// as Go's strconv.Quote quotes, the way `docker ps` prints it: `"sh -c 'while true;…"`.
    public static func command(_ arguments: [String], truncate: Bool) -> String {
        let joined = ([arguments.first ?? ""] + arguments.dropFirst().map { $0.contains(" ") ? "'\($0)'" : $0 })
            .joined(separator: " ")
        return goQuote(truncate ? ellipsis(joined, width: 20) : joined)
    }

    /// The first `width - 1` characters and "…" when longer than `width`, as the CLI's formatter.Ellipsis.
    public static func ellipsis(_ text: String, width: Int) -> String {
        guard text.count > width else { return text }
        return String(text.prefix(width - 1)) + "…"
    }

    /// Go's strconv.Quote: a double-quoted literal with Go's escapes; printable text outside ASCII stays as it is.
    public static func goQuote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\u{07}": result += "\\a"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{0B}": result += "\\v"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count == 1 ? "0" : "") + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

/// A container's state as Docker's views name it: what its record says, checked against the kernel.
public struct DockerState: Equatable, Sendable {
    /// Docker's `State.Status`.
    public enum Status: String, Sendable {
        case created, running, paused, restarting, exited
    }

    public var status: Status
    /// The code it exited with; nil while it runs, and for a container whose end sandbox cannot know (an
    /// engine's, which the engine reaped).
    public var exitCode: Int32?
    /// Nanoseconds since the epoch, when its process last started and ended.
    public var started: Int64?
    public var finished: Int64?
    /// Its health check's status: starting, healthy, unhealthy; nil without one.
    public var health: String?

    public init(status: Status, exitCode: Int32? = nil, started: Int64? = nil, finished: Int64? = nil, health: String? = nil) {
        self.status = status
        self.exitCode = exitCode
        self.started = started
        self.finished = finished
        self.health = health
    }

    /// The STATUS column, as Docker's `State.String()`: "Up 3 minutes", "Up 2 seconds (healthy)", "Up 5
    /// minutes (Paused)", "Restarting (1) 2 seconds ago", "Exited (137) 5 seconds ago", "Created". A container
    /// whose exit code is unknown is "Stopped", runc's word: sandbox will not make one up.
    public func text(now: Int64) -> String {
        func age(_ time: Int64?) -> String { DockerFormat.humanDuration(nanoseconds: now - (time ?? now)) }
        switch status {
        case .created:
            return "Created"
        case .running, .paused:
            let suffix = status == .paused ? " (Paused)" : health.map { $0 == "starting" ? " (health: starting)" : " (\($0))" } ?? ""
            return "Up " + age(started) + suffix
        case .restarting:
            return "Restarting (\(exitCode ?? 0)) \(age(finished)) ago"
        case .exited:
            guard let exitCode else { return "Stopped" }
            return "Exited (\(exitCode)) \(age(finished)) ago"
        }
    }
}
