import Foundation
import Testing

extension ContainerTests {
    /// Cgroup limits, checked by the kernel's own accounting. This machine is a v1/v2 hybrid whose limits live
    /// in v1; the v2 files are checked against a fake tree in SandboxLinuxTests.
    @Suite struct Resources {
        static func containerCgroups() -> [String] {
            let hierarchies = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []
            return hierarchies.flatMap { hierarchy -> [String] in
                let parent = "/sys/fs/cgroup/\(hierarchy)/sandbox"
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
                return entries.filter {
                    var isDirectory: ObjCBool = false
                    return FileManager.default.fileExists(atPath: parent + "/" + $0, isDirectory: &isDirectory) && isDirectory.boolValue
                }.map { parent + "/" + $0 }
            }
        }

        /// `--stats-on-exit`'s CPU time, in seconds.
        static func cpuSeconds(_ stderr: String) -> Double? {
            guard let range = stderr.range(of: "CPU time ") else { return nil }
            return Double(stderr[range.upperBound...].prefix { $0 == "." || $0.isNumber })
        }

        /// The command runs in the container's cgroup in every hierarchy the host mounts: the process entered each
        /// v1 one itself, and was cloned into the v2 tree.
        @Test func theCommandRunsInItsCgroupInEveryHierarchy() throws {
            let name = "every-\(getpid())"
            let result = try SandboxProcess.run(["run", "--name", name, "--cgroupns", "host", "--rootfs", SandboxProcess.rootfs,
                                                 "--", "cat", "/proc/self/cgroup"])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.output.split(separator: "\n")
            let host = try String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8).split(separator: "\n")
            #expect(lines.count == host.count && lines.allSatisfy { $0.hasSuffix(":/sandbox/\(name)") }, "\(result.output)")
        }

        @Test func memoryHogIsOOMKilledUnderItsLimitAndFineAboveIt() throws {
            let hog = ["--rootfs", SandboxProcess.rootfs, "--", "dd", "if=/dev/zero", "of=/dev/null", "bs=48M", "count=1"]
            let killed = try SandboxProcess.run(["run", "--memory", "32m", "--memory-swap", "32m"] + hog)
            #expect(killed.status == 137)
            #expect(killed.stderr == "sandbox: the container was killed by the OOM killer: it reached its memory limit of 32 MiB\n")
            let fine = try SandboxProcess.run(["run", "--memory", "64m", "--memory-swap", "64m"] + hog)
            #expect(fine.status == 0, "\(fine.stderr)")
        }

        @Test func halfACPUIsHalfOfOneCPU() throws {
            // --init: timeout's SIGTERM would not end a pid 1 without a handler.
            let busy = ["--init", "--rootfs", SandboxProcess.rootfs, "--", "timeout", "2", "sh", "-c", "while :; do :; done"]
            let result = try SandboxProcess.run(["run", "--cpus", "0.5", "--stats-on-exit"] + busy)
            let seconds = try #require(Self.cpuSeconds(result.stderr), "\(result.stderr)")
            #expect((0.7...1.3).contains(seconds), "\(seconds) s of CPU in 2 s")
        }

        @Test func sharesSplitOneCPUTwoToOne() throws {
            func start(_ shares: String) throws -> (Process, Pipe) {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: SandboxProcess.binary)
                process.arguments = ["run", "--init", "--cpuset-cpus", "0", "--cpu-shares", shares, "--stats-on-exit", "--rootfs", SandboxProcess.rootfs,
                                     "--", "timeout", "3", "sh", "-c", "while :; do :; done"]
                let stderr = Pipe()
                process.standardError = stderr
                try process.run()
                return (process, stderr)
            }
            let heavy = try start("1024"), light = try start("512")
            let heavyReport = String(decoding: heavy.1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let lightReport = String(decoding: light.1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            heavy.0.waitUntilExit()
            light.0.waitUntilExit()
            let ratio = try #require(Self.cpuSeconds(heavyReport)) / (try #require(Self.cpuSeconds(lightReport)))
            #expect((1.6...2.4).contains(ratio), "CPU time ratio \(ratio): \(heavyReport) / \(lightReport)")
        }

        @Test func cpusetPinsAndAnAbsentCPUIsRefused() throws {
            #expect(try SandboxProcess.shell("grep Cpus_allowed_list /proc/self/status | cut -f2", options: ["--cpuset-cpus", "0"]) == "0")
            let absent = try SandboxProcess.run(["run", "--cpuset-cpus", "99", "true"])
            #expect(absent.status == 125)
            #expect(absent.stderr.hasPrefix("sandbox: Requested CPUs are not available - requested 99, available: 0"))
        }

        @Test func pidsLimitStopsAForkLoop() throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: SandboxProcess.binary)
            process.arguments = ["run", "--name", "pids-test", "--pids-limit", "20", "--rootfs", SandboxProcess.rootfs, "--",
                                 "sh", "-c", "(for i in $(seq 40); do sleep 3 & done) 2>/dev/null; exec sleep 3"]
            try process.run()
            defer { process.waitUntilExit() }
            let cgroup = "/sys/fs/cgroup/pids/sandbox/pids-test"
            var current = 0
            for _ in 0..<100 where current < 19 {
                usleep(20_000)
                current = Int((try? String(contentsOfFile: cgroup + "/pids.current", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? current
            }
            usleep(200_000)
            current = Int(try String(contentsOfFile: cgroup + "/pids.current", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            // The sleeps that forked, and pid 1; the subshell that forked them has gone.
            #expect((18...20).contains(current), "\(current) tasks")
            let events = try String(contentsOfFile: cgroup + "/pids.events", encoding: .utf8)
            #expect(events.hasPrefix("max ") && events != "max 0\n", "no fork was refused: \(events)")
        }

        @Test func killedSandboxsCgroupIsCollectedByTheNextRun() throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: SandboxProcess.binary)
            process.arguments = ["run", "--name", "orphan-test", "--rootfs", SandboxProcess.rootfs, "sleep", "5"]
            try process.run()
            while !FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/sandbox/orphan-test/cgroup.procs") { usleep(10_000) }
            usleep(100_000)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            usleep(100_000) // the container dies with sandbox (PDEATHSIG); the kernel frees its tasks
            #expect(Self.containerCgroups().contains { $0.hasSuffix("/orphan-test") })
            _ = try SandboxProcess.shell("true")
            #expect(!Self.containerCgroups().contains { $0.hasSuffix("/orphan-test") })
            #expect(!Host.stateDirectories().contains("orphan-test"))
        }

        @Test func noContainerCgroupIsLeftBehind() throws {
            _ = try SandboxProcess.shell("true", options: ["--memory", "64m", "--pids-limit", "50"])
            #expect(Self.containerCgroups().isEmpty, "\(Self.containerCgroups())")
        }
    }
}
