import Testing
@testable import SandboxPolicy

/// `--health-*`: Go's durations, Docker's defaults and rules.
private let ms: Int64 = 1_000_000, s: Int64 = 1_000_000_000

struct HealthCheckTests {
    @Test(arguments: [
        ("0", 0), ("30s", 30 * s), ("1m30s", 90 * s), ("1.5s", 1500 * ms), ("500ms", 500 * ms), ("2h45m", 9900 * s),
        ("1us", 1000), ("1µs", 1000), ("7ns", 7), ("-1s", -s), ("+2s", 2 * s), (".5s", 500 * ms), ("1.s", s),
    ] as [(String, Int64)])
    func goDurations(text: String, nanoseconds: Int64) throws {
        #expect(try GoDuration.nanoseconds(text, flag: "--x") == nanoseconds)
    }

    @Test(arguments: [
        ("1", "time: missing unit in duration \"1\""), ("", "time: invalid duration \"\""), ("s", "time: invalid duration \"s\""),
        ("1x", "time: unknown unit \"x\" in duration \"1x\""), ("1.2.3s", "time: invalid duration \"1.2.3s\""),
        ("-", "time: invalid duration \"-\""), ("1s2", "time: missing unit in duration \"1s2\""),
    ])
    func badGoDurations(text: String, reason: String) {
        let error = #expect(throws: SandboxError.self) { try GoDuration.nanoseconds(text, flag: "--health-interval") }
        #expect(error?.message == "invalid argument \"\(text)\" for \"--health-interval\" flag: \(reason)")
    }

    @Test(arguments: [(0, "0s"), (30 * s, "30s"), (90 * s, "1m30s"), (1500 * ms, "1.5s"), (300 * ms, "300ms"), (3600 * s, "1h0m0s"),
                      (1500, "1.5µs")] as [(Int64, String)])
    func goDurationsPrinted(nanoseconds: Int64, text: String) {
        #expect(GoDuration.describe(nanoseconds) == text)
    }

    static func parse(command: String? = nil, interval: String? = nil, timeout: String? = nil, startPeriod: String? = nil,
                      startInterval: String? = nil, retries: String? = nil, disabled: Bool = false) throws -> HealthCheck? {
        try HealthCheck.parse(command: command, interval: interval, timeout: timeout, startPeriod: startPeriod,
                              startInterval: startInterval, retries: retries, disabled: disabled).resolved()
    }

    static let shellTrue = ["/bin/sh", "-c", "true"]

