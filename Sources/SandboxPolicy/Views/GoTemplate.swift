import SandboxJSON

/// The part of Go's text/template that `--format` is used for, in Docker's views: text with `{{.Field}}`,
/// `{{.Field.Sub}}`, `{{.}}` and `{{json .Field}}` actions, over the JSON the view prints otherwise. Anything
/// else (functions, pipelines, range, if) is refused when parsed, with one line, rather than printed wrong.
public struct GoTemplate: Equatable, Sendable {
    enum Part: Equatable, Sendable {
        case text(String)
        /// A path of member names from the value: [] is `.`.
        case field([String])
        case json([String])
    }

    let parts: [Part]

    /// As Docker's CLI, `\t` and `\n` typed in the format are a tab and a newline.
    public init(parsing format: String) throws {
        var parts: [Part] = []
        var rest = Substring(format.replacing("\\t", with: "\t").replacing("\\n", with: "\n"))
        while let open = rest.firstRange(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.text(String(rest[..<open.lowerBound]))) }
            rest = rest[open.upperBound...]
            guard let close = rest.firstRange(of: "}}") else {
                throw SandboxError("invalid --format \"\(format)\": an action opened with {{ is never closed")
            }
            let action = String(rest[..<close.lowerBound])
            rest = rest[close.upperBound...]
            parts.append(try Self.action(action, format: format))
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        self.parts = parts
    }

    /// The template applied to `value`. A missing member is "<no value>", as Go prints one of a map; a string
    /// is its text; an object or array, which Go would print as a map, is compact JSON.
    public func render(_ value: JSONValue) -> String {
        parts.map { part in
            switch part {
            case .text(let text):
                return text
            case .field(let path):
                guard let found = Self.lookup(path, in: value) else { return "<no value>" }
                switch found {
                case .string(let text): return text
                case .null: return "<nil>"
                default: return found.compactText
                }
            case .json(let path):
                return Self.lookup(path, in: value)?.compactText ?? "null"
            }
        }.joined()
    }

    private static func lookup(_ path: [String], in value: JSONValue) -> JSONValue? {
        path.reduce(Optional(value)) { found, key in found?[key] }
    }

    private static func action(_ text: String, format: String) throws -> Part {
        let words = text.split(separator: " ").map(String.init)
        if words.count == 1, let path = path(words[0]) { return .field(path) }
        if words.count == 2, words[0] == "json", let path = path(words[1]) { return .json(path) }
        throw SandboxError("--format \"\(format)\": sandbox's templates take {{.Field}}, {{.Field.Sub}} and {{json .Field}} only, not {{\(text)}}")
    }

    /// ".A.B" as ["A", "B"]; "." as [].
    private static func path(_ word: String) -> [String]? {
        guard word.hasPrefix(".") else { return nil }
        if word == "." { return [] }
        let names = word.dropFirst().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard names.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else { return nil }
        return names
    }
}
