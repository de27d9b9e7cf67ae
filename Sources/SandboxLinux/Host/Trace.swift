import Glibc

/// `SANDBOX_TRACE=1` in the environment: at exit, sandbox prints to stderr how long each phase of its run took,
/// one line a phase, for a profile of the start and exit path (Tests/Benchmarks/trace.sh). Off, a mark is one
/// branch on a flag read once.
///
/// A phase ends at its mark and began at the one before. The first began when the process did: the time
/// `SANDBOX_TRACE` holds, when it is a CLOCK_MONOTONIC reading in nanoseconds taken by the caller just before
/// execve; else the main thread's time on a CPU and waiting for one before `main`, from /proc/self/schedstat,
/// which is the same while the binary's pages are in the page cache.
public enum Trace {
    private static let setting = getenv("SANDBOX_TRACE").map { String(cString: $0) }
    public static let isOn = setting != nil
    nonisolated(unsafe) private static var marks: [(phase: StaticString, time: UInt64)] = []

    /// Ends the phase `phase` now.
    @inline(__always)
    public static func mark(_ phase: StaticString) {
        guard isOn else { return }
        record(phase)
    }

    private static func record(_ phase: StaticString) {
        if marks.isEmpty {
            marks.append(("", processStart()))
            atexit { Trace.report() }
        }
        marks.append((phase, now()))
    }

    private static func report() {
        guard let first = marks.first, let last = marks.last else { return }
        var text = ""
        for (previous, mark) in zip(marks, marks.dropFirst()) {
            text += "sandbox trace: \(mark.phase) \(milliseconds(mark.time - previous.time))\n"
        }
        text += "sandbox trace: total \(milliseconds(last.time - first.time))\n"
        text.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    private static func processStart() -> UInt64 {
        let current = now()
        if let setting, let exec = UInt64(setting), exec > 1, exec < current { return exec }
        let fields = (try? HostFile.read("/proc/self/schedstat"))?.split(separator: " ").prefix(2).compactMap { UInt64($0) }
        return current - (fields?.reduce(0, +) ?? 0)
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    private static func milliseconds(_ nanoseconds: UInt64) -> String {
        let hundredths = (nanoseconds + 5_000) / 10_000
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100) ms"
    }
}
