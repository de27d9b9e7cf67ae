/// A detached container's health check: what its monitor runs inside it, as `exec` would, to learn whether it
/// works, and how often; resolved from `--health-*` and the image's `HEALTHCHECK` by Docker's rules
/// (daemon/health.go). Durations are in nanoseconds, defaults applied.
public struct HealthCheck: Codable, Equatable, Sendable {
    /// What runs: `/bin/sh -c COMMAND` for `--health-cmd` and a `CMD-SHELL` test (the image's `SHELL` in place
    /// of `/bin/sh -c` when it has one), the program and its arguments for a `CMD` test.
    public var arguments: [String]
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
    /// What runs a `CMD-SHELL` test when the image names no shell.
    public static let defaultShell = ["/bin/sh", "-c"]

    public init(arguments: [String], interval: Int64 = defaultInterval, timeout: Int64 = defaultTimeout, startPeriod: Int64 = 0,
                startInterval: Int64 = defaultStartInterval, retries: Int = defaultRetries) {
        self.arguments = arguments
        self.interval = interval
        self.timeout = timeout
        self.startPeriod = startPeriod
        self.startInterval = startInterval
        self.retries = retries
    }
}

extension HealthCheck {
    /// A health check as Docker's `HealthConfig` describes one, before defaults: what `--health-*` give, what an
    /// image's `HEALTHCHECK` gives, and the two merged field by field, the flags' winning. Zero (or an empty
    /// test) means "not said": the image's then, or the default.
    public struct Settings: Equatable, Sendable {
        /// Docker's test: `[]` not said, `["NONE"]` none (`--no-healthcheck`), `["CMD-SHELL", command]`
        /// (`--health-cmd`), `["CMD", program, arguments...]`.
        public var test: [String] = []
        public var interval: Int64 = 0
        public var timeout: Int64 = 0
        public var startPeriod: Int64 = 0
        public var startInterval: Int64 = 0
        public var retries = 0
        /// The image's `SHELL`, which runs a `CMD-SHELL` test; nil: `/bin/sh -c`.
        public var shell: [String]?

        public init() {}

        /// Whether anything asks for a check: a test other than NONE, or a timing to change one.
        public var asksForCheck: Bool {
            (!test.isEmpty && test != ["NONE"]) || interval != 0 || timeout != 0 || startPeriod != 0 || startInterval != 0 || retries != 0
        }

        /// The flag a user gave, for messages: `--health-cmd`, else the first timing given.
        var firstFlag: String {
            if !test.isEmpty { return "--health-cmd" }
            let timings = [("--health-interval", interval), ("--health-timeout", timeout), ("--health-start-period", startPeriod),
                           ("--health-start-interval", startInterval), ("--health-retries", Int64(retries))]
            return timings.first { $0.1 != 0 }?.0 ?? "--health-cmd"
        }

        /// These settings with what they leave unsaid taken from `base` (the image's), as Docker's `merge`.
        public func merged(over base: Settings) -> Settings {
            var result = self
            if result.test.isEmpty { result.test = base.test }
            if result.interval == 0 { result.interval = base.interval }
            if result.timeout == 0 { result.timeout = base.timeout }
            if result.startPeriod == 0 { result.startPeriod = base.startPeriod }
            if result.startInterval == 0 { result.startInterval = base.startInterval }
            if result.retries == 0 { result.retries = base.retries }
            if result.shell == nil { result.shell = base.shell }
            return result
        }

        /// The check that runs, Docker's defaults for what is still zero; nil for none (no test, or NONE).
        /// - Throws: for timings with no test to time, which Docker ignores and sandbox refuses, and for a test
        ///   Docker would not run (an unknown type, CMD with no program).
        public func resolved() throws -> HealthCheck? {
            let arguments: [String]
            switch test.first {
            case nil:
                guard !asksForCheck else {
                    throw SandboxError("\(firstFlag) needs --health-cmd: there is no health check to change (no --health-cmd, and no HEALTHCHECK in an image)")
                }
                return nil
            case "NONE": return nil
            case "CMD":
                guard test.count > 1, !test[1].isEmpty else { throw SandboxError("health check [\"CMD\"] names no program to run") }
                arguments = Array(test.dropFirst())
            case "CMD-SHELL":
                arguments = (shell ?? HealthCheck.defaultShell) + test.dropFirst()
            case let kind?:
                throw SandboxError("unknown health check type \"\(kind)\" (expected CMD, CMD-SHELL or NONE)")
            }
            return HealthCheck(arguments: arguments, interval: interval == 0 ? defaultInterval : interval,
                               timeout: timeout == 0 ? defaultTimeout : timeout, startPeriod: startPeriod,
                               startInterval: startInterval == 0 ? defaultStartInterval : startInterval,
                               retries: retries <= 0 ? defaultRetries : retries)
        }
    }

    /// What `--health-cmd` and its timing flags say, checked as Docker's CLI and daemon check them: durations
    /// never negative, and at least a millisecond when given. Zero means "not said", as in Docker.
    public static func parse(command: String?, interval: String?, timeout: String?, startPeriod: String?, startInterval: String?,
                             retries: String?, disabled: Bool) throws -> Settings {
        let durations = try [("--health-interval", interval, "Interval"), ("--health-timeout", timeout, "Timeout"),
                             ("--health-start-period", startPeriod, "StartPeriod"), ("--health-start-interval", startInterval, "StartInterval")]
            .map { flag, text, field in (flag, try text.map { try GoDuration.nanoseconds($0, flag: flag) } ?? 0, field) }
        let retryCount = try retries.map { Int(try ResourceLimits.integer($0, flag: "--health-retries")) } ?? 0
        let command = command ?? ""
        var settings = Settings()
        if disabled {
            if !command.isEmpty || retryCount != 0 || durations.contains(where: { $0.1 != 0 }) {
                throw SandboxError("--no-healthcheck conflicts with --health-* options")
            }
            settings.test = ["NONE"]
            return settings
        }
        for (flag, value, _) in durations.prefix(2) where value < 0 { throw SandboxError("\(flag) cannot be negative") }
        if retryCount < 0 { throw SandboxError("--health-retries cannot be negative") }
        for (flag, value, _) in durations.dropFirst(2) where value < 0 { throw SandboxError("\(flag) cannot be negative") }
        for (_, value, field) in durations where value != 0 && value < minimumDuration {
            throw SandboxError("\(field) in Healthcheck cannot be less than 1ms")
        }
        if !command.isEmpty { settings.test = ["CMD-SHELL", command] }
        (settings.interval, settings.timeout, settings.startPeriod, settings.startInterval) = (durations[0].1, durations[1].1, durations[2].1, durations[3].1)
        settings.retries = retryCount
        return settings
    }
}
