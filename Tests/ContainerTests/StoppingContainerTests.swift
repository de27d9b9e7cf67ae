import Foundation
import Testing

extension ContainerTests {
    /// A container whose pid 1 stops every process that appears in it: it reads the last pid its namespace
    /// gave out and sends SIGSTOP to it and to the next, in a loop that forks nothing (the pid is given out a
    /// moment before a signal can reach its process). It cannot wedge sandbox: `exec`
    /// and a health check end within their deadlines and leave nothing behind, and `kill`, `stop` and `rm -f`
    /// end within theirs (the review saw each hang on the container's lock, held by an exec waiting for ever).
    @Suite struct StoppingContainer {
        static let stopper = "while :; do read n < /proc/sys/kernel/ns_last_pid; kill -STOP $n $((n + 1)) 2>/dev/null; done"
        /// Margin on every bound, for a loaded two-core machine.
        static let margin = 5.0

        /// `run -d` of the stopper with `options`, at the host's highest priority so that it wins the race
        /// against the process it stops even on a loaded machine; `body` gets its name and pid.
        static func withStopper(_ options: [String] = [], _ body: (String, Int32) throws -> Void) throws {
            let name = "stopper-" + UUID().uuidString.prefix(8).lowercased()
            let started = try SandboxProcess.run(["run", "-d", "--name", name] + options + ["--rootfs", SandboxProcess.rootfs, "--", "sh", "-c", stopper],
                                                 timeout: 30)
            try #require(started.status == 0, "run -d failed: \(started.stderr)")
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            let state = try JSONSerialization.jsonObject(with: Data(try SandboxProcess.run(["state", name]).stdout.utf8)) as? [String: Any]
            let pid = try #require((state?["pid"] as? NSNumber)?.int32Value)
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(pid), -20)
            try body(name, pid)
        }

        /// `sandbox ARGUMENTS`, and how long it took.
        static func timed(_ arguments: [String]) throws -> (SandboxProcess.Result, Double) {
            let start = Date()
            let result = try SandboxProcess.run(arguments, timeout: 60)
            return (result, Date().timeIntervalSince(start))
        }

        /// The pids in the container's cgroup.
        static func tasks(_ name: String) throws -> Set<Int32> {
            let data = try Data(contentsOf: URL(fileURLWithPath: "/run/sandbox/\(name)/state.json"))
            let record = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let directory = try #require((record["cgroups"] as? [String])?.first)
            let text = try String(contentsOfFile: directory + "/cgroup.procs", encoding: .utf8)
            return Set(text.split(separator: "\n").compactMap { Int32($0) })
        }

        /// A PATH of 40,000 directories, none of which holds the command: the process looks for it long enough
        /// for pid 1 to stop it first, even on a loaded machine, and never reaches an execve it could be stopped
        /// after (a process stopped once it runs its command is the command's own business).
        static let longPath = "PATH=" + Array(repeating: "/a", count: 40_000).joined(separator: ":")

        @Test func execAHealthCheckKillAndStopEndInTime() throws {
            let processes = Host.sandboxProcesses()
            try Self.withStopper(["--health-cmd", "sleep 1", "--health-interval", "1s", "--health-timeout", "2s", "--health-retries", "1"]) { name, pid in
                // Stopped before it could run its command, the process is killed at once, with the joining one.
                var stopped = false
                for _ in 0..<20 where !stopped {
                    let (exec, seconds) = try Self.timed(["exec", "-e", Self.longPath, name, "no-such-command"])
                    #expect(exec.status == 126 || exec.status == 127, "\(exec.stderr)")
                    #expect(seconds < 10 + Self.margin)
                    stopped = exec.stderr == "sandbox: the process was stopped (by a signal from within the container) before it ran its command; it was killed\n"
                }
                #expect(stopped)

                // Each check ends in time, stopped before or after it ran its command, and the next one comes.
                var checks: [[String: Any]] = []
                for _ in 0..<300 where checks.count < 2 {
                    let health = (try Views.inspect(name)["State"] as? [String: Any])?["Health"] as? [String: Any]
                    checks = health?["Log"] as? [[String: Any]] ?? []
                    usleep(50_000)
                }
                try #require(checks.count >= 2, "no second health check")
                #expect(checks.contains { $0["ExitCode"] as? Int == -1 }, "\(checks)")
                for check in checks {
                    let start = try #require((check["Start"] as? String).flatMap(Self.date))
                    let end = try #require((check["End"] as? String).flatMap(Self.date))
                    #expect(end.timeIntervalSince(start) < 2 + Self.margin, "\(check)")
                }

                let (signalled, killTime) = try Self.timed(["kill", "-s", "USR1", name])
                #expect(signalled.status == 0, "\(signalled.stderr)")
                #expect(killTime < Self.margin)
                let (stop, stopTime) = try Self.timed(["stop", "-t", "1", name])
                #expect(stop.status == 0, "\(stop.stderr)")
                #expect(stopTime < 1 + Self.margin)
                #expect(kill(pid, 0) != 0)
                let (removed, removeTime) = try Self.timed(["rm", name])
                #expect(removed.status == 0 && removeTime < Self.margin, "\(removed.stderr)")
                #expect(!Host.stateDirectories().contains(name))
            }
            #expect(Host.sandboxProcesses() == processes)
        }

        /// `rm -f` while a health check with Docker's 30 seconds of timeout is stopped in the container.
        @Test func forceRemovalDuringAStoppedHealthCheckEndsInTime() throws {
            var directories: [String] = []
            try Self.withStopper(["--health-cmd", "sleep 1", "--health-interval", "1s"]) { name, pid in
                let data = try Data(contentsOf: URL(fileURLWithPath: "/run/sandbox/\(name)/state.json"))
                directories = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["cgroups"] as? [String])
                // Until a check is seen once: whether pid 1 stopped it or it already ended, rm -f must end in time.
                var tries = 0
                while try Self.tasks(name).count < 2 && tries < 200 {
                    usleep(50_000)
                    tries += 1
                }
                try #require(tries < 200, "no health check started")
                let (removed, seconds) = try Self.timed(["rm", "-f", name])
                #expect(removed.status == 0, "\(removed.stderr)")
                #expect(seconds < Self.margin)
                #expect(kill(pid, 0) != 0)
                #expect(!Host.stateDirectories().contains(name))
            }
            #expect(directories.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
        }

        /// An RFC 3339 time in UTC with up to nine digits of fraction, as Docker writes them.
        static func date(_ text: String) -> Date? {
            let parts = text.dropLast().split(separator: ".", maxSplits: 1)
            guard text.hasSuffix("Z"), let whole = ISO8601DateFormatter().date(from: parts[0] + "Z") else { return nil }
            return whole.addingTimeInterval(parts.count == 2 ? Double("0." + parts[1]) ?? 0 : 0)
        }
    }
}
