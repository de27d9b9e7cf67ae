import Testing
@testable import SandboxLinux

/// How dockerd turns checks into a status, as the health checker records them.
struct HealthCheckerTests {
    static func check(_ exitCode: Int32, _ number: Int = 0) -> ContainerRecord.Health.Check {
        .init(start: "\(number)", end: "\(number)", exitCode: exitCode, output: "")
    }

    /// dockerd's handleProbeResult: one success is healthy; `retries` failures in a row are unhealthy; in the
    /// start period, failures before the first success do not count; five checks are kept.
    @Test func statusFollowsTheChecks() {
        var health = ContainerRecord.Health(status: .starting)
        health.record(Self.check(1), retries: 2, inStartPeriod: false)
        #expect(health.status == .starting && health.failingStreak == 1)
        health.record(Self.check(0), retries: 2, inStartPeriod: false)
        #expect(health.status == .healthy && health.failingStreak == 0)
        health.record(Self.check(1), retries: 2, inStartPeriod: false)
        #expect(health.status == .healthy && health.failingStreak == 1)
        health.record(Self.check(-1), retries: 2, inStartPeriod: false)
        #expect(health.status == .unhealthy && health.failingStreak == 2)
        health.record(Self.check(0), retries: 2, inStartPeriod: false)
        #expect(health.status == .healthy)

        var starting = ContainerRecord.Health(status: .starting)
        for number in 0..<7 { starting.record(Self.check(1, number), retries: 1, inStartPeriod: true) }
        #expect(starting.status == .starting && starting.failingStreak == 0)
        #expect(starting.log.map(\.start) == ["2", "3", "4", "5", "6"])
        starting.record(Self.check(1), retries: 1, inStartPeriod: false)
        #expect(starting.status == .unhealthy)
        // Once healthy, a failure counts in the start period too.
        var healthy = ContainerRecord.Health(status: .healthy)
        healthy.record(Self.check(1), retries: 1, inStartPeriod: true)
        #expect(healthy.status == .unhealthy)
    }
}
