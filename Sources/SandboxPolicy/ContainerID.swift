/// A container's id: 64 hex digits, whose first 12 are its default hostname, as Docker's.
public struct ContainerID: Equatable, Sendable, CustomStringConvertible {
    public let value: String

    public init(randomFrom bytes: [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        value = String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xf)]] }, as: UTF8.self)
    }

    /// An id as `short`'s 64 hex digits give it back; nil for anything else.
    public init?(hex: String) {
        guard hex.utf8.count == 64, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        value = hex
    }

    public var short: String { String(value.prefix(12)) }
    public var description: String { value }
}
