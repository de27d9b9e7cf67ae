extension OCI {
    /// One line for a decoding error: the JSON path of the value, then what was wrong with it.
    ///
    /// `process.capabilities.bounding[2]: expected a string, found a number`;
    /// `linux.sysctl["net.ipv4.ip_forward"]: expected a string, found a number`; `process.cwd: missing`.
    /// It reads any decoder's errors that follow the standard library's conventions (Foundation's JSONDecoder
    /// as well as this module's), so that every JSON reader of sandbox words its failures alike.
    public static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, let context):
            let found = foundKind(in: context.debugDescription).map { ", found \($0)" } ?? ""
            return located(context.codingPath, "expected \(expected(type))\(found)")
        case .valueNotFound(let type, let context):
            return located(context.codingPath, "expected \(expected(type)), found null")
        case .keyNotFound(let key, let context):
            return located(context.codingPath + [key], "missing")
        case .dataCorrupted(let context):
            return located(context.codingPath, context.debugDescription)
        @unknown default:
            return "\(error)"
        }
    }

    /// A coding path as written in jq: `linux.resources.devices[0].major`, members whose names are not
    /// identifiers in brackets and quotes (`annotations["io.podman.annotations.init"]`).
    static func path(_ keys: [any CodingKey]) -> String {
        keys.reduce(into: "") { text, key in
            if let index = key.intValue, key.stringValue == "Index \(index)" {
                text += "[\(index)]"
            } else if isIdentifier(key.stringValue) {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            } else {
                let escaped = key.stringValue.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
                text += "[\"\(escaped)\"]"
            }
        }
    }

    private static func located(_ keys: [any CodingKey], _ problem: String) -> String {
        keys.isEmpty ? problem : "\(path(keys)): \(problem)"
    }

    private static func isIdentifier(_ name: String) -> Bool {
        func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
        guard let first = name.unicodeScalars.first, first == "_" || isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || isLetter($0) || ("0"..."9").contains($0) }
    }

    /// What a type's values look like in JSON.
    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Double.Type, is Float.Type: return "a number"
        case is [Any].Type: return "an array"
        case is [String: Any].Type: return "an object"
        case let integer as any FixedWidthInteger.Type:
            return integer.isSigned ? "an integer" : "a non-negative integer"
        default: return "\(type)"
        }
    }

    /// The kind of value found, from the standard wording "Expected to decode X but found Y instead."
    private static func foundKind(in description: String) -> String? {
        guard let start = description.firstRange(of: " but found "), let end = description.firstRange(of: " instead."),
              start.upperBound <= end.lowerBound
        else { return nil }
        return String(description[start.upperBound..<end.lowerBound])
    }
}
