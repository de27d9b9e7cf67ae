import CSandbox
import SandboxJSON
import SandboxPolicy

/// Reads a profile file, or the built-in default, as every JSON document is read (`JSON.decode`): a failure is
/// one line naming the file, the JSON path and what was wrong there.
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

    /// - Throws: one line naming the profile, then where its JSON is wrong: `seccomp profile p.json:
    ///   syscalls[0].action: unknown action "SCMP_ACT_NOPE"`.
    public static func parse(_ text: String, source: String) throws -> SeccompProfile {
        do {
            return try JSON.decode(SeccompProfile.self, from: text, document: "seccomp profile \(source)")
        } catch {
            throw SandboxError(error.description)
        }
    }
}
