import ArgumentParser
import SandboxPolicy

/// Docker's health check of a detached container: a command its monitor runs inside it, as `exec` would, whose
/// results `ps` shows as (health: starting), (healthy) or (unhealthy). Durations in Go's form: 500ms, 30s, 1m30s.
struct HealthOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The check, run with /bin/sh -c inside the container; exit status 0 is healthy (needs -d).",
                               valueName: "command"))
    var healthCmd: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The time from one check's end to the next (default 30s).", valueName: "duration"))
    var healthInterval: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The longest a check may run before it fails (default 30s).", valueName: "duration"))
    var healthTimeout: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Failures in a row that make the container unhealthy (default 3).", valueName: "number"))
    var healthRetries: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The time the container has to start, in which failures do not count (default 0s).", valueName: "duration"))
    var healthStartPeriod: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The interval during the start period, until a check succeeds (default 5s).", valueName: "duration"))
    var healthStartInterval: String?

    @Flag(help: "No health check, not even the image's.")
    var noHealthcheck = false

    func apply(to spec: inout RunSpec) throws {
        spec.health = try HealthCheck.parse(
            command: healthCmd, interval: healthInterval, timeout: healthTimeout, startPeriod: healthStartPeriod,
            startInterval: healthStartInterval, retries: healthRetries, disabled: noHealthcheck)
    }
}
