import Testing
@testable import SandboxPolicy

/// The workload's environment, built as `docker run` builds it: defaults, then `--env-file`, then `-e`.
struct EnvironmentTests {
    static let host = ["USER": "alice", "EMPTY": "", "LANG": "C.UTF-8"]

    static func environment(_ assignments: [String]) throws -> Environment {
        var environment = Environment()
        for assignment in assignments { try environment.add(assignment, host: host) }
        return environment
    }

    @Test(arguments: [
        (["A=1"], ["A=1"]),
        (["A="], ["A="]),
        (["A=b=c"], ["A=b=c"]),
        (["A= spaced value "], ["A= spaced value "]),
        // -e NAME takes the host's value, even an empty one...
        (["USER"], ["USER=alice"]),
        (["EMPTY"], ["EMPTY="]),
        // ...and is dropped when the host has none.
        (["MISSING"], []),
        (["A=1", "MISSING", "B=2"], ["A=1", "B=2"]),
        // A later NAME replaces the earlier one in place.
        (["A=1", "B=2", "A=3"], ["A=3", "B=2"]),
        (["USER=bob", "USER"], ["USER=alice"]),
        // An unset host NAME does not remove an earlier value.
        (["MISSING=1", "MISSING"], ["MISSING=1"]),
    ])
    func assignments(given: [String], expected: [String]) throws {
        #expect(try Self.environment(given).assignments == expected)
    }

    @Test(arguments: [
        ("=1", "invalid environment variable \"=1\": the name is empty"),
        ("", "invalid environment variable \"\": the name is empty"),
        ("A B=1", "invalid environment variable \"A B\": the name contains whitespace"),
        ("A\tB", "invalid environment variable \"A\tB\": the name contains whitespace"),
        (" A=1", "invalid environment variable \" A\": the name contains whitespace"),
    ])
    func refuses(assignment: String, message: String) {
        let error = #expect(throws: SandboxError.self) { try Self.environment([assignment]) }
        #expect(error?.message == message)
    }

    @Test func subscriptReadsTheCurrentValue() throws {
        let environment = try Self.environment(["A=1", "A=2"])
        #expect(environment["A"] == "2")
        #expect(environment["B"] == nil)
    }

    @Test func envFileSkipsBlankLinesAndComments() throws {
        var environment = Environment()
        try environment.add(envFile: """
            # settings
            A=1

              B=two words
            \t# indented comment
            C=#not a comment
            USER
            MISSING
               \t
            D
            """, path: "/env", host: Self.host)
        #expect(environment.assignments == ["A=1", "B=two words", "C=#not a comment", "USER=alice"])
    }

    /// The error names the file and the line, counting the blank and comment lines before it.
    @Test(arguments: [
        ("A=1\n\n# comment\nB C=2", "/tmp/env, line 4: invalid environment variable \"B C\": the name contains whitespace"),
        ("=1", "/tmp/env, line 1: invalid environment variable \"=1\": the name is empty"),
        ("A=1\nNAME \n", "/tmp/env, line 2: invalid environment variable \"NAME \": the name contains whitespace"),
    ])
    func envFileErrorNamesPathAndLine(text: String, message: String) {
        var environment = Environment()
        let error = #expect(throws: SandboxError.self) { try environment.add(envFile: text, path: "/tmp/env", host: Self.host) }
        #expect(error?.message == message)
    }

    @Test func laterDashEOverridesEnvFile() throws {
        var environment = Environment()
        try environment.add(envFile: "A=file\nB=file\n", path: "/env", host: Self.host)
        try environment.add("A=flag", host: Self.host)
        #expect(environment.assignments == ["A=flag", "B=file"])
    }

    /// Docker reads env files with a line scanner that drops the `\r` of CRLF line ends, and a UTF-8 byte
    /// order mark before the first line; a file saved on Windows works there. ("\r\n" is one Swift Character:
    /// splitting at "\n" alone would make the whole file one variable.)
    @Test(arguments: [("A=1\r\nB=2\r\n", ["A=1", "B=2"]), ("\u{FEFF}A=1\n", ["A=1"]), ("USER\r\n", ["USER=alice"])])
    func envFileFromWindows(text: String, expected: [String]) throws {
        var environment = Environment()
        try environment.add(envFile: text, path: "/env", host: Self.host)
        #expect(environment.assignments == expected)
    }

    @Test(arguments: [
        ([], false, ["PATH=\(Environment.defaultPath)", "HOSTNAME=abc", "HOME=/root"]),
        ([], true, ["PATH=\(Environment.defaultPath)", "HOSTNAME=abc", "TERM=xterm", "HOME=/root"]),
        // What the user set replaces a default in place.
        (["PATH=/bin", "HOSTNAME=other", "TERM=dumb"], true, ["PATH=/bin", "HOSTNAME=other", "TERM=dumb", "HOME=/root"]),
        (["HOME=/home/alice"], false, ["PATH=\(Environment.defaultPath)", "HOSTNAME=abc", "HOME=/home/alice"]),
        (["HOME="], false, ["PATH=\(Environment.defaultPath)", "HOSTNAME=abc", "HOME="]),
        // TERM is set only with a terminal, unless the user sets it.
        (["TERM=vt100"], false, ["PATH=\(Environment.defaultPath)", "HOSTNAME=abc", "TERM=vt100", "HOME=/root"]),
        (["A=1"], false, ["PATH=\(Environment.defaultPath)", "HOSTNAME=abc", "A=1", "HOME=/root"]),
    ])
    func withDefaults(given: [String], tty: Bool, expected: [String]) throws {
        #expect(try Self.environment(given).withDefaults(hostname: "abc", home: "/root", tty: tty).assignments == expected)
    }

    /// HOME is the workload user's home (from the container's passwd) unless the user set HOME.
    @Test(arguments: [([], "/home/alice", "/home/alice"), ([], "/", "/"), (["HOME=/srv"], "/home/alice", "/srv")])
    func homeDefault(given: [String], home: String, expected: String) throws {
        #expect(try Self.environment(given).withDefaults(hostname: "abc", home: home, tty: false)["HOME"] == expected)
    }

    /// `-e HOME` with no HOME on the host is dropped, so the default still applies.
    @Test func homeFromAnUnsetHostVariableGetsTheDefault() throws {
        var environment = Environment()
        try environment.add("HOME", host: [:])
        #expect(environment.withDefaults(hostname: "abc", home: "/root", tty: false)["HOME"] == "/root")
    }

    /// What Docker passes on as "unset" is kept, for an image's value of the name to be dropped.
    @Test func namesTheHostLacksAreKeptAsUnset() throws {
        #expect(try Self.environment(["A=1", "MISSING", "USER", "GONE"]).unset == ["MISSING", "GONE"])
    }

    @Test func equalityComparesNamesValuesAndOrder() throws {
        #expect(try Self.environment(["A=1", "B=2"]) == Self.environment(["A=1", "B=2"]))
        #expect(try Self.environment(["A=1", "B=2"]) != Self.environment(["B=2", "A=1"]))
        #expect(try Self.environment(["A=1"]) != Self.environment(["A=2"]))
    }
}
