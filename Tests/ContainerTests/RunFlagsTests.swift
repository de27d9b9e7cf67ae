import Foundation
import SandboxPolicy
import Testing

extension ContainerTests {
    /// The `docker run` flags a lifecycle makes meaningful, seen from inside the container, from the host and
    /// in the record (state.json); and every other flag of Docker's taken or refused by name.
    @Suite struct RunFlags {
        /// A detached container, removed whatever the test found.
        struct Detached {
            let name: String

            init(_ name: String, options: [String], command: [String] = ["sleep", "60"]) throws {
                self.name = name
                let result = try SandboxProcess.run(["run", "-d", "--name", name, "--rootfs", SandboxProcess.rootfs] + options + command)
                try #require(result.status == 0, "run -d failed: \(result.stderr)")
            }

            func remove() {
                _ = try? SandboxProcess.run(["delete", "--force", name])
            }

            /// Its state.json, as JSON.
            func record() throws -> [String: Any] {
                let data = try Data(contentsOf: URL(fileURLWithPath: "/run/sandbox/\(name)/state.json"))
                return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            }

            /// What the record keeps of the engine's own: `sandbox run`'s settings and what its monitor found.
            func engine() throws -> [String: Any] { try #require(try record()["engine"] as? [String: Any]) }

            var health: [String: Any]? { (try? engine())?["health"] as? [String: Any] }

            /// Polls the record's health until it is `status`, for at most `seconds`.
            func waitForHealth(_ status: String, seconds: Double) -> [String: Any]? {
                let deadline = Date().addingTimeInterval(seconds)
                while Date() < deadline {
                    if let health, health["status"] as? String == status { return health }
                    usleep(50_000)
                }
                return nil
            }
        }

        // MARK: the container's own settings

        @Test func shmSizeSizesDevShm() throws {
            let sized = try SandboxProcess.shell("grep ' /dev/shm ' /proc/self/mountinfo | grep -o 'size=[0-9]*k'", options: ["--shm-size", "1m"])
            #expect(sized == "size=1024k")
            #expect(try SandboxProcess.shell("grep ' /dev/shm ' /proc/self/mountinfo | grep -o 'size=[0-9]*k'") == "size=65536k")
            let refused = try SandboxProcess.run(["run", "--shm-size", "-1", "true"])
            #expect(refused.status == 125 && refused.stderr == "sandbox: invalid argument \"-1\" for \"--shm-size\" flag: invalid size: '-1'\n")
        }

        /// Written by the parent, on the host, before the child goes: a score below sandbox's own needs
        /// CAP_SYS_RESOURCE in the host's user namespace, which the container's root never has, and which
        /// sandbox may lack too (then it says so).
        @Test func oomScoreAdjIsTheProcesssSeenFromTheHost() throws {
            #expect(try SandboxProcess.shell("cat /proc/1/oom_score_adj", options: ["--oom-score-adj", "500"]) == "500")
            let lowered = try SandboxProcess.run(["run", "--oom-score-adj", "-500", "--rootfs", SandboxProcess.rootfs, "cat", "/proc/1/oom_score_adj"])
            let effective = try String(contentsOfFile: "/proc/self/status", encoding: .utf8).split(separator: "\n")
                .first { $0.hasPrefix("CapEff:") }.flatMap { UInt64($0.split(separator: "\t").last ?? "", radix: 16) } ?? 0
            if effective & (1 << 24) != 0 {
                #expect(lowered.output == "-500")
            } else {
                #expect(lowered.status == 125)
                #expect(lowered.stderr == "sandbox: set oom_score_adj to -500: Permission denied (a score below sandbox's own needs CAP_SYS_RESOURCE)\n")
            }
            let container = try Detached("flags-oom", options: ["--oom-score-adj", "321"])
            defer { container.remove() }
            let pid = try #require(try container.record()["pid"] as? Int)
            #expect(try String(contentsOfFile: "/proc/\(pid)/oom_score_adj", encoding: .utf8) == "321\n")
        }

        @Test func domainnameIsTheContainersOwn() throws {
            let host = try String(contentsOfFile: "/proc/sys/kernel/domainname", encoding: .utf8)
            #expect(try SandboxProcess.shell("cat /proc/sys/kernel/domainname", options: ["--domainname", "example.org"]) == "example.org")
            #expect(try String(contentsOfFile: "/proc/sys/kernel/domainname", encoding: .utf8) == host)
        }

