/// How `stop` ends a container, as Docker's: a signal the process may handle (`-s`, else the container's
/// `--stop-signal`, else SIGTERM), then SIGKILL once `timeout` seconds passed (`-t`, else its `--stop-timeout`,
/// else 10). `rm -f` and `kill` are the plan that sends SIGKILL at once.
public struct StopPlan: Equatable, Sendable {
    public var signal: Signal
    /// Seconds before SIGKILL; nil: wait as long as it takes (a negative `-t`, as Docker's).
    public var timeout: Int?

    /// Docker's default grace period.
    public static let defaultTimeout = 10
    /// SIGKILL now: what `rm -f` does to a running container.
    public static let kill = StopPlan(signal: .kill, timeout: 0)

    public init(signal: Signal, timeout: Int?) {
        self.signal = signal
        self.timeout = timeout
    }

    /// What the command line asks for, else what the container was run with, else Docker's defaults.
    public init(signal: Signal?, timeout: Int?, containerSignal: Int32?, containerTimeout: Int?) {
        let seconds = timeout ?? containerTimeout ?? Self.defaultTimeout
        self.init(signal: signal ?? containerSignal.map(Signal.init(number:)) ?? .term, timeout: seconds < 0 ? nil : seconds)
    }

    /// The signal's grace period in milliseconds, as poll takes it (-1: forever).
    public var milliseconds: Int32 {
        timeout.map { Int32(min($0, Int(Int32.max / 1000)) * 1000) } ?? -1
    }
}

extension Signal {
    public static let kill = Signal(number: 9)
    public static let term = Signal(number: 15)

    /// Whether sending it means the container is to stay down: its restart policy does not start it again.
    /// Docker's rule (`ExitOnNext`): SIGKILL, the container's own stop signal, or, for a container without
    /// one, any signal.
    public func endsRestarts(containerSignal: Int32?) -> Bool {
        self == .kill || containerSignal.map { $0 == number } ?? true
    }
}
