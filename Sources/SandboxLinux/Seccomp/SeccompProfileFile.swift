import CSandbox
import FoundationEssentials
import SandboxPolicy

/// Reads a profile file, or the built-in default, and turns a decoding failure into one line naming the
/// file, the JSON path and what was wrong there.
public enum SeccompProfileFile {
    /// `profiles/default.json`, built in: a sandbox binary runs anywhere without its source tree.
    public static let defaultName = "default"

    public static func load(_ path: String) throws -> SeccompProfile {
        try parse(text(path), source: source(path))
    }

    /// The profile's JSON: the built-in default's, or the file's.
    static func text(_ path: String) throws -> String {
        // The C target embeds the file (#embed).
        path == defaultName ? String(cString: sbx_default_profile()) : try HostFile.read(path)
    }

    /// How messages name a profile.
    public static func source(_ path: String) -> String {
        path == defaultName ? "the default profile" : path
    }

    public static func parse(_ text: String, source: String) throws -> SeccompProfile {
        do {
            return try JSONDecoder().decode(SeccompProfile.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw SandboxError("seccomp profile \(source): \(describe(error))")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.reduce("") { text, key in
                if let index = key.intValue { return text + "[\(index)]" }
                return text.isEmpty ? key.stringValue : text + "." + key.stringValue
            }
            return text.isEmpty ? "(top level)" : text
        }
        switch error {
        case .dataCorrupted(let context):
            // JSONSerialization's own message says where the syntax broke.
            if context.codingPath.isEmpty {
                return "invalid JSON: " + (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
            }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(describe(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(describe(type)), found null"
        @unknown default:
            return "\(error)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is UInt32.Type, is UInt64.Type, is Int.Type: "a non-negative number"
        case is [Any].Type: "a list"
        case is [String: Any].Type: "an object"
        default: "\(type)"
        }
    }
}
