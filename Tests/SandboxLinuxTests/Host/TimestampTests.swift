import Testing
@testable import SandboxLinux

/// The state store's times: RFC 3339 in UTC with nine digits of nanoseconds, as runc's Go writes them.
struct TimestampTests {
    @Test func utcWithNineFractionDigits() {
        #expect(Timestamp.format(seconds: 0, nanoseconds: 0) == "1970-01-01T00:00:00.000000000Z")
        #expect(Timestamp.format(seconds: 1_796_086_923, nanoseconds: 42) == "2026-12-01T01:02:03.000000042Z")
        #expect(Timestamp.format(seconds: 951_782_400, nanoseconds: 999_999_999) == "2000-02-29T00:00:00.999999999Z")
    }

    @Test func nowParsesAsItsOwnFormat() {
        let now = Timestamp.now()
        #expect(now.count == 30)
        #expect(now.hasSuffix("Z"))
        #expect(Array(now)[10] == "T")
    }
}
