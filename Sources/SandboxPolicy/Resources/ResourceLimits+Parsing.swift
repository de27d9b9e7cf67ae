/// The units of Docker's resource flags, parsed as the docker CLI parses them, with its messages
/// (`invalid argument "X" for "--memory" flag: ...`).
extension ResourceLimits {
    /// docker/go-units RAMInBytes: a decimal number, an optional space, then an optional unit k, m, g, t or p
    /// (powers of 1024), an optional `i` and an optional `b`, all case-insensitive: `512m`, `1.5GiB`, `64 kb`,
    /// `100`. Fractions of a byte are dropped.
    public static func bytes(_ text: String, flag: String) throws -> Int64 {
        let invalid = SandboxError("invalid argument \"\(text)\" for \"\(flag)\" flag: invalid size: '\(text)'")
        var rest = Substring(text)
        let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        rest = rest.dropFirst(number.count)
        // go-units' pattern accepts 1.2.3, which its strconv.ParseFloat then refuses: both are errors here.
        guard number.split(separator: ".", omittingEmptySubsequences: false).count <= 2,
              number.first != ".", number.last != ".", let value = Double(number) else { throw invalid }
        if rest.first == " " { rest = rest.dropFirst() }
        let powers: [Character: Double] = ["k": 1, "m": 2, "g": 3, "t": 4, "p": 5]
        var multiplier: Double = 1
        if let unit = rest.first.map({ Character($0.lowercased()) }), let power = powers[unit] {
            multiplier = (0..<Int(power)).reduce(1) { product, _ in product * 1024 }
            rest = rest.dropFirst()
        }
        if rest.first?.lowercased() == "i" { rest = rest.dropFirst() }
        if rest.first?.lowercased() == "b" { rest = rest.dropFirst() }
        let bytes = value * multiplier
        guard rest.isEmpty, bytes < 9.223372036854775807e18 else { throw invalid }
        return Int64(bytes)
    }

    /// The docker CLI's NanoCPUs: a decimal number of CPUs, kept exactly as billionths.
    static func nanoCPUs(_ text: String) throws -> Int64 {
        let prefix = "invalid argument \"\(text)\" for \"--cpus\" flag: "
        let notANumber = SandboxError(prefix + "failed to parse \(text) as a rational number")
        var digits = Substring(text)
        let negative = digits.first == "-"
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0], fraction = parts.count == 2 ? parts[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty),
              (whole + fraction).allSatisfy({ $0.isASCII && $0.isNumber }) else { throw notANumber }
        guard fraction.dropFirst(9).allSatisfy({ $0 == "0" }) else {
            throw SandboxError(prefix + "value is too precise")
        }
        // More than a billion CPUs is past any host's count: keep it out of range without overflowing.
        let wholeValue = whole.drop { $0 == "0" }.count > 9 ? 1_000_000_000 : Int64(whole.isEmpty ? "0" : whole)!
        let nanos = Int64(fraction.prefix(9) + String(repeating: "0", count: 9 - min(9, fraction.count)))!
        let value = wholeValue * 1_000_000_000 + nanos
        return negative ? -value : value
    }

    /// A whole number, as Go's strconv.ParseInt reads a flag's value.
    public static func integer(_ text: String, flag: String) throws -> Int64 {
        guard let value = Int64(text) else {
            throw SandboxError("invalid argument \"\(text)\" for \"\(flag)\" flag: expected an integer")
        }
        return value
    }
}
