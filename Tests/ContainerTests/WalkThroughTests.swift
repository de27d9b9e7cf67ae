import Foundation
import Testing

extension ContainerTests {
    /// The session a Docker security course walks through, typed as it is written with sandbox in docker's place
    /// (and --rootfs for the image), looked at from inside the container and from the host.
    @Suite struct WalkThrough {
        /// `docker run -d --name test --user=1000 IMAGE sleep 1000`, `docker exec -it test sh` (ps aux, id, its
        /// capabilities), `docker container update --cpus=1.5 test`, `docker stats`, `docker stop`, `docker rm`.
        @Test func dockersSessionRunsAsWritten() throws {
            let name = Control.name()
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            let run = try SandboxProcess.run(["run", "-d", "--name", name, "--user=1000", "--rootfs", SandboxProcess.rootfs, "sleep", "1000"])
            #expect(run.status == 0 && run.output.count == 64 && run.output.allSatisfy(\.isHexDigit), "\(run.stderr)")
            let record = Control.record(name)

            let shell = try SandboxProcess.run(["exec", "-it", name, "sh"], input: "ps aux; id; grep CapEff /proc/self/status; exit\n")
            #expect(shell.status == 0, "\(shell.stderr)")
            let lines = shell.stdout.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
            #expect(lines.contains("1 user sleep 1000"), "pid 1 is the workload, as user 1000: \(lines)")
            #expect(lines.contains("uid=1000(user) gid=1000(user)"))
            #expect(lines.contains("CapEff:\t0000000000000000"), "user 1000 holds no capability")

            let update = try SandboxProcess.run(["container", "update", "--cpus=1.5", name])
            #expect(update.status == 0 && update.stdout == name + "\n", "\(update.stderr)")
            let quotas = (record?["cgroups"] as? [String] ?? []).compactMap { try? String(contentsOfFile: $0 + "/cpu.cfs_quota_us", encoding: .utf8) }
            #expect(quotas == ["150000\n"], "the host's cgroup")
            #expect(try SandboxProcess.run(["exec", name, "cat", "/sys/fs/cgroup/cpu/cpu.cfs_quota_us"]).output == "150000", "the container's view")

            let stats = try SandboxProcess.run(["container", "stats", "--no-stream", name]).stdout.split(separator: "\n")
            #expect(stats.count == 2 && stats[1].contains(" \(name) ") && stats[1].hasSuffix(" 1"), "\(stats)")

            // sleep as pid 1 has no handler for SIGTERM: SIGKILL once -t has passed.
            let stop = try SandboxProcess.run(["stop", "-t", "1", name])
            #expect(stop.status == 0 && stop.stdout == name + "\n", "\(stop.stderr)")
            #expect(Control.exitCode(Control.record(name)) == 137)
            let remove = try SandboxProcess.run(["container", "rm", name])
            #expect(remove.status == 0 && remove.stdout == name + "\n", "\(remove.stderr)")
            Control.expectGone(name, record)
        }

        /// A memory limit below what the container already uses is refused, as Docker's, and the limit stays.
        @Test func updateBelowUsageIsRefused() throws {
            let name = Control.name()
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            try Control.start(name, ["--memory", "64m"], ["sh", "-c", "dd if=/dev/zero of=/dev/shm/fill bs=1M count=40 && touch /dev/shm/done && sleep 1000"])
            #expect(try Control.wait { try SandboxProcess.run(["exec", name, "test", "-e", "/dev/shm/done"]).status == 0 })
            let limits = (Control.record(name)?["cgroups"] as? [String] ?? []).map { $0 + "/memory.limit_in_bytes" }.filter(FileManager.default.fileExists)
            func limit() -> String? { limits.first.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } }
            #expect(limit() == "\(64 << 20)\n")

            let refused = try SandboxProcess.run(["update", "--memory", "16m", name])
            #expect(refused.status == 1 && refused.stdout.isEmpty, "\(refused.stdout)")
            #expect(refused.stderr.hasPrefix("sandbox: cannot set the memory limit to 16777216 bytes: the container already uses "), "\(refused.stderr)")
            #expect(limit() == "\(64 << 20)\n")
            let raised = try SandboxProcess.run(["update", "--memory", "96m", name])
            #expect(raised.status == 0, "\(raised.stderr)")
            #expect(limit() == "\(96 << 20)\n")
        }
    }
}
