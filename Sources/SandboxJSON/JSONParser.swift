/// Where a document's text stops being JSON (RFC 8259), by line and column, so that a hand-edited config.json
/// names the place of its stray comma.
public struct JSONSyntaxError: Error, CustomStringConvertible, Equatable, Sendable {
    public var line: Int
    public var column: Int
    public var problem: String

    public var description: String { "invalid JSON at line \(line), column \(column): \(problem)" }
}

/// Parses strict JSON into a `JSONValue`: no trailing commas, comments or leading zeros, strings free of raw
/// control characters, and nesting capped so that a hostile document cannot exhaust the stack.
struct JSONParser {
    /// Far deeper than any OCI document, and where FoundationEssentials stops too.
    static let maximumDepth = 512

    private let bytes: [UInt8]
    private var offset = 0
    private var depth = 0

    private init(_ text: String) { bytes = Array(text.utf8) }

    static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(text)
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.offset == parser.bytes.count else { throw parser.failure("expected the end of the document") }
        return value
    }

    private mutating func value() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard let byte = peek() else { throw failure("expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure("expected a value")
        }
    }

    /// Steps into an object or array; the caller steps out with `depth -= 1`.
    private mutating func enter() throws(JSONSyntaxError) {
        guard depth < Self.maximumDepth else { throw failure("nested deeper than \(Self.maximumDepth) levels") }
        depth += 1
        offset += 1
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if consume("}") { return .object(members) }
        repeat {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw failure("expected a member name in double quotes") }
            let key = try string()
            skipWhitespace()
            guard consume(":") else { throw failure("expected ':' after a member name") }
            members.append((key, try value()))
            skipWhitespace()
        } while consume(",")
        guard consume("}") else { throw failure("expected ',' or '}' in an object") }
        return .object(members)
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        var elements: [JSONValue] = []
        skipWhitespace()
        if consume("]") { return .array(elements) }
        repeat {
            elements.append(try value())
            skipWhitespace()
        } while consume(",")
        guard consume("]") else { throw failure("expected ',' or ']' in an array") }
        return .array(elements)
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        offset += 1
        var text: [UInt8] = []
        while let byte = peek() {
            offset += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"): text.append(contentsOf: try escape())
            case ..<0x20: offset -= 1; throw failure("control character in a string (write it as an escape)")
            default: text.append(byte)
            }
        }
        throw failure("unterminated string")
    }

    /// The UTF-8 bytes an escape stands for; `\u` escapes of UTF-16 surrogates must come in pairs.
    private mutating func escape() throws(JSONSyntaxError) -> [UInt8] {
        guard let byte = peek() else { throw failure("unterminated string") }
        offset += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
            UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let replacement = simple[byte] { return [replacement] }
        guard byte == UInt8(ascii: "u") else { offset -= 2; throw failure("unknown escape in a string") }
        var code = try hexQuad()
        if (0xD800..<0xDC00).contains(code) {
            let pairing = "a \\u escape of a high surrogate must be followed by one of a low surrogate"
            guard consume("\\"), consume("u") else { throw failure(pairing) }
            let low = try hexQuad()
            guard (0xDC00..<0xE000).contains(low) else { throw failure(pairing) }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw failure("a \\u escape of a lone low surrogate") }
        return Array(String(scalar).utf8)
    }

    private mutating func hexQuad() throws(JSONSyntaxError) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = UInt32(String(UnicodeScalar(byte)), radix: 16) else {
                throw failure("expected four hexadecimal digits after \\u")
            }
            code = code << 4 | digit
            offset += 1
        }
        return code
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, returned as written.
    private mutating func number() throws(JSONSyntaxError) -> String {
        let start = offset
        _ = consume("-")
        if consume("0") {
            if let next = peek(), isDigit(next) { throw failure("a number must not start with 0") }
        } else {
            try digits()
        }
        if consume(".") { try digits() }
        if consume("e") || consume("E") {
            if !consume("+") { _ = consume("-") }
            try digits()
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    private mutating func digits() throws(JSONSyntaxError) {
        guard let first = peek(), isDigit(first) else { throw failure("expected a digit") }
        while let next = peek(), isDigit(next) { offset += 1 }
    }

    private mutating func literal(_ word: String) throws(JSONSyntaxError) {
        let start = offset
        for expected in word.utf8 {
            guard peek() == expected else {
                offset = start
                throw failure("expected a value")
            }
            offset += 1
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func consume(_ character: Unicode.Scalar) -> Bool {
        guard peek() == UInt8(ascii: character) else { return false }
        offset += 1
        return true
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), [0x20, 0x09, 0x0A, 0x0D].contains(byte) { offset += 1 }
    }

    /// A failure at the current offset: lines count from 1, columns in characters from 1.
    private func failure(_ problem: String) -> JSONSyntaxError {
        let before = bytes[..<min(offset, bytes.count)]
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let line = before.count(where: { $0 == 0x0A }) + 1
        let column = String(decoding: bytes[lineStart..<before.endIndex], as: UTF8.self).count + 1
        return JSONSyntaxError(line: line, column: column, problem: problem)
    }
}
