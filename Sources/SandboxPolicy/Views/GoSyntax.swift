/// Go's syntax for the values of Docker's flags, which the docker CLI parses with Go's standard library.

/// Durations as Docker's flags take them (`--health-interval 30s`, `1m30s`, `500ms`): Go's time.ParseDuration,
/// in nanoseconds, with its messages; and written back as Go prints them, for messages that quote one.
public enum GoDuration {
    /// Nanoseconds in each of Go's units.
    static let units: [String: Double] = [
        "ns": 1, "us": 1e3, "µs": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9,
    ]

    /// A signed sequence of decimal numbers, each with a unit: `300ms`, `-1.5h`, `2h45m`; a bare `0` too.
    /// - Parameter flag: names the flag in the message, as the docker CLI does.
    public static func nanoseconds(_ text: String, flag: String) throws -> Int64 {
        func failure(_ reason: String) -> SandboxError {
            SandboxError("invalid argument \"\(text)\" for \"\(flag)\" flag: time: \(reason)")
        }
        let quoted = "\"\(text)\""
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { throw failure("invalid duration \(quoted)") }
        var total: Double = 0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1, let value = Double(number) else {
                throw failure("invalid duration \(quoted)")
            }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard !unit.isEmpty else { throw failure("missing unit in duration \(quoted)") }
            guard let scale = units[String(unit)] else { throw failure("unknown unit \"\(unit)\" in duration \(quoted)") }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        guard total < 9.223372036854775807e18 else { throw failure("invalid duration \(quoted)") }
        return negative ? -Int64(total) : Int64(total)
    }

    /// Go's Duration.String: `30s`, `1m30s`, `1.5s`, `500ms`, `0s`.
    public static func describe(_ nanoseconds: Int64) -> String {
        guard nanoseconds != 0 else { return "0s" }
        let sign = nanoseconds < 0 ? "-" : ""
        let value = nanoseconds.magnitude
        if value < 1_000_000_000 {
            for (unit, scale) in [("ms", UInt64(1_000_000)), ("µs", 1_000), ("ns", 1)] where value >= scale {
                return sign + decimal(value, scale: scale) + unit
            }
        }
        let hours = value / 3_600_000_000_000, minutes = value / 60_000_000_000 % 60
        let seconds = decimal(value % 60_000_000_000, scale: 1_000_000_000) + "s"
        if hours > 0 { return sign + "\(hours)h\(minutes)m" + seconds }
        if minutes > 0 { return sign + "\(minutes)m" + seconds }
        return sign + seconds
    }

    /// `value / scale` with the fraction's digits, trailing zeros dropped.
    private static func decimal(_ value: UInt64, scale: UInt64) -> String {
        let whole = value / scale, fraction = value % scale
        guard fraction != 0 else { return String(whole) }
        let width = String(scale).count - 1
        var digits = String(fraction)
        digits = String(repeating: "0", count: width - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}

extension Bool {
    /// Go's strconv.ParseBool, which reads `--sig-proxy=false` and `--mount ...,readonly=1`.
    public init?(go text: String) {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": self = true
        case "0", "f", "F", "false", "FALSE", "False": self = false
        default: return nil
        }
    }
}
