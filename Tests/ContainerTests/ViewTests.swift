import Foundation
import Testing

extension ContainerTests {
    /// The read-only views of detached containers (`ps`, `inspect`, `top`, `stats`, `logs`, `wait`), on real
    /// containers started with `sandbox run -d`, their answers checked against what the host sees.
    @Suite struct Views {
        /// `sandbox run -d --name NAME OPTIONS --rootfs IMAGE -- sh -c SCRIPT`, removed once `body` is done.
        static func withDetached(_ script: String, options: [String] = [], _ body: (String) throws -> Void) throws {
            let name = "views-" + UUID().uuidString.prefix(8).lowercased()
            let started = try SandboxProcess.run(["run", "-d", "--name", name] + options + ["--rootfs", SandboxProcess.rootfs, "--", "sh", "-c", script],
                                                 timeout: 30)
            try #require(started.status == 0, "run -d failed: \(started.stderr)")
            defer { _ = try? SandboxProcess.run(["delete", "--force", name]) }
            try body(name)
        }

        static func sandbox(_ arguments: [String], timeout: Double = 30) throws -> SandboxProcess.Result {
            try SandboxProcess.run(arguments, timeout: timeout)
        }

        /// `inspect NAME`'s one document.
        static func inspect(_ name: String) throws -> [String: Any] {
            let result = try sandbox(["inspect", name])
            try #require(result.status == 0, "\(result.stderr)")
            let documents = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
            return try #require(documents.first)
        }

        /// Waits until `condition` holds, for up to ten seconds.
        static func eventually(_ condition: () throws -> Bool) throws -> Bool {
            for _ in 0..<200 {
                if try condition() { return true }
                usleep(50_000)
            }
            return false
        }

        /// The monitor holds none of its caller's files but the ones it is given: a pipe the caller inherited
        /// without O_CLOEXEC (Foundation's Process makes one; so may a shell) would keep whoever reads it waiting
        /// until the container ends.
        @Test func runDetachedReturnsWhileTheContainerRuns() throws {
            let started = Date()
            try Self.withDetached("sleep 30") { name in
                #expect(Date().timeIntervalSince(started) < 10)
                let state = try Self.inspect(name)["State"] as? [String: Any]
                #expect(state?["Running"] as? Bool == true)
            }
        }

        @Test func psListsRunningThenAllAfterExit() throws {
            try Self.withDetached("sleep 2") { name in
                let id = try #require(Self.inspect(name)["Id"] as? String)
                let table = try Self.sandbox(["ps"])
                #expect(table.status == 0)
                #expect(table.stdout.hasPrefix("CONTAINER ID   IMAGE"))
                let row = try #require(table.stdout.split(separator: "\n").first { $0.hasSuffix(" " + name) })
                #expect(row.hasPrefix(String(id.prefix(12)) + "   "))
                #expect(row.contains("   \"sh -c 'sleep 2'\"   "))
                #expect(row.contains(" Up "))
                #expect(try Self.sandbox(["ps", "-q"]).stdout.split(separator: "\n").contains(Substring(id.prefix(12))))
                #expect(try Self.sandbox(["ps", "--no-trunc"]).stdout.contains(id + "   "))

                #expect(try Self.sandbox(["wait", name]).output == "0")
                #expect(!(try Self.sandbox(["ps"]).stdout.contains(name)))
                let all = try Self.sandbox(["ps", "-a"]).stdout.split(separator: "\n").first { $0.hasSuffix(" " + name) }
                #expect(all?.contains("Exited (0) ") == true)

                let lines = try Self.sandbox(["ps", "-a", "--format", "json"]).stdout.split(separator: "\n")
                let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
                let object = try #require(objects.first { $0["Names"] as? String == name })
                #expect(object["ID"] as? String == String(id.prefix(12)))
                #expect(object["State"] as? String == "exited")
                #expect(object["Image"] as? String == SandboxProcess.rootfs)
                #expect((object["Status"] as? String)?.hasPrefix("Exited (0)") == true)
                #expect(try Self.sandbox(["ps", "-a", "--format", "{{.Names}}:{{.State}}"]).stdout.contains("\(name):exited\n"))
            }
        }

