import Foundation
import SandboxLinux
import SandboxPolicy
import Testing

/// A real container whose spec is built from `sandbox run`'s flags, then changed by hand: the fields of a
/// ContainerSpec that no flag reaches yet (an OCI config's), run by the same launcher `sandbox run` uses.
enum SpecContainer {
    struct Result {
        var status: Int32
        /// What the script printed, stdout and stderr, without the last newline.
        var output: String
    }

    /// Runs `sh -c SCRIPT` on the busybox image. The script's output is written to a volume at /out and read
    /// back from the host, since the container's own stdout is the test process's.
    /// - Parameters:
    ///   - flags: `sandbox run`'s, as RunSpec holds them.
    ///   - change: the hand-made part of the spec.
    static func run(_ script: String, flags: (inout RunSpec) throws -> Void = { _ in },
                    change: (inout ContainerSpec) throws -> Void) throws -> Result {
        let out = try Host.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        var run = RunSpec(command: ["sh", "-c", "exec > /out/result 2>&1\n" + script])
        run.rootfs = SandboxProcess.rootfs
        run.volumes = [try Volume(parsing: out + ":/out")]
        try flags(&run)
        try run.validate()
        var (spec, id) = try DockerRun.spec(for: run, caller: .current())
        try change(&spec)
        let outcome = try Container(spec: spec, engine: try EngineSettings(docker: run), id: id, name: id.short,
                                    hostEnvironment: ProcessInfo.processInfo.environment, interactive: false).run()
        let output = (try? String(contentsOfFile: out + "/result", encoding: .utf8)) ?? ""
        return Result(status: outcome.status, output: output.hasSuffix("\n") ? String(output.dropLast()) : output)
    }

    /// The error a container fails to start with, as `sandbox run` would print it.
    static func failure(_ script: String = "true", flags: (inout RunSpec) throws -> Void = { _ in },
                        change: (inout ContainerSpec) throws -> Void) throws -> String {
        do {
            let result = try run(script, flags: flags, change: change)
            Issue.record("the container started and exited with \(result.status): \(result.output)")
            return ""
        } catch let error as SandboxError {
            return error.description
        }
    }
}

extension ContainerSpec {
    /// Adds `entry` after every mount and before the masked and read-only paths, which stay last.
    mutating func insertBeforeCovers(_ entry: MountEntry) {
        let covers = mounts.firstIndex {
            if case .mask = $0.kind { return true }
            if case .readOnly = $0.kind { return true }
            return false
        }
        mounts.insert(entry, at: covers ?? mounts.endIndex)
    }
}
