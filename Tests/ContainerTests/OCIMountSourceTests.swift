import Foundation
import Testing

extension ContainerTests {
    /// A config.json mount's source, for what is not a bind: the name the kernel shows for a tmpfs or an
    /// mqueue (runtime-tools checks it), and what a block device's filesystem is made from.
    @Suite struct OCIMountSource {
        @Test func aFilesystemsSourceIsTheOneGiven() throws {
            var bundle = try OCIRuntime.Bundle(args: ["sh", "-c", "grep -E ' /(scratch|dev/shm) ' /proc/self/mountinfo | awk '{ for (i = 7; $i != \"-\"; i++); print $5, $(i + 2) }' > /out/mounts"])
            defer { bundle.remove() }
            let out = bundle.directory + "/out"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
            var mounts = try #require(bundle.config["mounts"] as? [[String: Any]])
            mounts = mounts.map { mount in
                var mount = mount
                if mount["destination"] as? String == "/dev/shm" { mount["source"] = "shm" }
                return mount
            }
            mounts.append(["destination": "/scratch", "type": "tmpfs", "source": "mysrc", "options": ["size=1m"]])
            mounts.append(["destination": "/out", "type": "bind", "source": out, "options": ["rbind", "rw"]])
            bundle.config["mounts"] = mounts
            try bundle.write()
            #expect(try bundle.sandbox(["create", "--bundle", bundle.directory, "c1"]).status == 0)
            #expect(try bundle.sandbox(["start", "c1"]).status == 0)
            var lines: [String] = []
            for _ in 0..<100 where lines.count < 2 {
                usleep(20_000)
                lines = ((try? String(contentsOfFile: out + "/mounts", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            }
            #expect(Set(lines) == ["/dev/shm shm", "/scratch mysrc"])
        }
    }
}
