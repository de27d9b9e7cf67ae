import SandboxLinux
import SandboxPolicy

/// One parser under fuzzing. Whatever the bytes, it must return or throw a `SandboxError`, the one clear line
/// sandbox prints before exiting 125: a trap (overflow, index out of range, force unwrap), a hang or another
/// error type is a finding.
///
/// A target's seed corpus is `Tests/Fuzz/Corpus/NAME`. To add a target, write it in a file of its own and
/// add it to `all`.
struct FuzzTarget: Sendable {
    var name: String
    var body: @Sendable ([UInt8]) throws -> Void

    static let all: [FuzzTarget] = [
        .seccompProfile, .resourceLimits, .idMap, .cpuList, .volume, .tmpfs, .user, .envFile, .subordinateIDs,
        .cgroupMountinfo, .capabilities, .ociConfig, .mount, .healthCheck, .layerFailure, .imageManifest, .platform,
        .imageReference, .imageConfig, .imageStore,
    ]

    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    func run(_ bytes: [UInt8]) {
        do {
            try body(bytes)
        } catch is SandboxError {
        } catch {
            fatalError("\(name): threw \(type(of: error)), not a SandboxError: \(error)")
        }
    }
}

/// How targets read the fuzzer's bytes.
enum FuzzInput {
    /// The bytes as sandbox gets a file or a flag: invalid UTF-8 repaired, as HostFile.read and
    /// CommandLine.arguments repair it.
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The parts of a multi-field input, split at lines that are exactly `--`, so that seeds stay readable.
    static func sections(_ bytes: [UInt8]) -> [String] {
        var sections: [String] = []
        var lines: [Substring] = []
        for line in text(bytes).split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "--" {
                sections.append(lines.joined(separator: "\n"))
                lines = []
            } else {
                lines.append(line)
            }
        }
        return sections + [lines.joined(separator: "\n")]
    }

    /// `sections` on the bytes themselves, for what comes as bytes rather than text (a tar's names).
    static func byteSections(_ bytes: [UInt8]) -> [[UInt8]] {
        var sections: [[UInt8]] = []
        var lines: [ArraySlice<UInt8>] = []
        for line in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            if line.elementsEqual("--".utf8) {
                sections.append(Array(lines.joined(separator: [10])))
                lines = []
            } else {
                lines.append(line)
            }
        }
        return sections + [Array(lines.joined(separator: [10]))]
    }

    /// `NAME=VALUE` lines, for flags: the last value of each name.
    static func flags(_ bytes: [UInt8]) -> [String: String] {
        var flags: [String: String] = [:]
        for line in text(bytes).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            flags[String(parts[0])] = parts.count == 2 ? String(parts[1]) : ""
        }
        return flags
    }
}