    @Test func defaultsAreDockers() throws {
        #expect(try Self.parse(command: "true") == HealthCheck(arguments: Self.shellTrue, interval: 30 * s, timeout: 30 * s, startPeriod: 0,
                                                                 startInterval: 5 * s, retries: 3))
        // Zero is the default, as the daemon's timeoutWithDefault takes it.
        #expect(try Self.parse(command: "true", interval: "0s", retries: "0") == HealthCheck(arguments: Self.shellTrue))
        #expect(try Self.parse(command: "true", interval: "1s", timeout: "2s", startPeriod: "3s", startInterval: "4s", retries: "5")
                == HealthCheck(arguments: Self.shellTrue, interval: s, timeout: 2 * s, startPeriod: 3 * s, startInterval: 4 * s, retries: 5))
        #expect(try Self.parse() == nil)
        #expect(try Self.parse(command: "") == nil)
        #expect(try Self.parse(disabled: true) == nil)
        #expect(try HealthCheck.parse(command: nil, interval: nil, timeout: nil, startPeriod: nil, startInterval: nil, retries: nil,
                                      disabled: true).test == ["NONE"])
    }

    @Test(arguments: [
        (["cmd": "x"], true, "--no-healthcheck conflicts with --health-* options"),
        (["interval": "1s"], true, "--no-healthcheck conflicts with --health-* options"),
        (["cmd": "x", "interval": "-1s"], false, "--health-interval cannot be negative"),
        (["cmd": "x", "timeout": "-1s"], false, "--health-timeout cannot be negative"),
        (["cmd": "x", "retries": "-1"], false, "--health-retries cannot be negative"),
        (["cmd": "x", "start-period": "-1s"], false, "--health-start-period cannot be negative"),
        (["cmd": "x", "start-interval": "-1s"], false, "--health-start-interval cannot be negative"),
        (["cmd": "x", "interval": "500us"], false, "Interval in Healthcheck cannot be less than 1ms"),
        (["cmd": "x", "timeout": "1ns"], false, "Timeout in Healthcheck cannot be less than 1ms"),
        (["cmd": "x", "start-period": "1ns"], false, "StartPeriod in Healthcheck cannot be less than 1ms"),
        (["cmd": "x", "start-interval": "1ns"], false, "StartInterval in Healthcheck cannot be less than 1ms"),
        (["cmd": "x", "retries": "x"], false, "invalid argument \"x\" for \"--health-retries\" flag: expected an integer"),
        (["timeout": "1s"], false, "--health-timeout needs --health-cmd: there is no health check to change (no --health-cmd, and no HEALTHCHECK in an image)"),
        (["retries": "2"], false, "--health-retries needs --health-cmd: there is no health check to change (no --health-cmd, and no HEALTHCHECK in an image)"),
    ] as [([String: String], Bool, String)])
    func refused(flags: [String: String], disabled: Bool, message: String) {
        let error = #expect(throws: SandboxError.self) {
            try Self.parse(command: flags["cmd"], interval: flags["interval"], timeout: flags["timeout"], startPeriod: flags["start-period"],
                           startInterval: flags["start-interval"], retries: flags["retries"], disabled: disabled)
        }
        #expect(error?.message == message)
    }

    /// An image's check changed by the flags field by field, as Docker's `merge`: the flags' test and timings
    /// where given, the image's elsewhere, then the defaults; CMD runs as given, CMD-SHELL in the image's shell.
    @Test func mergedOverAnImages() throws {
        var image = HealthCheck.Settings()
        image.test = ["CMD", "/bin/check", "--quick"]
        (image.interval, image.retries, image.shell) = (10 * s, 7, ["/bin/bash", "-c"])
        var flags = try HealthCheck.parse(command: nil, interval: "2s", timeout: nil, startPeriod: nil, startInterval: nil, retries: nil, disabled: false)
        #expect(try flags.merged(over: image).resolved() == HealthCheck(arguments: ["/bin/check", "--quick"], interval: 2 * s, retries: 7))
        flags.test = ["CMD-SHELL", "curl -f localhost"]
        #expect(try flags.merged(over: image).resolved() == HealthCheck(arguments: ["/bin/bash", "-c", "curl -f localhost"], interval: 2 * s, retries: 7))
        // --no-healthcheck turns the image's off.
        let none = try HealthCheck.parse(command: nil, interval: nil, timeout: nil, startPeriod: nil, startInterval: nil, retries: nil, disabled: true)
        #expect(try none.merged(over: image).resolved() == nil)
        // The image's NONE, and an image without one.
        #expect(try HealthCheck.Settings().merged(over: HealthCheck.Settings()).resolved() == nil)
        image.test = ["NONE"]
        #expect(try HealthCheck.Settings().merged(over: image).resolved() == nil)
        // Negative retries are the default, as the daemon reads them.
        image.test = ["CMD-SHELL", "true"]
        image.retries = -2
        #expect(try HealthCheck.Settings().merged(over: image).resolved()?.retries == 3)
    }

    @Test(arguments: [
        (["CMD"], "health check [\"CMD\"] names no program to run"),
        (["CMD", ""], "health check [\"CMD\"] names no program to run"),
        (["SHELL", "true"], "unknown health check type \"SHELL\" (expected CMD, CMD-SHELL or NONE)"),
    ])
    func testsRefused(test: [String], message: String) {
        var settings = HealthCheck.Settings()
        settings.test = test
        let error = #expect(throws: SandboxError.self) { try settings.resolved() }
        #expect(error?.message == message)
    }
}
