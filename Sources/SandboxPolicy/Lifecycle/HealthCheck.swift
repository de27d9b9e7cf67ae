/// `--health-cmd` and its timing: what a detached container's monitor runs inside it, as `exec` would, to learn
/// whether it works, and how often; with Docker's defaults and rules (daemon/health.go). Durations are in
/// nanoseconds, defaults applied.
public struct HealthCheck: Codable, Equatable, Sendable {
    /// Run by `/bin/sh -c`, as Docker's `CMD-SHELL` form, which `--health-cmd` makes.
    public var command: String
    /// From the end of one check to the start of the next, and before the first.
    public var interval: Int64
    /// A check running longer fails, and is killed.
    public var timeout: Int64
    /// From the start: failures before the first success do not count while it lasts.
    public var startPeriod: Int64
    /// The interval during the start period, until the first success.
    public var startInterval: Int64
    /// Failures in a row that make the container unhealthy.
    public var retries: Int

    static let second: Int64 = 1_000_000_000
    public static let defaultInterval = 30 * second
    public static let defaultTimeout = 30 * second
    public static let defaultStartInterval = 5 * second
    public static let defaultRetries = 3
    /// Docker's floor for a duration given (containertypes.MinimumDuration).
    static let minimumDuration: Int64 = 1_000_000
    /// What `docker inspect` keeps: each check's output up to this many bytes, and this many checks.
    public static let outputLimit = 4096
    public static let logLength = 5

    public var arguments: [String] { ["/bin/sh", "-c", command] }

    public init(command: String, interval: Int64 = defaultInterval, timeout: Int64 = defaultTimeout, startPeriod: Int64 = 0,
                startInterval: Int64 = defaultStartInterval, retries: Int = defaultRetries) {
        self.command = command
        self.interval = interval
        self.timeout = timeout
        self.startPeriod = startPeriod
        self.startInterval = startInterval
        self.retries = retries
    }

    /// The check the flags describe (nil: not given), or none: without `--health-cmd` there is none, for there
    /// is no image whose HEALTHCHECK the other flags would change, so they are refused alone. Zero means
    /// the default, as in Docker.
    public static func parse(command: String?, interval: String?, timeout: String?, startPeriod: String?, startInterval: String?,
                             retries: String?, disabled: Bool) throws -> HealthCheck? {
        let durations = try [("--health-interval", interval, "Interval"), ("--health-timeout", timeout, "Timeout"),
                             ("--health-start-period", startPeriod, "StartPeriod"), ("--health-start-interval", startInterval, "StartInterval")]
            .map { flag, text, field in (flag, try text.map { try GoDuration.nanoseconds($0, flag: flag) } ?? 0, field) }
        let retryCount = try retries.map { Int(try ResourceLimits.integer($0, flag: "--health-retries")) } ?? 0
        let command = command ?? ""
        let given = !command.isEmpty || retryCount != 0 || durations.contains { $0.1 != 0 }
        if disabled {
            if given { throw SandboxError("--no-healthcheck conflicts with --health-* options") }
            return nil
        }
        guard given else { return nil }
        for (flag, value, _) in durations.prefix(2) where value < 0 { throw SandboxError("\(flag) cannot be negative") }
        if retryCount < 0 { throw SandboxError("--health-retries cannot be negative") }
        for (flag, value, _) in durations.dropFirst(2) where value < 0 { throw SandboxError("\(flag) cannot be negative") }
        for (_, value, field) in durations where value != 0 && value < minimumDuration {
            throw SandboxError("\(field) in Healthcheck cannot be less than 1ms")
        }
        guard !command.isEmpty else {
            let flag = retryCount != 0 ? "--health-retries" : durations.first { $0.1 != 0 }!.0
            throw SandboxError("\(flag) needs --health-cmd: sandbox has no image whose health check it would change")
        }
        func value(_ index: Int, or fallback: Int64) -> Int64 { durations[index].1 == 0 ? fallback : durations[index].1 }
        return HealthCheck(command: command, interval: value(0, or: defaultInterval), timeout: value(1, or: defaultTimeout),
                           startPeriod: durations[2].1, startInterval: value(3, or: defaultStartInterval),
                           retries: retryCount == 0 ? defaultRetries : retryCount)
    }
}
