import Testing
@testable import SandboxJSON

/// What sandbox writes: members in the order the type declares them, a dictionary's keys sorted, nil left out,
/// strings escaped only where JSON requires, and read back the same.
struct EncodingTests {
    struct Sample: Codable, Equatable {
        var name: String
        var mounts: [String]?
        var annotations: [String: String]?
        var hostname: String?
        var limit: Int64?
    }

    @Test func membersComeInDeclarationOrderAndNilIsLeftOut() throws {
        let sample = Sample(name: "a", mounts: ["/proc"], hostname: "h", limit: -1)
        #expect(try JSON.encode(sample) == """
            {
              "name": "a",
              "mounts": [
                "/proc"
              ],
              "hostname": "h",
              "limit": -1
            }

            """)
        #expect(try JSONValue(encoding: sample).compactText == #"{"name":"a","mounts":["/proc"],"hostname":"h","limit":-1}"#)
    }

    /// An empty list and an absent one are different documents; both survive.
    @Test func emptyAndAbsentStayApart() throws {
        let sample = try JSON.decode(Sample.self, from: #"{"name": "a", "mounts": [], "annotations": {}}"#, document: "sample.json")
        #expect(sample.mounts == [] && sample.annotations == [:] && sample.hostname == nil)
        #expect(try JSON.encode(sample) == "{\n  \"name\": \"a\",\n  \"mounts\": [],\n  \"annotations\": {}\n}\n")
    }

    @Test func dictionariesAreWrittenSorted() throws {
        let sample = Sample(name: "a", annotations: Dictionary(uniqueKeysWithValues: (0..<50).map { ("key\($0)", "\($0)") }))
        let text = try JSON.encode(sample)
        let keys = text.split(separator: "\n").filter { $0.hasPrefix("    \"key") }.map { $0.split(separator: "\"")[1] }
        #expect(keys == keys.sorted() && keys.count == 50)
    }

    @Test func stringsAreEscapedOnlyWhereJSONRequires() throws {
        let sample = Sample(name: "a", hostname: "a\"b\\c/dé\n\u{01}\t")
        #expect(try JSON.encode(sample).contains(#""hostname": "a\"b\\c/dé\n\u0001\t""#))
        #expect(try JSON.decode(Sample.self, from: JSON.encode(sample), document: "again") == sample)
        #expect(JSONString.quote("\u{1F}\u{08}\u{0C}\r") == #""\u001f\b\f\r""#)
    }

    @Test func aNumberJSONCannotHoldIsRefused() {
        struct Ratio: Encodable { var value: Double }
        #expect(throws: EncodingError.self) { try JSON.encode(Ratio(value: .infinity)) }
        #expect(throws: EncodingError.self) { try JSON.encode(Ratio(value: .nan)) }
    }
}
