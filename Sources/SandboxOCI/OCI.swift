/// The OCI runtime specification's documents, as values: `config.json` (`OCI.Config`), the state a runtime
/// reports (`OCI.State`) and its features (`OCI.Features`). Pure data: nothing here touches the host.
///
/// How the types read the spec, so that what a document means is never decided twice:
/// - A property is non-optional exactly when the spec's JSON schema requires it (`process.cwd`,
///   `mounts[].destination`). What only the prose requires (`root` on Linux, `process.user.uid`, a first entry
///   in `args`) and every value rule (ranges, patterns, pairs of fields) is for validation to check, with a
///   message about the meaning rather than the syntax.
/// - Absent and `null` both read as nil, as Go's encoding/json reads them; nil is left out when written.
/// - Integer widths are the schema's (`uid` is `UInt32`, `memory.limit` is `Int64` since -1 means unlimited);
///   the schema's plain "integer" is `Int`.
/// - A string the schema draws from a closed list is a `Token` enum, so an unknown one fails with the list; an
///   open list (capability and rlimit names, mount options) stays a string for the policy to check.
/// - Unknown properties are ignored, as the spec requires of a runtime. The Windows, Solaris, VM and z/OS
///   sections are unknown properties to a Linux runtime; the two Windows fields inside `process` are kept.
public enum OCI {
    /// The version of the runtime spec these types follow, written as `ociVersion` in what sandbox produces.
    /// 1.2.1 is the 1.2 release that added `process.execCPUAffinity`.
    public static let version = "1.2.1"
}

extension OCI {
    /// A string from a closed list of the spec (a namespace type, a seccomp action): any other string fails to
    /// decode with a message naming the list, instead of becoming a value nothing downstream knows.
    public protocol Token: RawRepresentable<String>, CaseIterable, Codable, Hashable, Sendable {
        /// How a message names the value: "namespace type".
        static var kind: String { get }
    }
}

extension OCI.Token {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rawValue: text) else {
            let known = Self.allCases.map(\.rawValue).joined(separator: ", ")
            let problem = "unknown \(Self.kind) \"\(text)\" (known: \(known))"
            throw DecodingError.dataCorruptedError(in: container, debugDescription: problem)
        }
        self = value
    }
}
