/// Every JSON document sandbox reads or writes: the OCI documents, Docker-format seccomp profiles, container
/// records, the monitor's configuration, the json-file log, and what the commands print.
///
/// One library rather than FoundationEssentials' JSONDecoder and JSONEncoder, which on Linux report a number
/// that does not fit its field (`"uid": -1`) and every syntax error as "not valid JSON" with no path and no
/// place, accept a trailing comma, and write keys in a different order on every run. Here a syntax error names
/// its line and column, a wrong value its JSON path, and a written document lists its members in the order its
/// type declares them; and none of it is Foundation, which a container's start does without.
public enum JSON {
    /// Why a document could not be read, as one line: `config.json: process.user.uid: expected an integer
    /// from 0 to 4294967295, found -1`. The parts stay apart for a caller that adds its own context.
    public struct DocumentError: Error, CustomStringConvertible, Equatable, Sendable {
        /// How messages name the document: `config.json`, a path, "the default profile".
        public var document: String
        /// Where in it and what was wrong there, or where its JSON syntax broke.
        public var detail: String

        public init(document: String, detail: String) {
            self.document = document
            self.detail = detail
        }

        public var description: String { "\(document): \(detail)" }
    }

    /// Reads a JSON document strictly: its syntax (with line and column when broken), then every field the
    /// type knows (with the field's path when wrong); properties the type does not know are ignored.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String,
                                            document: String) throws(DocumentError) -> T {
        let tree: JSONValue
        do {
            tree = try JSONValue(parsing: text)
        } catch {
            throw DocumentError(document: document, detail: error.description)
        }
        do {
            return try T(from: JSONValueDecoder(tree))
        } catch let error as DecodingError {
            throw DocumentError(document: document, detail: JSONPath.describe(error))
        } catch {
            throw DocumentError(document: document, detail: "\(error)")
        }
    }

    /// The value as pretty-printed JSON: two spaces a level, members in the order the type declares them (the
    /// order runc writes the OCI documents), a dictionary's keys sorted, nil properties left out, and a final
    /// newline.
    public static func encode(_ value: some Encodable) throws -> String {
        try JSONValue(encoding: value).text
    }
}
