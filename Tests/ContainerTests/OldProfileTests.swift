import Foundation
import Testing

extension ContainerTests {
    /// Profiles written before a syscall existed deny it: Docker's before close_range (5.9), runtime-tools'
    /// default one today. What sandbox itself does after loading the filter must not need it.
    @Suite struct OldProfile {
        /// Docker's default profile without close_range, in a file of its own.
        static func profileWithoutCloseRange() throws -> String {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let data = try Data(contentsOf: root.appendingPathComponent("profiles/default.json"))
            var profile = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let rules = try #require(profile["syscalls"] as? [[String: Any]])
            profile["syscalls"] = rules.map { rule in
                var rule = rule
                rule["names"] = (rule["names"] as? [String])?.filter { $0 != "close_range" }
                return rule
            }
            let path = try Host.temporaryDirectory() + "/no-close-range.json"
            try JSONSerialization.data(withJSONObject: profile).write(to: URL(fileURLWithPath: path))
            return path
        }

        @Test(arguments: [[], ["--init"], ["--security-opt", "no-new-privileges"]])
        func aProfileThatDeniesCloseRangeRuns(options: [String]) throws {
            let profile = try Self.profileWithoutCloseRange()
            defer { try? FileManager.default.removeItem(atPath: (profile as NSString).deletingLastPathComponent) }
            let result = try SandboxProcess.run(["run", "--security-opt", "seccomp=" + profile] + options
                + ["--rootfs", SandboxProcess.rootfs, "sh", "-c", "ls /proc/self/fd | tr '\\n' ' '"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "0 1 2 3 ", "only the streams and ls's own directory")
        }
    }
}