        @Test func inspectShowsTheKernelsPidAndHowItEnded() throws {
            try Self.withDetached("sleep 1; exit 3", options: ["--memory", "64m"]) { name in
                let running = try Self.inspect(name)
                let state = try #require(running["State"] as? [String: Any])
                #expect(state["Status"] as? String == "running")
                #expect(state["Running"] as? Bool == true)
                let pid = try #require((state["Pid"] as? NSNumber)?.int32Value)
                // The host's process of that pid is the container's: in its cgroup, running its command.
                let cgroup = try String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)
                #expect(cgroup.contains("/sandbox/\(name)\n"))
                #expect(running["Name"] as? String == "/" + name)
                #expect((running["HostConfig"] as? [String: Any])?["Memory"] as? Int == 64 << 20)
                #expect((running["Config"] as? [String: Any])?["Cmd"] as? [String] == ["sh", "-c", "sleep 1; exit 3"])
                let id = try #require(running["Id"] as? String)
                #expect(running["LogPath"] as? String == Control.logPath(id: id))
                #expect(try Self.sandbox(["inspect", "--format", "{{.State.Pid}}", name]).output == String(pid))

                #expect(try Self.sandbox(["wait", name]).output == "3")
                let ended = try #require(Self.inspect(name)["State"] as? [String: Any])
                #expect(ended["Status"] as? String == "exited")
                #expect(ended["ExitCode"] as? Int == 3)
                #expect(ended["Pid"] as? Int == 0)
                #expect(ended["FinishedAt"] as? String != "0001-01-01T00:00:00Z")
                #expect(try Self.sandbox(["inspect", "-f", "{{json .State.ExitCode}} {{.HostConfig.Memory}}", name]).output == "3 67108864")
            }
        }

