/// A JSON string literal, written once for config.json, state.json, the json-file log and --log's lines.
public enum JSONString {
    /// Escapes only what JSON requires (quote, backslash, control characters): paths keep their slashes and
    /// text outside ASCII stays readable UTF-8.
    public static func quote(_ text: String) -> String {
        var output: [UInt8] = [UInt8(ascii: "\"")]
        output.reserveCapacity(text.utf8.count + 2)
        escape(text.utf8, into: &output)
        output.append(UInt8(ascii: "\""))
        return String(decoding: output, as: UTF8.self)
    }

    /// The text's UTF-8 bytes, which must be valid, escaped as `quote` escapes them and without the quotes,
    /// appended to `output`: for a writer that builds its JSON as bytes (the json-file log).
    @inlinable
    public static func escape<Bytes: Sequence<UInt8>>(_ text: Bytes, into output: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        for byte in text {
            switch byte {
            case UInt8(ascii: "\""), backslash:
                output.append(backslash)
                output.append(byte)
            case UInt8(ascii: "\n"): output.append(backslash); output.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): output.append(backslash); output.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): output.append(backslash); output.append(UInt8(ascii: "t"))
            case 0x08: output.append(backslash); output.append(UInt8(ascii: "b"))
            case 0x0C: output.append(backslash); output.append(UInt8(ascii: "f"))
            case ..<0x20:
                let digits: StaticString = "0123456789abcdef"
                output.append(backslash)
                output.append(UInt8(ascii: "u"))
                output.append(UInt8(ascii: "0"))
                output.append(UInt8(ascii: "0"))
                output.append(digits.utf8Start[Int(byte >> 4)])
                output.append(digits.utf8Start[Int(byte & 0xF)])
            default:
                output.append(byte)
            }
        }
    }
}
