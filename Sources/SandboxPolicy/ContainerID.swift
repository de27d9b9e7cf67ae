/// A container's id: 64 hex digits, whose first 12 are its default hostname, as Docker's.
public struct ContainerID: Equatable, Sendable, CustomStringConvertible {
    public let value: String

    public init(randomFrom bytes: [UInt8]) {
        value = bytes.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
        }.joined()
    }

    public var short: String { String(value.prefix(12)) }
    public var description: String { value }
}
