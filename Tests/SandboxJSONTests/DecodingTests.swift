import Testing
@testable import SandboxJSON

/// Codable through the tree: a value must have the kind its type asks for and fit it, and every failure is one
/// line, the document's name, the value's JSON path, and what was wrong there.
struct DecodingTests {
    struct Sample: Decodable, Equatable {
        struct User: Decodable, Equatable {
            var uid: UInt32
            var groups: [UInt32]?
        }

        var name: String
        var user: User?
        var enabled: Bool?
        var score: Int64?
        var ratio: Double?
        var labels: [String: String]?
        var users: [User]?
    }

    static func failure(_ members: String) -> String? {
        do {
            _ = try JSON.decode(Sample.self, from: #"{"name": "a", "# + members + "}", document: "sample.json")
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        (#""user": {"uid": -1}"#, "user.uid: expected an integer from 0 to 4294967295, found -1"),
        (#""user": {"uid": 4294967296}"#, "user.uid: expected an integer from 0 to 4294967295, found 4294967296"),
        (#""user": {"uid": 1.5}"#, "user.uid: expected an integer, found 1.5"),
        (#""user": {"uid": 1e3}"#, "user.uid: expected an integer, found 1e3"),
        (#""user": {"uid": "0"}"#, "user.uid: expected a non-negative integer, found a string"),
        (#""user": {"uid": null}"#, "user.uid: expected a non-negative integer, found null"),
        (#""user": {}"#, "user.uid: missing"),
        (#""user": []"#, "user: expected an object, found an array"),
        (#""user": {"uid": 0, "groups": [1, "2"]}"#, "user.groups[1]: expected a non-negative integer, found a string"),
        (#""users": [{"uid": 0}, {"uid": true}]"#, "users[1].uid: expected a non-negative integer, found a boolean"),
        (#""enabled": "yes""#, "enabled: expected true or false, found a string"),
        (#""score": "64m""#, "score: expected an integer, found a string"),
        (#""score": 9223372036854775808"#,
         "score: expected an integer from -9223372036854775808 to 9223372036854775807, found 9223372036854775808"),
        (#""ratio": "1""#, "ratio: expected a number, found a string"),
        (#""ratio": 1e999"#, "ratio: 1e999 does not fit Double"),
        (#""labels": {"io.example.x": 1}"#, #"labels["io.example.x"]: expected a string, found a number"#),
        (#""labels": {"plain_key1": false}"#, "labels.plain_key1: expected a string, found a boolean"),
        (#""labels": ["a"]"#, "labels: expected an object, found an array"),
    ])
    func wrongValueNamesItsPath(members: String, message: String) {
        #expect(Self.failure(members) == "sample.json: " + message)
    }

    @Test func theDocumentItselfHasNoPath() {
        #expect(throws: JSON.DocumentError(document: "sample.json", detail: "expected an object, found an array")) {
            try JSON.decode(Sample.self, from: "[]", document: "sample.json")
        }
        #expect(throws: JSON.DocumentError(document: "sample.json", detail: "name: missing")) {
            try JSON.decode(Sample.self, from: "{}", document: "sample.json")
        }
        #expect(throws: JSON.DocumentError(document: "sample.json", detail: "invalid JSON at line 1, column 2: expected a member name in double quotes")) {
            try JSON.decode(Sample.self, from: "{,}", document: "sample.json")
        }
    }

    /// Go reads `null` as absent, and engines write it; properties the type does not know are ignored.
    @Test func nullReadsAsAbsentAndUnknownMembersAreIgnored() throws {
        let sample = try JSON.decode(Sample.self, from: #"{"name": "a", "user": null, "future": {"deep": [1, null]}}"#, document: "sample.json")
        #expect(sample == Sample(name: "a"))
    }

    /// A type's own check speaks in its own words, at the path the decoder reached.
    @Test func aTypesOwnErrorIsPlacedToo() {
        struct Port: Decodable {
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                let port = try container.decode(UInt16.self)
                guard port > 0 else { throw DecodingError.dataCorruptedError(in: container, debugDescription: "port 0 is no port") }
            }
        }
        struct Service: Decodable { var ports: [String: [Port]] }
        #expect(throws: JSON.DocumentError(document: "s", detail: #"ports["web/tcp"][1]: port 0 is no port"#)) {
            try JSON.decode(Service.self, from: #"{"ports": {"web/tcp": [80, 0]}}"#, document: "s")
        }
    }

    @Test(arguments: [("cwd", ".cwd"), ("_x1", "._x1"), ("net.ipv4.ip_forward", #"["net.ipv4.ip_forward"]"#),
                      ("1st", #"["1st"]"#), ("", #"[""]"#), (#"a"b\"#, #"["a\"b\\"]"#)])
    func aMemberIsNamedAsJqNamesIt(name: String, step: String) {
        #expect(JSONPath.member(name) == step)
    }
}
