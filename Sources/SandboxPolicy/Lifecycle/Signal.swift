/// A signal, by number, as `kill`, `--stop-signal` and `stop -s` take it: a name with or without `SIG`, in
/// any case, or a number, as runc and Docker parse it.
public struct Signal: Equatable, Sendable {
    public var number: Int32

    public init(number: Int32) {
        self.number = number
    }

    /// Linux's numbers (x86, arm and the generic ABI), by name without `SIG`.
    static let names: [String: Int32] = [
        "HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "TRAP": 5, "ABRT": 6, "IOT": 6, "BUS": 7, "FPE": 8, "KILL": 9,
        "USR1": 10, "SEGV": 11, "USR2": 12, "PIPE": 13, "ALRM": 14, "TERM": 15, "STKFLT": 16, "CHLD": 17,
        "CONT": 18, "STOP": 19, "TSTP": 20, "TTIN": 21, "TTOU": 22, "URG": 23, "XCPU": 24, "XFSZ": 25,
        "VTALRM": 26, "PROF": 27, "WINCH": 28, "IO": 29, "POLL": 29, "PWR": 30, "SYS": 31,
    ]
    /// SIGRTMIN as glibc gives it to programs (the kernel's 32 and 33 are glibc's own), and SIGRTMAX.
    static let realTime: ClosedRange<Int32> = 34...64

    public init(parsing text: String) throws {
        if let number = Int32(text) {
            guard (1...Self.realTime.upperBound).contains(number) else { throw SandboxError("invalid signal \"\(text)\"") }
            self.init(number: number)
            return
        }
        var name = text.uppercased()
        if name.hasPrefix("SIG") { name.removeFirst(3) }
        if let number = Self.names[name] {
            self.init(number: number)
        } else if name.hasPrefix("RTMIN"), let offset = Self.offset(name.dropFirst(5)), Self.realTime.contains(34 + offset) {
            self.init(number: 34 + offset)
        } else if name.hasPrefix("RTMAX"), let offset = Self.offset(name.dropFirst(5)), Self.realTime.contains(64 - offset) {
            self.init(number: 64 - offset)
        } else {
            throw SandboxError("invalid signal \"\(text)\"")
        }
    }

    /// "" is 0, "+3" and "-3" are 3: SIGRTMIN+3, SIGRTMAX-3.
    private static func offset(_ text: Substring) -> Int32? {
        text.isEmpty ? 0 : Int32(text.dropFirst())
    }
}

extension Signal {
    /// Its name as Docker prints one (Config.StopSignal): "SIGTERM"; a real-time signal as "SIGRTMIN+N"; the
    /// number for one without a name. Of two names for one signal (IOT and ABRT, POLL and IO), the usual one.
    public var name: String {
        let aliases: Set = ["IOT", "POLL"]
        if let name = Self.names.first(where: { $0.value == number && !aliases.contains($0.key) })?.key { return "SIG" + name }
        if Self.realTime.contains(number) { return "SIGRTMIN+\(number - Self.realTime.lowerBound)" }
        return String(number)
    }
}
