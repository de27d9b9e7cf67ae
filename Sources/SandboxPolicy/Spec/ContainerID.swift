/// A container's id: 64 hex digits, whose first 12 are its default hostname, as Docker's.
public struct ContainerID: Equatable, Sendable, CustomStringConvertible {
    public let value: String

    public init(randomFrom bytes: [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        value = String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xf)]] }, as: UTF8.self)
    }

    public var short: String { String(value.prefix(12)) }
    public var description: String { value }
}
