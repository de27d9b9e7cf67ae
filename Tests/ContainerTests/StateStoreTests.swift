import Foundation
import Testing

extension ContainerTests {
    /// The state store as versions of sandbox share it: a root's records outlive the binary that wrote them.
    @Suite struct StateStore {
        /// Every create collects what killed runs left; a record it cannot read (another version's, with a value
        /// this one does not know) is not among them: its container may be running, and must stay found.
        @Test func aRecordThisVersionCannotReadIsNeverCollected() throws {
            let bundle = try OCIRuntime.Bundle()
            defer { bundle.remove() }
            try bundle.write()
            let created = try bundle.sandbox(["create", "--bundle", bundle.directory, "c1"])
            try #require(created.status == 0, "\(created.stderr)")
            let path = bundle.root + "/c1/state.json"
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            var record = try #require(try JSONSerialization.jsonObject(with: original) as? [String: Any])
            record["status"] = "hibernating"
            try JSONSerialization.data(withJSONObject: record).write(to: URL(fileURLWithPath: path))

            let other = try bundle.sandbox(["create", "--bundle", bundle.directory, "c2"])
            #expect(other.status == 0, "\(other.stderr)")
            _ = try bundle.sandbox(["delete", "--force", "c2"])
            #expect(FileManager.default.fileExists(atPath: path), "collected by the next create")
            try original.write(to: URL(fileURLWithPath: path))
            #expect(try bundle.state("c1")["status"] as? String == "created")
        }

        /// A foreground run writes its first record once its process runs. Killed before that, it leaves what
        /// is made here: its state directory with no record and no owner, and its cgroup in every hierarchy at
        /// its name's default path. The next run collects both.
        @Test func aRunKilledBeforeItsFirstRecordIsCollected() throws {
            let name = "killed-early-\(getpid())"
            let directory = "/run/sandbox/" + name
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: directory + "/lock", contents: nil))
            let hierarchies = try FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")
                .map { "/sys/fs/cgroup/" + $0 + "/sandbox" }
                .filter { FileManager.default.fileExists(atPath: $0) }
            try #require(!hierarchies.isEmpty, "no sandbox cgroup parent: run a container first")
            for parent in hierarchies { #expect(mkdir(parent + "/" + name, 0o755) == 0, "\(parent)") }
            defer {
                for parent in hierarchies { rmdir(parent + "/" + name) }
                try? FileManager.default.removeItem(atPath: directory)
            }

            _ = try SandboxProcess.shell("true")
            #expect(!FileManager.default.fileExists(atPath: directory), "state directory left")
            let left = hierarchies.filter { FileManager.default.fileExists(atPath: $0 + "/" + name) }
            #expect(left.isEmpty, "cgroups left: \(left)")
        }
    }
}
