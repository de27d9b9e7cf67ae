/// A JSON document as a tree, between its text and the Codable types.
///
/// Numbers keep their literal text, so that the field's own type decides whether one fits, with the field's
/// path in the message; objects keep their members in order, so that a written document lists its keys in the
/// order its type declares them (for the OCI documents, the order the spec and `runc spec` write). Public for
/// what is built or read member by member: `inspect` and the views' `--format`, `seccomp trace`'s profile.
public enum JSONValue {
    case null
    case bool(Bool)
    /// The literal as written: `-1`, `1.5`, `1e3`.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order. A key written twice counts once, its last value winning, as Go's
    /// encoding/json reads it: the engines that write these documents are written in Go.
    case object([(key: String, value: JSONValue)])

    /// How a message names what was found instead of what a field expected.
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSONValue {
    /// The tree of a document's text, read strictly (see `JSONParser`).
    public init(parsing text: String) throws(JSONSyntaxError) {
        self = try JSONParser.parse(text)
    }

    /// The tree `value` encodes to (see `JSONValueEncoder`).
    public init(encoding value: some Encodable) throws {
        self = try JSONValueEncoder.encode(value)
    }

    /// Pretty-printed with two spaces a level, `"key": value` as Go's and jq's output, and a final newline.
    public var text: String {
        var output = ""
        write(to: &output, indent: "")
        return output + "\n"
    }

    /// On one line without spaces, as Go's json.Marshal writes it (Docker's `{{json .X}}`).
    public var compactText: String {
        var output = ""
        writeCompact(to: &output)
        return output
    }

    /// The member `key` of an object; nil for anything else, or a missing key.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    private func writeCompact(to output: inout String) {
        switch self {
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.writeCompact(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                output += JSONString.quote(member.key)
                output += ":"
                member.value.writeCompact(to: &output)
            }
            output += "}"
        default:
            write(to: &output, indent: "")
        }
    }

    private func write(to output: inout String, indent: String) {
        let inner = indent + "  "
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let literal): output += literal
        case .string(let text): output += JSONString.quote(text)
        case .array(let elements) where elements.isEmpty: output += "[]"
        case .array(let elements):
            output += "[\n"
            for (index, element) in elements.enumerated() {
                output += inner
                element.write(to: &output, indent: inner)
                output += index == elements.count - 1 ? "\n" : ",\n"
            }
            output += indent + "]"
        case .object(let members) where members.isEmpty: output += "{}"
        case .object(let members):
            output += "{\n"
            for (index, member) in members.enumerated() {
                output += inner
                output += JSONString.quote(member.key)
                output += ": "
                member.value.write(to: &output, indent: inner)
                output += index == members.count - 1 ? "\n" : ",\n"
            }
            output += indent + "}"
        }
    }
}
