import Testing
@testable import SandboxPolicy

/// `-l, --label` and `--label-file`, as Docker reads them.
struct LabelTests {
    @Test func labels() throws {
        #expect(try Label.parse("a=b=c") == ("a", "b=c"))
        #expect(try Label.parse("a") == ("a", ""))
        #expect(try Label.parse("a=") == ("a", ""))
        let file = try Label.parse(file: "\u{FEFF}team=web\n# comment\n\n  spaced=1\r\nempty\n", path: "l")
        #expect(file.map(\.key) == ["team", "spaced", "empty"] && file.map(\.value) == ["web", "1", ""])
        let empty = #expect(throws: SandboxError.self) { try Label.parse("=b") }
        #expect(empty?.message == "invalid argument \"=b\" for \"-l, --label\" flag: invalid label '=b': empty name")
        let spaced = #expect(throws: SandboxError.self) { try Label.parse("a b=c") }
        #expect(spaced?.message == "invalid argument \"a b=c\" for \"-l, --label\" flag: label 'a b' contains whitespaces")
        let inFile = #expect(throws: SandboxError.self) { try Label.parse(file: "a=1\nc d=2\n", path: "/tmp/l") }
        #expect(inFile?.message == "invalid label file /tmp/l, line 2: label 'c d' contains whitespaces")
    }
}
