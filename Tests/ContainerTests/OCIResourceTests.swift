import Foundation
import Testing

extension ContainerTests {
    /// `linux.resources` from a bundle, as the kernel takes it: the device cgroup's rules after runc's defaults,
    /// and what this hybrid host cannot honour refused rather than dropped.
    @Suite struct OCIResources {
        typealias Bundle = OCIRuntime.Bundle

        /// A bundle whose `linux.resources` is changed by `change`, created and started as `id`; nil (and
        /// the error) when create refuses it.
        static func started(_ id: String, nodes: [[String: Any]] = [], _ change: (inout [String: Any]) -> Void) throws
            -> (Bundle, SandboxProcess.Result) {
            var bundle = try Bundle()
            var linux = try #require(bundle.config["linux"] as? [String: Any])
            if !nodes.isEmpty { linux["devices"] = nodes }
            var resources = linux["resources"] as? [String: Any] ?? [:]
            change(&resources)
            linux["resources"] = resources
            bundle.config["linux"] = linux
            try bundle.write()
            let created = try bundle.sandbox(["create", "--bundle", bundle.directory, id])
            if created.status == 0 { #expect(try bundle.sandbox(["start", id]).status == 0) }
            return (bundle, created)
        }

        /// The rules apply in order, then runc's defaults are appended (so /dev/null stays open, as under runc):
        /// /dev/loop-control (10:237), no default, allowed then denied is closed to the container; denied then allowed
        /// for reading is open to read, and to nothing else. Seen in the kernel's list and by opening it inside.
        @Test func deviceRulesApplyInOrder() throws {
            let loop: [String: Any] = ["type": "c", "major": 10, "minor": 237]
            func rule(_ allow: Bool, _ access: String) -> [String: Any] { loop.merging(["allow": allow, "access": access]) { $1 } }
            let open = "exec 3< /dev/loop-control && echo read; exec 4> /dev/loop-control && echo written; true"
            for (id, rules, list, opened) in [
                ("loopdenied", [rule(true, "r"), rule(false, "rwm")], nil as String?, ""),
                ("loopallowed", [rule(false, "rwm"), rule(true, "r")], "c 10:237 r", "read\n"),
            ] {
                let node = loop.merging(["path": "/dev/loop-control", "fileMode": 0o666]) { $1 }
                let (bundle, created) = try Self.started(id, nodes: [node]) { $0["devices"] = [["allow": false, "access": "rwm"]] + rules }
                defer { bundle.remove(id) }
                #expect(created.status == 0, "\(created.stderr)")
                let lines = try String(contentsOfFile: "/sys/fs/cgroup/devices/sandbox/\(id)/devices.list", encoding: .utf8).split(separator: "\n")
                #expect(lines.contains("c 1:3 rwm") && lines.filter { $0.hasPrefix("c 10:237 ") }.map(String.init) == (list.map { [$0] } ?? []), "\(lines)")
                let inside = try bundle.sandbox(["exec", id, "sh", "-c", open])
                #expect(inside.stdout == opened, "\(id): \(inside.stderr)")
            }
        }

        /// `unified` names v2 files; this host's v2 tree has no controller, so pids.max has nowhere to go: refused,
        /// naming it, where it used to be dropped in silence. Where pids is on the v2 tree, it is written there.
        @Test func unifiedTakesEffectOrIsRefused() throws {
            let controllers = (try? String(contentsOfFile: "/sys/fs/cgroup/unified/cgroup.controllers", encoding: .utf8)) ?? ""
            let (bundle, created) = try Self.started("unified") { $0["unified"] = ["pids.max": "10"] }
            defer { bundle.remove("unified") }
            if controllers.split(separator: " ").contains(where: { $0.hasPrefix("pids") }) {
                #expect(created.status == 0, "\(created.stderr)")
                #expect(try String(contentsOfFile: "/sys/fs/cgroup/unified/sandbox/unified/pids.max", encoding: .utf8) == "10\n")
            } else {
                #expect(created.status == 1)
                #expect(created.stderr == "sandbox: linux.resources.unified: pids.max needs the pids controller on cgroup v2, which this host does not give it\n")
                #expect(try bundle.sandbox(["list", "-q"]).stdout.isEmpty)
                #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/pids/sandbox/unified"))
            }
        }

        /// blkio.weight exists only under the BFQ scheduler's v1 files, which this kernel's blkio lacks: the write
        /// is refused, and nothing is left. Where the file exists, it holds the weight.
        @Test func blockIOWeightTakesEffectOrIsRefused() throws {
            let (bundle, created) = try Self.started("blkio") { $0["blockIO"] = ["weight": 500] }
            defer { bundle.remove("blkio") }
            if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/blkio/blkio.weight") {
                #expect(created.status == 0, "\(created.stderr)")
                #expect(try String(contentsOfFile: "/sys/fs/cgroup/blkio/sandbox/blkio/blkio.weight", encoding: .utf8) == "500\n")
            } else {
                #expect(created.status == 1)
                #expect(created.stderr.contains("blkio.weight") && created.stderr.contains("this kernel does not support that limit"), "\(created.stderr)")
                #expect(try bundle.sandbox(["list", "-q"]).stdout.isEmpty)
                #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/blkio/sandbox/blkio"))
            }
        }
    }
}
