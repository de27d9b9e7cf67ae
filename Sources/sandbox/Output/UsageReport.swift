import SandboxLinux
import SandboxPolicy

/// `--stats-on-exit`: one line of what the container's cgroup counted.
enum UsageReport {
    static func line(_ usage: CgroupUsage) -> String {
        let memory = usage.memoryPeak.map(ByteCount.describe) ?? "unknown"
        let cpu = usage.cpuNanoseconds.map { String(format3: Double($0) / 1e9) + " s" } ?? "unknown"
        let pids = usage.pidsPeak.map(String.init) ?? "unknown"
        return "sandbox: peak memory \(memory), CPU time \(cpu), most tasks \(pids)"
    }
}

/// Sizes as people read them: 32 MiB, 1.5 GiB.
enum ByteCount {
    static func describe(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return (value == value.rounded() ? String(Int(value)) : String(format3: value)) + " " + units[unit]
    }
}

extension String {
    /// Three decimals at most, without Foundation's formatter.
    init(format3 value: Double) {
        let thousandths = Int((value * 1000).rounded())
        var text = "\(thousandths / 1000)"
        let fraction = thousandths % 1000
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 3 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        self = text
    }
}
