/// Times as Docker reads and writes them, in nanoseconds since the epoch (UTC), computed without the C
/// library: the state store's and the log's RFC 3339, `--since`'s many forms, and `ps`'s CreatedAt.
public enum DockerTime {
    /// RFC 3339, with or without a fraction, in UTC ("Z") or with an offset ("+02:00"); nil for anything else.
    public static func parse(_ text: String) -> Int64? {
        guard let parts = Parts(text), let zone = parts.zone else { return nil }
        return parts.nanoseconds(offset: zone)
    }

    /// `logs --since` and `--until`, as Docker's timetypes.GetTimestamp takes them: a Go duration before
    /// `now` ("10m", "1h30m"), an RFC 3339 time or a prefix of one ("2024-05-01", "2024-05-01T10:00"), in the
    /// host's zone (`localOffset` seconds east of UTC) when it names none, or Unix seconds ("1714557600.5").
    public static func parseSince(_ text: String, now: Int64, localOffset: Int) throws -> Int64 {
        // A duration that now less it would overflow (past about 126 years) is not one.
        if text != "0", let duration = try? GoDuration.nanoseconds(text, flag: "--since"), duration.magnitude < 4_000_000_000_000_000_000 {
            return now - duration
        }
        if text.contains("-") {
            guard let parts = Parts(text) else {
                throw SandboxError("invalid time \"\(text)\": expected a duration (10m, 1h), RFC 3339 (2006-01-02T15:04:05Z07:00) or Unix seconds")
            }
            return parts.nanoseconds(offset: parts.zone ?? localOffset)
        }
        let pieces = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let failure = SandboxError("failed to parse value as time or duration: \"\(text)\"")
        guard let seconds = Int64(pieces[0]) else { throw failure }
        var fraction: Int64 = 0
        if pieces.count == 2 {
            let digits = pieces[1]
            guard (1...9).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits) else {
                throw failure
            }
            fraction = value
            for _ in digits.count..<9 { fraction *= 10 }
        }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: DockerFormat.nanosecondsPerSecond)
        guard !overflow else { throw failure }
        return whole + (seconds < 0 ? -fraction : fraction)
    }

    /// `ps --format json`'s CreatedAt, as Go prints a time in UTC: "2024-05-01 10:00:00 +0000 UTC".
    public static func goString(_ nanoseconds: Int64) -> String {
        let (date, clock) = civil(nanoseconds / DockerFormat.nanosecondsPerSecond)
        return "\(date) \(clock) +0000 UTC"
    }

    /// RFC 3339 in UTC with nine digits of fraction, as the state store writes times.
    public static func rfc3339(_ nanoseconds: Int64) -> String {
        let seconds = nanoseconds >= 0 ? nanoseconds / DockerFormat.nanosecondsPerSecond : (nanoseconds - 999_999_999) / DockerFormat.nanosecondsPerSecond
        let fraction = String(nanoseconds - seconds * DockerFormat.nanosecondsPerSecond)
        let (date, clock) = civil(seconds)
        return "\(date)T\(clock).\(String(repeating: "0", count: 9 - fraction.count))\(fraction)Z"
    }

    /// The date and the time of day of `seconds` since the epoch, in UTC (Howard Hinnant's civil_from_days).
    private static func civil(_ seconds: Int64) -> (date: String, clock: String) {
        var days = seconds / 86400, remainder = seconds % 86400
        if remainder < 0 { days -= 1; remainder += 86400 }
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return ("\(year)-\(two(month))-\(two(day))", "\(two(remainder / 3600)):\(two(remainder / 60 % 60)):\(two(remainder % 60))")
    }

    /// Days since the epoch of a civil date (Howard Hinnant's days_from_civil).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// "2006-01-02", then optionally "T15", ":04", ":05", ".999999999", then optionally "Z" or "±07:00".
    private struct Parts {
        var year: Int64, month: Int64, day: Int64
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, nanosecond: Int64 = 0
        /// Seconds east of UTC; nil when the text names no zone.
        var zone: Int?

        init?(_ text: String) {
            var rest = Substring(text)
            func number(_ count: Int) -> Int64? {
                let digits = rest.prefix(count)
                guard digits.count == count, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
                rest = rest.dropFirst(count)
                return Int64(digits)
            }
            func take(_ character: Character) -> Bool {
                guard rest.first == character else { return false }
                rest = rest.dropFirst()
                return true
            }
            guard let year = number(4), take("-"), let month = number(2), take("-"), let day = number(2),
                  (1...12).contains(month), (1...31).contains(day) else { return nil }
            (self.year, self.month, self.day) = (year, month, day)
            if take("T") || take("t") {
                guard let hour = number(2), hour < 24 else { return nil }
                self.hour = hour
                if take(":") {
                    guard let minute = number(2), minute < 60 else { return nil }
                    self.minute = minute
                    if take(":") {
                        guard let second = number(2), second < 61 else { return nil }
                        self.second = second
                        if take(".") {
                            let digits = rest.prefix { $0.isASCII && $0.isNumber }
                            guard (1...9).contains(digits.count), let value = Int64(digits) else { return nil }
                            rest = rest.dropFirst(digits.count)
                            var scale: Int64 = 1
                            for _ in digits.count..<9 { scale *= 10 }
                            nanosecond = value * scale
                        }
                    }
                }
            }
            if take("Z") || take("z") {
                zone = 0
            } else if let sign = rest.first, sign == "+" || sign == "-" {
                rest = rest.dropFirst()
                guard let hours = number(2), take(":"), let minutes = number(2) else { return nil }
                zone = (sign == "-" ? -1 : 1) * Int(hours * 3600 + minutes * 60)
            }
            guard rest.isEmpty else { return nil }
        }

        func nanoseconds(offset: Int) -> Int64 {
            let seconds = DockerTime.days(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second - Int64(offset)
            return seconds * DockerFormat.nanosecondsPerSecond + nanosecond
        }
    }
}
