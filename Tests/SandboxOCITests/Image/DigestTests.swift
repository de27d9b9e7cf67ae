import SandboxJSON
import Testing
@testable import SandboxOCI

/// Digests as go-digest validates them, with its words for what is wrong.
struct DigestTests {
    static let hex64 = String(repeating: "0123456789abcdef", count: 4)

    @Test(arguments: [("sha256:" + hex64, OCI.Image.Digest.Algorithm.sha256), ("sha512:" + hex64 + hex64, .sha512)])
    func valid(text: String, algorithm: OCI.Image.Digest.Algorithm) throws {
        let digest = try OCI.Image.Digest(parsing: text)
        #expect(digest.algorithm == algorithm)
        #expect(digest.encoded == String(text.split(separator: ":")[1]))
        #expect(digest.description == text)
    }

    static let format = "expected ALGORITHM:HEX, such as sha256: and 64 hexadecimal digits"
    static let upper: String = "sha256:" + hex64.uppercased()
    static let notHex: String = "sha256:" + String(hex64.dropLast()) + "g"
    static let refusals: [(String, String)] = [
        ("", "invalid checksum digest format \"\": \(format)"),
        (hex64, "invalid checksum digest format \"\(hex64)\": \(format)"),
        ("sha256:", "invalid checksum digest format \"sha256:\": \(format)"),
        (":" + hex64, "invalid checksum digest format \":\(hex64)\": \(format)"),
        ("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm in \"md5:d41d8cd98f00b204e9800998ecf8427e\" (supported: sha256, sha512)"),
        ("SHA256:" + hex64, "unsupported digest algorithm in \"SHA256:\(hex64)\" (supported: sha256, sha512)"),
        ("sha384:" + hex64, "unsupported digest algorithm in \"sha384:\(hex64)\" (supported: sha256, sha512)"),
        ("sha256:abc", "invalid checksum digest length: sha256 has 64 hexadecimal digits, \"sha256:abc\" has 3"),
        ("sha512:" + hex64, "invalid checksum digest length: sha512 has 128 hexadecimal digits, \"sha512:\(hex64)\" has 64"),
        (upper, "invalid checksum digest format \"\(upper)\": lowercase hexadecimal digits only"),
        (notHex, "invalid checksum digest format \"\(notHex)\": lowercase hexadecimal digits only"),
        ("sha256:" + hex64 + "0", "invalid checksum digest length: sha256 has 64 hexadecimal digits, \"sha256:\(hex64)0\" has 65"),
    ]

    @Test(arguments: refusals)
    func refused(text: String, message: String) {
        let error = #expect(throws: OCI.Image.Refusal.self) { try OCI.Image.Digest(parsing: text) }
        #expect(error?.description == message)
    }

    /// A hostile document's long value is quoted in part.
    @Test func longValuesAreShortened() {
        let text = "sha256:" + String(repeating: "a", count: 1000)
        let error = #expect(throws: OCI.Image.Refusal.self) { try OCI.Image.Digest(parsing: text) }
        #expect(error?.description == "invalid checksum digest length: sha256 has 64 hexadecimal digits, \"sha256:\(String(repeating: "a", count: 70))...\" has 1000")
    }

    /// In a document, a bad digest is named by its JSON path.
    @Test func inADocument() {
        let text = #"{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "sha256:abc", "size": 1}"#
        let error = #expect(throws: JSON.DocumentError.self) { try JSON.decode(OCI.Image.Descriptor.self, from: text, document: "layer") }
        #expect(error?.description == "layer: digest: invalid checksum digest length: sha256 has 64 hexadecimal digits, \"sha256:abc\" has 3")
    }
}
