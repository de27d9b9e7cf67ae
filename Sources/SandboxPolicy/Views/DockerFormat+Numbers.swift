/// The numbers of `docker stats`, printed as its Go code prints them (C's %g and %f, without Foundation).
extension DockerFormat {
    /// go-units' BytesSize: binary units, four significant digits ("1.5MiB", "7.668GiB"): MEM USAGE / LIMIT.
    public static func bytesSize(_ bytes: Double) -> String {
        scaled(bytes, base: 1024, units: ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"], precision: 4)
    }

    /// go-units' HumanSizeWithPrecision(size, 3): decimal units, three significant digits ("1.23kB", "0B"):
    /// NET I/O and BLOCK I/O. Past 999.5 of a unit %g turns to "1e+03", and so does Docker.
    public static func humanSize(_ bytes: Double) -> String {
        scaled(bytes, base: 1000, units: ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"], precision: 3)
    }

    /// "%.2f%%": CPU % and MEM %.
    public static func percent(_ value: Double) -> String {
        fixed(value, decimals: 2) + "%"
    }

    /// Docker's CPU %: the container's CPU time over the host's in the same interval, times the CPUs online,
    /// so one busy CPU is 100%; 0 when either did not move.
    public static func cpuPercent(containerDelta: Double, systemDelta: Double, onlineCPUs: Int) -> Double {
        guard containerDelta > 0, systemDelta > 0 else { return 0 }
        return containerDelta / systemDelta * Double(onlineCPUs) * 100
    }

    private static func scaled(_ size: Double, base: Double, units: [String], precision: Int) -> String {
        var size = size, unit = 0
        while size >= base && unit < units.count - 1 {
            size /= base
            unit += 1
        }
        return general(size, precision: precision) + units[unit]
    }

    /// C's %.Pg: P significant digits, trailing zeros dropped, and the exponent form ("1e+03") when the
    /// exponent is below -4 or at least P.
    public static func general(_ value: Double, precision: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : value < 0 ? "-Inf" : "+Inf" }
        guard value != 0 else { return "0" }
        let sign = value < 0 ? "-" : ""
        var magnitude = value.magnitude
        var exponent = 0
        while magnitude >= 10 { magnitude /= 10; exponent += 1 }
        while magnitude < 1 { magnitude *= 10; exponent -= 1 }
        var power: Int64 = 1
        for _ in 1..<precision { power *= 10 }
        var digits = Int64((magnitude * Double(power)).rounded())
        if digits >= power * 10 {
            digits /= 10
            exponent += 1
        }
        var text = String(digits)
        if exponent < -4 || exponent >= precision {
            let fraction = String(text.dropFirst().reversed().drop { $0 == "0" }.reversed())
            let power = String(exponent.magnitude)
            return sign + String(text.prefix(1)) + (fraction.isEmpty ? "" : "." + fraction)
                + (exponent < 0 ? "e-" : "e+") + (power.count < 2 ? "0" : "") + power
        }
        if exponent < 0 {
            text = "0." + String(repeating: "0", count: -exponent - 1) + text
        } else {
            let whole = text.prefix(exponent + 1)
            text = whole + "." + text.dropFirst(exponent + 1)
        }
        return sign + trimmingZeros(text)
    }

    /// "%.Nf".
    public static func fixed(_ value: Double, decimals: Int) -> String {
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((value.magnitude * scale).rounded())
        let whole = String(scaled / Int64(scale))
        let fraction = String(scaled % Int64(scale))
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + whole }
        return sign + whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// Without the trailing zeros of a decimal fraction, and its point if nothing is left after it.
    private static func trimmingZeros(_ text: String) -> String {
        var text = Substring(text)
        while text.last == "0" { text.removeLast() }
        if text.last == "." { text.removeLast() }
        return String(text)
    }
}
