extension OCI {
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
            tree = try JSONParser.parse(text)
        } catch {
            throw DocumentError(document: document, detail: error.description)
        }
        do {
            return try T(from: JSONValueDecoder(tree))
        } catch let error as DecodingError {
            throw DocumentError(document: document, detail: describe(error))
        } catch {
            throw DocumentError(document: document, detail: "\(error)")
        }
    }

    /// The value as pretty-printed JSON: two spaces a level, members in the order the type declares them (the
    /// order runc writes), a dictionary's keys sorted, nil properties left out, and a final newline.
    public static func encode(_ value: some Encodable) throws -> String {
        try JSONValueEncoder.encode(value).text
    }

    /// The value as a tree, encoded as `encode` writes it.
    public static func tree(_ value: some Encodable) throws -> JSONValue {
        try JSONValueEncoder.encode(value)
    }

    /// A document's tree, for a reader that wants one member of it rather than the whole type; nil when its
    /// JSON is broken.
    public static func tree(parsing text: String) -> JSONValue? {
        try? JSONParser.parse(text)
    }
}
