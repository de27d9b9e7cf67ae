import FoundationEssentials
import SandboxJSON
@testable import SandboxOCI

/// The config.json files real engines wrote (`/work/shared/compat/oci`, above the repository): not part of the
/// repository, so a test that needs one is skipped, saying so, where they are missing.
enum Compat {
    /// `shared/compat/oci` in the nearest directory above the checkout that has one: `/work` for `/work/main`
    /// and for a worktree in `/work/wt` alike.
    static let directory: URL = {
        var directory = URL(filePath: #filePath)
        repeat {
            directory.deleteLastPathComponent()
            let candidate = directory.appending(path: "shared/compat/oci")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        } while directory.path != "/"
        return directory.appending(path: "shared/compat/oci")
    }()

    static let podman = "podman-4.3.1-run.json"
    static let docker = "docker-20.10.24-run.json"
    static let containerd = "containerd-1.6.20-ctr-run.json"
    static let all = [podman, docker, containerd]

    static func has(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.appending(path: name).path)
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: directory.appending(path: name)), as: UTF8.self)
    }

    static func config(_ name: String) throws -> OCI.Config {
        try JSON.decode(OCI.Config.self, from: text(name), document: name)
    }
}

/// Where two JSON trees first differ (members compared in order), or nil when they are the same.
func firstDifference(_ lhs: JSONValue, _ rhs: JSONValue, at path: String = "") -> String? {
    switch (lhs, rhs) {
    case (.null, .null): return nil
    case (.bool(let a), .bool(let b)) where a == b: return nil
    case (.number(let a), .number(let b)) where a == b: return nil
    case (.string(let a), .string(let b)) where a == b: return nil
    case (.array(let a), .array(let b)) where a.count == b.count:
        return zip(a, b).enumerated().lazy.compactMap { firstDifference($1.0, $1.1, at: path + "[\($0)]") }.first
    case (.object(let a), .object(let b)) where a.map(\.key) == b.map(\.key):
        return zip(a, b).lazy.compactMap { firstDifference($0.value, $1.value, at: path + "." + $0.key) }.first
    default: return path.isEmpty ? "(top level)" : path
    }
}
