import Testing
@testable import SandboxPolicy

/// /etc/passwd and /etc/group, the container's or the host's, read as glibc's files module reads them.
struct AccountFileTests {
    static let passwd = "root:x:0:0:root:/root:/bin/sh\r\n# svc:x:7:7::/:/bin/false\n\nshort\nalice:x:1000:1000::/home/alice:/bin/sh\nalias:x:1000:5::/:/bin/sh\nalice:x:2000:2000::/:/bin/sh\n"

    @Test func entriesAreLinesSplitAtColonsWithoutCommentsOrBlankLines() {
        let file = AccountFile(parsing: Self.passwd)
        #expect(file.entries.map(\.name) == ["root", "short", "alice", "alias", "alice"])
        #expect(file.entries[0].fields == ["root", "x", "0", "0", "root", "/root", "/bin/sh"], "a CRLF line ends before its \\r")
        #expect(file.entries[1].id == nil && file.entries[1][1] == nil)
    }

    /// As getpwnam and getpwuid answer from a file: the first entry that matches.
    @Test func theFirstEntryOfANameOrAnIdAnswers() {
        let file = AccountFile(parsing: Self.passwd)
        #expect(file.entry(named: "alice")?[5] == "/home/alice")
        #expect(file.entry(id: 1000)?.name == "alice")
        #expect(file.entry(named: "bob") == nil && file.entry(id: 7) == nil)
    }

    @Test(arguments: [nil, "", "\n\n"]) func aMissingOrEmptyFileHasNoEntries(text: String?) {
        #expect(AccountFile(parsing: text).entries.isEmpty)
    }
}
