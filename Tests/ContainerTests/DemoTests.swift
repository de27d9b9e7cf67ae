import Foundation
import SandboxLinux
import Testing

extension ContainerTests {
    /// `make demo`, the README's first command: its script, run on the binary under test, succeeds and leaves
    /// nothing behind. Here rather than as a step of `make test`, so that `swift test` runs it too, its output
    /// stays out of the log unless it fails, and what it leaves is checked.
    @Suite struct Demo {
        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Demo/demo.sh").path

        @Test func theReadmesFirstCommandRunsAndLeavesNothing() throws {
            let name = "demo-" + UUID().uuidString.prefix(8).lowercased()
            let volumes = Self.volumes()
            let result = try SandboxProcess.execute("/bin/bash", [Self.script, SandboxProcess.binary, SandboxProcess.rootfs, name])
            #expect(result.status == 0, "demo.sh failed:\n\(result.stdout)\n\(result.stderr)")
            #expect(result.stdout.contains("user 1000 made a veth pair"))
            Control.expectGone(name, nil)
            #expect(result.stdout.contains("Deleted: sha256:"), "the demo's image was not removed")
            #expect(try SandboxProcess.run(["images", "-q", name]).stdout.isEmpty, "the demo's image is left")
            let hierarchies = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []
            for cgroup in ([""] + hierarchies.map { $0 + "/" }).map({ "/sys/fs/cgroup/" + $0 + ContainerCgroup.defaultPath(name: name) }) {
                #expect(!FileManager.default.fileExists(atPath: cgroup), "cgroup \(cgroup) left")
            }
            #expect(Self.volumes().isSubset(of: volumes), "the demo's volume is left in /tmp")
        }

        static func volumes() -> Set<String> {
            Set(((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []).filter { $0.hasPrefix("sandbox-demo.") })
        }
    }
}