        /// There is no image config: the entrypoint is the program, the command its arguments.
        @Test func entrypointRunsWithTheCommandAsArguments() throws {
            let result = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "--entrypoint", "/bin/echo", "--", "-n", "a", "b"])
            #expect(result.status == 0 && result.stdout == "a b")
            let shell = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "--entrypoint", "sh", "--", "-c", "echo $0", "x"])
            #expect(shell.output == "x")
            // One program, never split at spaces, as Docker's.
            let split = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "--entrypoint", "echo x", "true"])
            #expect(split.status == 127)
        }

        // MARK: --mount

        @Test func mountBindsReadOnlyAndMountsATmpfs() throws {
            let directory = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try "from the host".write(toFile: directory + "/file", atomically: false, encoding: .utf8)
            let output = try SandboxProcess.shell("""
                cat /data/file; echo
                touch /data/new 2>/dev/null && echo written || echo read-only
                touch /scratch/new && echo scratch written
                stat -c %a /scratch
                grep ' /scratch ' /proc/self/mountinfo | grep -o 'size=[0-9]*k'
                grep ' /rw ' /proc/self/mountinfo | cut -d' ' -f6
                """, options: ["--mount", "type=bind,source=\(directory),target=/data,readonly",
                               "--mount", "type=tmpfs,destination=/scratch,tmpfs-size=2m,tmpfs-mode=1770",
                               "--mount", "type=bind,src=\(directory),dst=/rw"])
            #expect(output == "from the host\nread-only\nscratch written\n1770\nsize=2048k\nrw,relatime")
            #expect(!FileManager.default.fileExists(atPath: directory + "/new"))
        }

        /// Docker's binds are recursive; bind-recursive=disabled binds the source's own mount alone.
        @Test func mountBindRecursionFollowsTheOption() throws {
            let script = "ls /data/proc | grep -c -x self"
            #expect(try SandboxProcess.shell(script, options: ["--mount", "type=bind,src=/,dst=/data,ro"]) == "1")
            #expect(try SandboxProcess.shell(script + " || true", options: ["--mount", "type=bind,src=/,dst=/data,ro,bind-recursive=disabled"]) == "0")
        }

        // MARK: what the record keeps

        @Test func labelsAndStopSettingsAreInTheRecord() throws {
            let directory = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try "# team labels\nteam=storage\ntier=back\nflag\n".write(toFile: directory + "/labels", atomically: false, encoding: .utf8)
            let container = try Detached("flags-labels", options: [
                "--label", "a=b=c", "-l", "tier=front", "--label-file", directory + "/labels", "--stop-signal", "SIGUSR1",
                "--stop-timeout", "3", "--health-cmd", "true", "--health-interval", "1h",
            ])
            defer { container.remove() }
            let engine = try container.engine()
            let settings = try #require(engine["settings"] as? [String: Any])
            #expect(settings["labels"] as? [String: String] == ["a": "b=c", "team": "storage", "tier": "front", "flag": ""])
            #expect(settings["stopSignal"] as? Int == 10 && settings["stopTimeout"] as? Int == 3)
            // Starting, until a check has run: the first comes after an interval.
            let health = try #require(engine["health"] as? [String: Any])
            #expect(health["status"] as? String == "starting" && (health["log"] as? [Any])?.isEmpty == true)
        }

        // MARK: health checks

        @Test func healthGoesFromStartingToHealthy() throws {
            let container = try Detached("flags-healthy", options: ["--health-cmd", "echo ok; cat /proc/self/status | grep ^Seccomp:",
                                                                    "--health-interval", "1s"])
            defer { container.remove() }
            let health = try #require(container.waitForHealth("healthy", seconds: 10))
            let check = try #require((health["log"] as? [[String: Any]])?.last)
            #expect(check["exitCode"] as? Int == 0)
            // Run inside the container, under its seccomp filter, as exec runs a command.
            #expect(check["output"] as? String == "ok\nSeccomp:\t2\n")
            #expect(health["failingStreak"] as? Int == 0)
        }

        @Test func healthTurnsUnhealthyAfterTheRetries() throws {
            let container = try Detached("flags-unhealthy", options: ["--health-cmd", "echo failing >&2; exit 3", "--health-interval", "100ms",
                                                                      "--health-retries", "2"])
            defer { container.remove() }
            let health = try #require(container.waitForHealth("unhealthy", seconds: 10))
            #expect((health["failingStreak"] as? Int ?? 0) >= 2)
            let log = try #require(health["log"] as? [[String: Any]])
            #expect(log.last?["exitCode"] as? Int == 3 && log.last?["output"] as? String == "failing\n")
            // Docker keeps the last five.
            usleep(1_000_000)
            #expect((container.health?["log"] as? [Any])?.count == 5)
        }

        @Test func aCheckPastItsTimeoutIsKilledAndFails() throws {
            let container = try Detached("flags-timeout", options: ["--health-cmd", "echo started; sleep 30", "--health-interval", "100ms",
                                                                    "--health-timeout", "300ms", "--health-retries", "1"])
            defer { container.remove() }
            let health = try #require(container.waitForHealth("unhealthy", seconds: 10))
            let check = try #require((health["log"] as? [[String: Any]])?.last)
            #expect(check["exitCode"] as? Int == -1)
            #expect(check["output"] as? String == "Health check exceeded timeout (300ms): started\n")
        }

        /// The start period: failures before the first success do not count.
        @Test func failuresInTheStartPeriodDoNotCount() throws {
            let container = try Detached("flags-start", options: ["--health-cmd", "false", "--health-interval", "100ms", "--health-retries", "1",
                                                                  "--health-start-period", "1h", "--health-start-interval", "100ms"])
            defer { container.remove() }
            usleep(800_000)
            let health = try #require(container.health)
            #expect(health["status"] as? String == "starting" && health["failingStreak"] as? Int == 0)
            #expect(((health["log"] as? [Any])?.count ?? 0) >= 2)
        }

        /// A frozen container is not checked (a check joining its cgroup would freeze too), and is again once thawed.
        @Test func checksPauseWithTheContainer() throws {
            let container = try Detached("flags-paused", options: ["--health-cmd", "true", "--health-interval", "100ms"])
            defer { container.remove() }
            try #require(container.waitForHealth("healthy", seconds: 10) != nil)
            #expect(try SandboxProcess.run(["pause", container.name]).status == 0)
            usleep(300_000)
            let lastCheck = { (container.health?["log"] as? [[String: Any]])?.last?["end"] as? String }
            let paused = lastCheck()
            usleep(800_000)
            #expect(lastCheck() == paused)
            #expect(try SandboxProcess.run(["resume", container.name]).status == 0)
            usleep(800_000)
            #expect(lastCheck() != paused)
        }

        // MARK: --cidfile

        @Test func cidfileHoldsTheIdAndIsNeverOverwritten() throws {
            let directory = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let file = directory + "/cid"
            let run = try SandboxProcess.run(["run", "--cidfile", file, "--rootfs", SandboxProcess.rootfs, "sh", "-c", "hostname"])
            #expect(run.status == 0)
            let id = try String(contentsOfFile: file, encoding: .utf8)
            #expect(id.count == 64 && id.hasPrefix(run.output))

            let again = try SandboxProcess.run(["run", "--cidfile", file, "true"])
            #expect(again.status == 125)
            #expect(again.stderr == "sandbox: container ID file found, make sure the other container isn't running or delete \(file)\n")
            #expect(try String(contentsOfFile: file, encoding: .utf8) == id)

            // A container that never started leaves no file.
            let other = directory + "/other"
            let failed = try SandboxProcess.run(["run", "--cidfile", other, "--rootfs", "/no/such/image", "true"])
            #expect(failed.status == 125 && !FileManager.default.fileExists(atPath: other))

            let detached = try SandboxProcess.run(["run", "-d", "--cidfile", other, "--name", "flags-cid", "--rootfs", SandboxProcess.rootfs,
                                                   "sleep", "60"])
            defer { _ = try? SandboxProcess.run(["delete", "--force", "flags-cid"]) }
            #expect(detached.status == 0 && (try? String(contentsOfFile: other, encoding: .utf8)) == detached.output)
        }

        /// The monitor holds only what it opened: an fd its caller left inheritable (a test harness's, a
        /// shell's pipe) would otherwise stay open for the container's life, and whoever waits on it, wait.
        @Test func theMonitorHoldsNoFdOfItsCaller() throws {
            let directory = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let marker = directory + "/inherited"
            let fd = open(marker, O_WRONLY | O_CREAT, 0o600)
            try #require(fd >= 0)
            defer { close(fd) }
            let container = try Detached("flags-fds", options: [])
            defer { container.remove() }
            let monitor = try #require((try container.engine()["monitor"] as? [String: Any])?["pid"] as? Int)
            let held = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(monitor)/fd").compactMap {
                try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(monitor)/fd/\($0)")
            }
            #expect(!held.isEmpty && !held.contains(marker), "\(held)")
        }

        // MARK: every flag of docker run's

        /// Docker 28's `docker run --help` (the CLI answers without a daemon): each flag is sandbox's, or
        /// refused by name. Skipped where no docker CLI is installed.
        @Test func everyDockerRunFlagIsTakenOrRefusedByName() throws {
            let docker = ["/usr/local/bin/docker", "/usr/bin/docker"].first { FileManager.default.isExecutableFile(atPath: $0) }
            guard let docker, let help = try? Self.output(of: docker, ["run", "--help"]), help.contains("--mount") else {
                print("skipped: no docker CLI to read docker run's flags from")
                return
            }
            let flags = help.split(separator: "\n").compactMap { line -> String? in
                let words = line.split(separator: " ")
                return words.first { $0.hasPrefix("--") }.map { String($0) }
            }
            #expect(flags.count > 100)
            let ours = try SandboxProcess.run(["run", "--help"]).stdout
            for flag in flags where ![" ", ",", "\n"].contains(where: { ours.contains(flag + $0) }) {
                #expect(Unsupported.refusal(of: flag) != nil, "docker run \(flag) is neither taken nor refused")
            }
        }

        static func output(of program: String, _ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
