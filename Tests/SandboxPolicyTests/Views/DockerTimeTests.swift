import SandboxJSON
import Testing
@testable import SandboxPolicy

/// Times as Docker reads them (`--since`, the log's and the store's RFC 3339) and writes them (`ps`'s
/// CreatedAt, `logs -t`); Go templates over JSON.
struct DockerTimeTests {
    static let may1: Int64 = 1_714_557_600 * 1_000_000_000 // 2024-05-01T10:00:00Z

    @Test func rfc3339() {
        #expect(DockerTime.parse("2024-05-01T10:00:00Z") == Self.may1)
        #expect(DockerTime.parse("2024-05-01T10:00:00.5Z") == Self.may1 + 500_000_000)
        #expect(DockerTime.parse("2024-05-01T10:00:00.000000001Z") == Self.may1 + 1)
        #expect(DockerTime.parse("2024-05-01T12:00:00+02:00") == Self.may1)
        #expect(DockerTime.parse("1970-01-01T00:00:00Z") == 0)
        #expect(DockerTime.parse("2024-05-01T10:00:00") == nil) // no zone
        #expect(DockerTime.parse("2024-13-01T10:00:00Z") == nil)
        #expect(DockerTime.parse("yesterday") == nil)
        #expect(DockerTime.rfc3339(Self.may1 + 42) == "2024-05-01T10:00:00.000000042Z")
        #expect(DockerTime.rfc3339(0) == "1970-01-01T00:00:00.000000000Z")
        #expect(DockerTime.goString(Self.may1) == "2024-05-01 10:00:00 +0000 UTC")
        #expect(DockerTime.goString(951_782_400 * 1_000_000_000) == "2000-02-29 00:00:00 +0000 UTC")
    }

    /// Docker's timetypes.GetTimestamp: a duration before now, RFC 3339 or a prefix of it (local time without a
    /// zone), or Unix seconds.
    @Test func since() throws {
        let now = Self.may1
        #expect(try DockerTime.parseSince("10m", now: now, localOffset: 0) == now - 600_000_000_000)
        #expect(try DockerTime.parseSince("1h30m", now: now, localOffset: 0) == now - 5_400_000_000_000)
        #expect(try DockerTime.parseSince("-1.5s", now: now, localOffset: 0) == now + 1_500_000_000)
        #expect(throws: SandboxError.self) { try DockerTime.parseSince("99999999999h", now: now, localOffset: 0) }
        #expect(throws: SandboxError.self) { try DockerTime.parseSince("10d", now: now, localOffset: 0) }
        #expect(try DockerTime.parseSince("2024-05-01T10:00:00Z", now: now, localOffset: 3600) == Self.may1)
        #expect(try DockerTime.parseSince("2024-05-01T11:00:00", now: now, localOffset: 3600) == Self.may1)
        #expect(try DockerTime.parseSince("2024-05-01T11:00", now: now, localOffset: 3600) == Self.may1)
        #expect(try DockerTime.parseSince("2024-05-01", now: now, localOffset: 0) == Self.may1 - 36_000_000_000_000)
        #expect(try DockerTime.parseSince("1714557600", now: now, localOffset: 0) == Self.may1)
        #expect(try DockerTime.parseSince("1714557600.25", now: now, localOffset: 0) == Self.may1 + 250_000_000)
        #expect(try DockerTime.parseSince("0", now: now, localOffset: 0) == 0)
        #expect(throws: SandboxError.self) { try DockerTime.parseSince("tomorrow", now: now, localOffset: 0) }
        #expect(throws: SandboxError.self) { try DockerTime.parseSince("2024-05-01T25:00:00Z", now: now, localOffset: 0) }
        #expect(throws: SandboxError.self) { try DockerTime.parseSince("99999999999999999", now: now, localOffset: 0) }
    }

    @Test func templates() throws {
        let document = try JSONValue(encoding: Sample(State: .init(Status: "running", Pid: 42), Name: "/web", Labels: ["a": "1"]))
        #expect(try GoTemplate(parsing: "{{.State.Status}}").render(document) == "running")
        #expect(try GoTemplate(parsing: "{{ .State.Pid }} {{.Name}}").render(document) == "42 /web")
        #expect(try GoTemplate(parsing: "{{json .State}}").render(document) == "{\"Status\":\"running\",\"Pid\":42}")
        #expect(try GoTemplate(parsing: "{{json .Labels}}").render(document) == "{\"a\":\"1\"}")
        #expect(try GoTemplate(parsing: "{{.Nope}}|{{.State.Nope}}").render(document) == "<no value>|<no value>")
        #expect(try GoTemplate(parsing: "{{.Name}}\\t{{.State.Pid}}").render(document) == "/web\t42")
        #expect(throws: SandboxError.self) { try GoTemplate(parsing: "{{upper .Name}}") }
        #expect(throws: SandboxError.self) { try GoTemplate(parsing: "{{range .Labels}}{{end}}") }
        #expect(throws: SandboxError.self) { try GoTemplate(parsing: "{{.Name") }
    }

    struct Sample: Encodable {
        struct State: Encodable {
            var Status: String
            var Pid: Int
        }

        var State: State
        var Name: String
        var Labels: [String: String]
    }
}
