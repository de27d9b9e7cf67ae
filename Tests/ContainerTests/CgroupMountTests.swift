import Foundation
import Testing

extension ContainerTests {
    /// Docker's /sys/fs/cgroup: the container's own cgroup in every hierarchy, read-only, which programs inside
    /// read their limits from. This hybrid host has v1 controllers and a v2 tree at /sys/fs/cgroup/unified;
    /// the layout of a v2-only host is checked on the child's configuration in SandboxLinuxTests.
    @Suite struct CgroupMount {
        /// The hierarchies the host mounts, by the names of their directories.
        static func hostHierarchies() throws -> [String] {
            let mountinfo = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
            return mountinfo.split(separator: "\n").compactMap { line -> String? in
                let fields = line.split(separator: " ")
                guard let separator = fields.firstIndex(of: "-"), separator + 1 < fields.count,
                      fields[separator + 1].hasPrefix("cgroup") else { return nil }
                return fields[4].split(separator: "/").last.map(String.init)
            }.sorted()
        }

        @Test(arguments: [[], ["--userns", "host"], ["--cgroupns", "host"], ["--privileged"]])
        func theContainerReadsItsOwnLimitsAndChangesNothing(options: [String]) throws {
            let inside = try SandboxProcess.shell("""
                ls /sys/fs/cgroup | tr '\\n' ' '; echo
                cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max
                for path in /sys/fs/cgroup/x /sys/fs/cgroup/memory/x; do touch $path 2>&1; done
                { echo 1 > /sys/fs/cgroup/memory/memory.limit_in_bytes; } 2>&1
                mkdir /sys/fs/cgroup/pids/child 2>&1
                find /sys/fs/cgroup -name release_agent | wc -l
                """, options: options + ["--memory", "32m", "--pids-limit", "40"])
            #expect(inside == """
                \(try Self.hostHierarchies().joined(separator: " ")) \n33554432\n40
                touch: /sys/fs/cgroup/x: Read-only file system
                touch: /sys/fs/cgroup/memory/x: Read-only file system
                sh: can't create /sys/fs/cgroup/memory/memory.limit_in_bytes: Read-only file system
                mkdir: can't create directory '/sys/fs/cgroup/pids/child': Read-only file system
                0
                """)
        }

        /// With a new cgroup namespace the container's cgroup is / in /proc/self/cgroup, and the same path
        /// under /sys/fs/cgroup is its directory: `sandbox probe` reads the limits there.
        @Test func probeInsideReportsTheContainersLimits() throws {
            let result = try SandboxProcess.run(["run", "--memory", "64m", "--pids-limit", "50", "--cpus", "0.5"]
                                                + SandboxProcess.mountedBinary.options + ["--", SandboxProcess.mountedBinary.path, "probe", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let probe = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let limits = probe?["cgroupLimits"] as? [String: String]
            #expect(limits?["memory"] == "67108864")
            #expect(limits?["pids"] == "50")
            #expect(limits?["cpu"] == "50000")
        }

        /// A caller other than root without a resource flag gets no cgroup, so nothing is shown: the directory
        /// is sysfs's own, empty.
        @Test func withoutACgroupOfItsOwnNothingIsMounted() throws {
            let result = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "--", "sh", "-c",
                                                 "ls -A /sys/fs/cgroup | wc -l; grep -c ' /sys/fs/cgroup' /proc/self/mountinfo"],
                                                asUser: (65534, 65534))
            #expect(result.output == "0\n0", "\(result.stderr)")
        }
    }
}
