import Testing
@testable import SandboxJSON

/// Strict JSON (RFC 8259), and the line and column where a document stops being JSON.
struct ParsingTests {
    /// The parser's message for `text`, or nil when it parses.
    static func failure(_ text: String) -> String? {
        do {
            _ = try JSONValue(parsing: text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        ("", "invalid JSON at line 1, column 1: expected a value"),
        (#"{"ociVersion": "1.2.1",}"#, "invalid JSON at line 1, column 24: expected a member name in double quotes"),
        ("{\n  \"ociVersion\": \"1.2.1\"\n  \"hostname\": \"x\"\n}",
         "invalid JSON at line 3, column 3: expected ',' or '}' in an object"),
        (#"{"ociVersion": "1.2.1", "process": {"cwd": "/", "args": ["sh" "-c"]}}"#,
         "invalid JSON at line 1, column 63: expected ',' or ']' in an array"),
        (#"{"ociVersion": "1.2.1"} {}"#, "invalid JSON at line 1, column 25: expected the end of the document"),
        (#"{"ociVersion": 01}"#, "invalid JSON at line 1, column 17: a number must not start with 0"),
        (#"{"n": 1.}"#, "invalid JSON at line 1, column 9: expected a digit"),
        (#"{"n": -}"#, "invalid JSON at line 1, column 8: expected a digit"),
        ("{\"ociVersion\": \"1.2.1\", \"hostname\": \"a\tb\"}",
         "invalid JSON at line 1, column 39: control character in a string (write it as an escape)"),
        (#"{"ociVersion": "\x"}"#, "invalid JSON at line 1, column 17: unknown escape in a string"),
        (#"{"ociVersion": "\ud800"}"#,
         #"invalid JSON at line 1, column 23: a \u escape of a high surrogate must be followed by one of a low surrogate"#),
        (#"{"ociVersion": tru}"#, "invalid JSON at line 1, column 16: expected a value"),
        (#"{"ociVersion": "1.2.1"#, "invalid JSON at line 1, column 22: unterminated string"),
        ("{\"é\": 1, ]", "invalid JSON at line 1, column 10: expected a member name in double quotes"),
        ("// a comment\n{}", "invalid JSON at line 1, column 1: expected a value"),
    ])
    func brokenDocumentNamesItsPlace(text: String, message: String) {
        #expect(Self.failure(text) == message)
    }

    @Test func escapesDecode() throws {
        let value = try JSONValue(parsing: #"{"hostname": "a\"b\\c\/d\u00e9\ud83d\ude00\n"}"#)
        guard case .string(let text)? = value["hostname"] else { Issue.record("no hostname in \(value.compactText)"); return }
        #expect(text == "a\"b\\c/dé😀\n")
    }

    @Test func nestingIsCapped() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(Self.failure(deep) == "invalid JSON at line 1, column 513: nested deeper than 512 levels")
    }

    /// Go keeps the last of a repeated key; so does sandbox, so that both read one document alike.
    @Test func repeatedKeyKeepsItsLastValue() throws {
        #expect(try JSONValue(parsing: #"{"a": "1.0.0", "a": "1.2.1"}"#)["a"]?.compactText == #""1.2.1""#)
    }

    /// A number stays the literal it was, so that the field it is read into decides whether it fits.
    @Test func numbersKeepTheirLiteral() throws {
        #expect(try JSONValue(parsing: "[-0, 1.50, 1E+3, 18446744073709551616]").compactText == "[-0,1.50,1E+3,18446744073709551616]")
    }
}
