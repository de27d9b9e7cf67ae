/// Where in a document something is wrong, written as jq writes a path: `linux.resources.devices[0].major`, a
/// member whose name is not an identifier in brackets and quotes (`linux.sysctl["net.ipv4.ip_forward"]`).
/// The one way sandbox names a place in JSON, whether the decoder found the fault or a later check did.
public enum JSONPath {
    /// A member's step in a path: `.cwd`, or `["net.ipv4.ip_forward"]` for a name that is not an identifier.
    public static func member(_ name: String) -> String {
        guard !isIdentifier(name) else { return "." + name }
        return "[" + JSONString.quote(name) + "]"
    }

    /// A coding path, without the leading dot: `process.capabilities.bounding[2]`.
    static func text(_ keys: [any CodingKey]) -> String {
        let steps = keys.map { key in
            if let index = key.intValue, key.stringValue == "Index \(index)" { "[\(index)]" } else { member(key.stringValue) }
        }
        let path = steps.joined()
        return path.hasPrefix(".") ? String(path.dropFirst()) : path
    }

    /// One line for a decoding error: the JSON path of the value, then what was wrong with it.
    ///
    /// `process.capabilities.bounding[2]: expected a string, found a number`; `process.cwd: missing`. The
    /// decoder words its own errors whole (`JSONValueDecoder`); a type's `init(from:)` words the rest.
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return located(context.codingPath + [key], "missing")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return located(context.codingPath, context.debugDescription)
        @unknown default:
            return "\(error)"
        }
    }

    private static func located(_ keys: [any CodingKey], _ problem: String) -> String {
        keys.isEmpty ? problem : "\(text(keys)): \(problem)"
    }

    private static func isIdentifier(_ name: String) -> Bool {
        func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
        guard let first = name.unicodeScalars.first, first == "_" || isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || isLetter($0) || ("0"..."9").contains($0) }
    }
}