        @Test func topListsHostPidsOfPidOneAndItsChild() throws {
            try Self.withDetached("sleep 300 & sleep 301") { name in
                let pid = try #require(Self.inspect(name)["State"].flatMap { ($0 as? [String: Any])?["Pid"] as? Int })
                var lines: [[Substring]] = []
                #expect(try Self.eventually {
                    let top = try Self.sandbox(["top", name])
                    lines = top.stdout.split(separator: "\n").map { $0.split(separator: " ") }
                    return lines.count == 3
                })
                #expect(lines.first == ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"])
                #expect(lines.contains { $0[1] == "\(pid)" })
                #expect(lines.contains { $0[2] == "\(pid)" && Array($0.suffix(2)) == ["sleep", "300"] })
                // Host users: container root is the first id of the remapped range.
                let root = try Host.remapStart()
                #expect(lines.dropFirst().allSatisfy { $0[0] == "\(root)" })
                // runc's ps: the same pids, as JSON.
                let json = try Self.sandbox(["ps", "--format", "json", name])
                let pids = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [Int])
                #expect(Set(pids) == Set(lines.dropFirst().compactMap { Int($0[1]) }))
            }
        }

        @Test func statsShowsTheLimitAndTheTasks() throws {
            try Self.withDetached("sleep 300 & sleep 301", options: ["--memory", "64m"]) { name in
                #expect(try Self.eventually { try Self.sandbox(["top", name]).stdout.split(separator: "\n").count == 3 })
                let table = try Self.sandbox(["stats", "--no-stream", name])
                #expect(table.status == 0, "\(table.stderr)")
                let lines = table.stdout.split(separator: "\n")
                #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                    == "CONTAINER ID NAME CPU % MEM USAGE / LIMIT MEM % NET I/O BLOCK I/O PIDS")
                let row = try #require(lines.dropFirst().first)
                #expect(row.contains(" / 64MiB "))
                #expect(row.hasSuffix(" 2"))

                let json = try Self.sandbox(["stats", "--no-stream", "--format", "json", name])
                let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: String])
                #expect(object["Name"] == name)
                #expect(object["PIDs"] == "2")
                #expect(object["MemUsage"]?.hasSuffix(" / 64MiB") == true)
                #expect(object["NetIO"] == "0B / 0B")
                #expect(object["CPUPerc"]?.hasSuffix("%") == true)
            }
        }

        @Test func logsSplitStreamsAndSelectLines() throws {
            try Self.withDetached("echo out1; sleep 0.2; echo err1 >&2; sleep 0.2; echo out2; sleep 2; echo late; sleep 300") { name in
                #expect(try Self.eventually { try Self.sandbox(["logs", name]).stdout.contains("late") })
                let all = try Self.sandbox(["logs", name])
                #expect(all.stdout == "out1\nout2\nlate\n")
                #expect(all.stderr == "err1\n")
                let tail = try Self.sandbox(["logs", "--tail", "2", name])
                #expect(tail.stdout == "out2\nlate\n")
                #expect(tail.stderr == "")
                #expect(try Self.sandbox(["logs", "--tail", "0", name]).stdout == "")

                let stamped = try Self.sandbox(["logs", "-t", name]).stdout.split(separator: "\n")
                #expect(stamped.count == 3)
                let pattern = try Regex(#"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (out1|out2|late)$"#)
                #expect(stamped.allSatisfy { $0.wholeMatch(of: pattern) != nil })
                let late = try #require(stamped.last?.split(separator: " ").first)
                #expect(try Self.sandbox(["logs", "--since", String(late), name]).stdout == "late\n")
                #expect(try Self.sandbox(["logs", "--since", "10m", name]).stdout == "out1\nout2\nlate\n")
                #expect(try Self.sandbox(["logs", "--since", "2099-01-01", name]).stdout == "")
                #expect(try Self.sandbox(["logs", "--since", "sometime", name]).status == 1)
            }
        }

        @Test func logsFollowsWhatIsWrittenAfterItStarted() throws {
            try Self.withDetached("sleep 1; echo one; sleep 1; echo two >&2; sleep 1; echo three") { name in
                let started = Date()
                let follow = try Self.sandbox(["logs", "-f", name], timeout: 20)
                #expect(follow.status == 0)
                #expect(follow.stdout == "one\nthree\n")
                #expect(follow.stderr == "two\n")
                // It returned by itself once the container ended, not before its last line.
                #expect(Date().timeIntervalSince(started) >= 2)
            }
        }

        @Test func logsReadsRotatedFilesInOrder() throws {
            let script = "i=0; while [ $i -lt 100 ]; do echo line$i; i=$((i+1)); done"
            try Self.withDetached(script, options: ["--log-opt", "max-size=1k", "--log-opt", "max-file=3"]) { name in
                #expect(try Self.sandbox(["wait", name]).output == "0")
                let log = try #require(Self.inspect(name)["LogPath"] as? String)
                #expect(FileManager.default.fileExists(atPath: log + ".2"))
                #expect(!FileManager.default.fileExists(atPath: log + ".3"))
                let numbers = try Self.sandbox(["logs", name]).stdout.split(separator: "\n").compactMap { Int($0.dropFirst(4)) }
                // Three files of about 1 KiB hold the last lines, each after the one before.
                #expect(numbers.last == 99)
                #expect(numbers.count > 25 && numbers.count < 100)
                #expect(numbers == Array((100 - numbers.count)..<100))
                #expect(try Self.sandbox(["logs", "--tail", "3", name]).stdout == "line97\nline98\nline99\n")
            }
        }

        @Test func waitPrintsTheExitCode() throws {
            try Self.withDetached("sleep 1; exit 3") { name in
                let wait = try Self.sandbox(["wait", name])
                #expect(wait.status == 0)
                #expect(wait.output == "3")
                // Once more, for a container that has already ended.
                #expect(try Self.sandbox(["wait", name]).output == "3")
            }
        }

        /// With --rm the monitor removes the record, exit code and all, once the container ends; it waits for the
        /// waiters first, as Docker's daemon answers every `docker wait` before it forgets the container.
        @Test func waitOnAContainerRunWithRmGetsItsCode() throws {
            try Self.withDetached("sleep 1; exit 5", options: ["--rm"]) { name in
                let waiters = try (0..<3).map { _ in
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: SandboxProcess.binary)
                    process.arguments = ["wait", name]
                    let output = Pipe()
                    process.standardOutput = output
                    try process.run()
                    return (process, output)
                }
                for (process, output) in waiters {
                    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    process.waitUntilExit()
                    #expect(process.terminationStatus == 0 && text == "5\n")
                }
                #expect(try Self.eventually { !FileManager.default.fileExists(atPath: "/run/sandbox/\(name)") })
            }
        }

        /// The container dies with its monitor (SIGKILL, its parent-death signal); nobody is left to record how
        /// it ended, and the views say what happened: killed, 137.
        @Test func aContainerWhoseMonitorWasKilledReadsAsKilled() throws {
            try Self.withDetached("sleep 300") { name in
                let data = try Data(contentsOf: URL(fileURLWithPath: "/run/sandbox/\(name)/state.json"))
                let record = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                let monitor = try #require(((record["engine"] as? [String: Any])?["monitor"] as? [String: Any])?["pid"] as? Int32)
                kill(monitor, SIGKILL)
                #expect(try Self.eventually { !(try Self.sandbox(["ps"]).stdout.contains(name)) })
                let row = try Self.sandbox(["ps", "-a"]).stdout.split(separator: "\n").first { $0.hasSuffix(" " + name) }
                #expect(row?.contains("Exited (137) ") == true)
                #expect(try Self.sandbox(["wait", name]).output == "137")
                #expect(try Self.sandbox(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name]).output == "exited 137")
            }
        }

        /// Docker's CLI: a container that does not exist is one line on standard error, and status 1.
        @Test(arguments: [["ps", "views-missing"], ["ps", "--format", "json", "views-missing"], ["inspect", "views-missing"],
                          ["logs", "views-missing"], ["top", "views-missing"], ["wait", "views-missing"],
                          ["stats", "--no-stream", "views-missing"]])
        func aMissingContainer(_ arguments: [String]) throws {
            let result = try Self.sandbox(arguments)
            #expect(result.status == 1)
            #expect(result.stderr == "sandbox: container \"views-missing\" does not exist\n")
            #expect(result.stdout == (arguments[0] == "inspect" ? "[]\n" : ""))
        }

        /// A foreground run's output went to its terminal: there is no log, and logs says so in one line.
        @Test func aForegroundContainerHasNoLog() throws {
            try Exec.withContainer { container in
                let logs = try Self.sandbox(["logs", container.name])
                #expect(logs.status == 1)
                #expect(logs.stderr.hasPrefix("sandbox: container \(container.name) has no log: only a container started with sandbox run -d keeps one"))
                #expect(logs.stderr.split(separator: "\n").count == 1)
            }
        }
    }
}
