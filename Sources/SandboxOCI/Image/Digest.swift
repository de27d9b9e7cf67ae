extension OCI.Image {
    /// A content address, `sha256:` and 64 lowercase hexadecimal digits, as go-digest validates one: every blob,
    /// manifest and layer of an image is named and checked by it. sha512 is the other algorithm the image spec
    /// registers; anything else is refused with the words go-digest uses.
    public struct Digest: Codable, Hashable, Sendable, CustomStringConvertible {
        public enum Algorithm: String, CaseIterable, Sendable {
            case sha256, sha512

            /// The hexadecimal digits of an encoded digest.
            public var length: Int {
                switch self {
                case .sha256: 64
                case .sha512: 128
                }
            }
        }

        public let algorithm: Algorithm
        /// The lowercase hexadecimal digits: a blob's file name in a store.
        public let encoded: String

        /// - Throws: one line naming what was wrong, in go-digest's words: `invalid checksum digest format`,
        ///   `invalid checksum digest length`, `unsupported digest algorithm`.
        public init(parsing text: String) throws(Refusal) {
            let parts = text.utf8.split(separator: UInt8(ascii: ":"), maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw Refusal("invalid checksum digest format \(Refusal.quote(text)): expected ALGORITHM:HEX, such as sha256: and 64 hexadecimal digits")
            }
            guard let algorithm = Algorithm(rawValue: String(decoding: parts[0], as: UTF8.self)) else {
                let supported = Algorithm.allCases.map(\.rawValue).joined(separator: ", ")
                throw Refusal("unsupported digest algorithm in \(Refusal.quote(text)) (supported: \(supported))")
            }
            guard parts[1].count == algorithm.length else {
                throw Refusal("invalid checksum digest length: \(algorithm) has \(algorithm.length) hexadecimal digits, \(Refusal.quote(text)) has \(parts[1].count)")
            }
            let hexadecimal = parts[1].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
            guard hexadecimal else {
                throw Refusal("invalid checksum digest format \(Refusal.quote(text)): lowercase hexadecimal digits only")
            }
            self.algorithm = algorithm
            encoded = String(decoding: parts[1], as: UTF8.self)
        }

        public var description: String { "\(algorithm.rawValue):\(encoded)" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            do {
                self = try Digest(parsing: try container.decode(String.self))
            } catch let error as Refusal {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(description)
        }
    }

    /// Why sandbox refuses a value of an image document or a platform (a digest, `--platform`, an index with
    /// nothing for this machine), as one line that names it.
    public struct Refusal: Error, CustomStringConvertible, Equatable, Sendable {
        public var description: String

        init(_ description: String) { self.description = description }

        /// A hostile document's value may be long: enough of it to recognise, in quotes.
        static func quote(_ text: String) -> String {
            "\"" + (text.count > 80 ? text.prefix(77) + "..." : Substring(text)) + "\""
        }
    }
}
