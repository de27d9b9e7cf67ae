import Foundation
import Testing

extension ContainerTests {
    /// Docker's verbs that end a detached container (`run -d`) and start it again: stop, kill, rm, restart, and
    /// the restart policies, looked at from the host: the record, the processes, the cgroups.
    @Suite struct Control {
        static func name() -> String { "ctl-" + UUID().uuidString.prefix(8).lowercased() }

        /// `sandbox run -d --name NAME --rootfs IMAGE OPTIONS -- COMMAND`, expected to succeed: the id it printed.
        @discardableResult
        static func start(_ name: String, _ options: [String] = [], _ command: [String] = ["sleep", "1000"]) throws -> String {
            let result = try SandboxProcess.run(["run", "-d", "--name", name, "--rootfs", SandboxProcess.rootfs] + options + ["--"] + command)
            try #require(result.status == 0, "run -d: \(result.stderr)")
            return result.output
        }

        /// The container's record, as the host has it; nil once it is removed.
        static func record(_ name: String) -> [String: Any]? {
            guard let data = FileManager.default.contents(atPath: "/run/sandbox/\(name)/state.json") else { return nil }
            return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        }

        static func pid(_ record: [String: Any]?) -> Int32? { (record?["pid"] as? NSNumber)?.int32Value }
        /// What the record keeps of the engine's own: `sandbox run`'s settings and what its monitor found.
        static func engine(_ record: [String: Any]?) -> [String: Any]? { record?["engine"] as? [String: Any] }
        static func monitor(_ record: [String: Any]?) -> Int32? { ((engine(record)?["monitor"] as? [String: Any])?["pid"] as? NSNumber)?.int32Value }
        static func exitCode(_ record: [String: Any]?) -> Int? { (engine(record)?["exitCode"] as? NSNumber)?.intValue }

        /// Whether the process lives (a zombie does not).
        static func alive(_ pid: Int32?) -> Bool {
            guard let pid, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            return !stat[close...].hasPrefix(") Z")
        }

        /// Waits up to `seconds` for `condition`; its last answer.
        @discardableResult
        static func wait(_ seconds: Double = 10, until condition: () throws -> Bool) rethrows -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if try condition() { return true }
                usleep(20_000)
            }
            return try condition()
        }

        /// The container's monitors, while they live: the processes running `sandbox monitor` that hold its state
        /// directory open (for its flock). Its name is on no command line: a monitor reads its configuration on
        /// its stdin.
        static func processes(naming name: String) -> [Int32] {
            let directory = "/run/sandbox/" + name
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap(Int32.init).filter { pid in
                guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                      data.split(separator: 0).contains(where: { String(decoding: $0, as: UTF8.self) == "monitor" }), alive(pid) else {
                    return false
                }
                let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
                return fds.contains { fd in
                    let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")
                    return target == directory || target == directory + " (deleted)"
                }
            }
        }

        /// A detached container's json-file log, as root's containers keep it.
        static func logPath(id: String) -> String { "/var/lib/sandbox/containers/\(id)/\(id)-json.log" }

        /// Nothing of the container is left: its state directory, its log, its cgroups, its process, its monitor.
        static func expectGone(_ name: String, _ before: [String: Any]?, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(!FileManager.default.fileExists(atPath: "/run/sandbox/\(name)"), "state directory left", sourceLocation: sourceLocation)
            if let id = before?["id"] as? String {
                #expect(!FileManager.default.fileExists(atPath: "/var/lib/sandbox/containers/\(id)"), "log left", sourceLocation: sourceLocation)
            }
            for cgroup in before?["cgroups"] as? [String] ?? [] {
                #expect(!FileManager.default.fileExists(atPath: cgroup), "cgroup \(cgroup) left", sourceLocation: sourceLocation)
            }
            #expect(!alive(pid(before)), "container process left", sourceLocation: sourceLocation)
            // A monitor that removed its container (--rm) exits just after.
            #expect(wait(2) { !alive(monitor(before)) }, "monitor left", sourceLocation: sourceLocation)
            #expect(processes(naming: name).isEmpty, "monitor left", sourceLocation: sourceLocation)
        }

        /// `sandbox ARGUMENTS`, expected to succeed.
        static func succeeds(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
            let result = try SandboxProcess.run(arguments)
            #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        }

        /// A directory the container writes to at /out, and the test reads.
        static func outDirectory() throws -> String { try Host.temporaryDirectory() }

        static func lines(_ path: String) -> Int {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
        }

        /// A shell as pid 1 that handles `signal` with `action` and waits on: /out/ready once its handler is set.
        static func trapping(_ signal: String, _ action: String) -> [String] {
            ["sh", "-c", "trap '\(action)' \(signal); touch /out/ready; while :; do sleep 10 & wait $!; done"]
        }

        @Test func stopOfAPidOneThatIgnoresTERMEndsAfterTheTimeoutWith137() throws {
            let name = Self.name()
            try Self.start(name)
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            let before = Self.record(name)
            #expect(Self.alive(Self.pid(before)) && Self.alive(Self.monitor(before)))
            let began = Date()
            let stopped = try SandboxProcess.run(["stop", "-t", "1", name])
            let elapsed = Date().timeIntervalSince(began)
            #expect(stopped.status == 0 && stopped.stdout == name + "\n", "\(stopped.stderr)")
            #expect(elapsed >= 1 && elapsed < 5, "stop took \(elapsed) s")
            let after = Self.record(name)
            #expect(Self.exitCode(after) == 137 && after?["status"] as? String == "stopped" && Self.engine(after)?["stoppedByUser"] as? Bool == true)
            #expect(!Self.alive(Self.pid(before)) && !Self.alive(Self.monitor(before)))
            // A stopped container: stopping it again is no error.
            try Self.succeeds(["stop", name])
            let removed = try SandboxProcess.run(["rm", name])
            #expect(removed.status == 0 && removed.stdout == name + "\n", "\(removed.stderr)")
            Self.expectGone(name, before)
        }

        @Test func stopOfAProcessThatTrapsTERMEndsAtOnceWithItsOwnCode() throws {
            let name = Self.name(), out = try Self.outDirectory()
            defer { try? FileManager.default.removeItem(atPath: out) }
            let script = ["sh", "-c", "trap 'exit 4' USR1; " + Self.trapping("TERM", "exit 3")[2]]
            try Self.start(name, ["-v", out + ":/out"], script)
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            #expect(Self.wait { FileManager.default.fileExists(atPath: out + "/ready") })
            var began = Date()
            let stopped = try SandboxProcess.run(["stop", name])
            #expect(stopped.status == 0, "\(stopped.stderr)")
            #expect(Date().timeIntervalSince(began) < 5)
            #expect(Self.exitCode(Self.record(name)) == 3)
            // -s: another signal first.
            try FileManager.default.removeItem(atPath: out + "/ready")
            try Self.succeeds(["restart", name])
            #expect(Self.wait { FileManager.default.fileExists(atPath: out + "/ready") })
            began = Date()
            try Self.succeeds(["stop", "-s", "USR1", name])
            #expect(Date().timeIntervalSince(began) < 5)
            #expect(Self.exitCode(Self.record(name)) == 4)
        }

        @Test func killSendsTheSignalTheProcessTrapsThenSIGKILL() throws {
            let name = Self.name(), out = try Self.outDirectory()
            defer { try? FileManager.default.removeItem(atPath: out) }
            try Self.start(name, ["-v", out + ":/out"], Self.trapping("USR1", "echo usr1 >> /out/signals"))
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            #expect(Self.wait { FileManager.default.fileExists(atPath: out + "/ready") })
            let record = Self.record(name)
            let usr1 = try SandboxProcess.run(["kill", "-s", "USR1", name])
            #expect(usr1.status == 0 && usr1.stdout == name + "\n", "\(usr1.stderr)")
            #expect(Self.wait { (try? String(contentsOfFile: out + "/signals", encoding: .utf8)) == "usr1\n" })
            #expect(Self.alive(Self.pid(record)))
            // SIGKILL by default; it returns once the container has ended.
            let killed = try SandboxProcess.run(["kill", name])
            #expect(killed.status == 0 && killed.stdout == name + "\n", "\(killed.stderr)")
            #expect(!Self.alive(Self.pid(record)) && Self.exitCode(Self.record(name)) == 137)
            let id = try #require(record?["id"] as? String)
            let late = try SandboxProcess.run(["kill", name])
            #expect(late.status == 1 && late.stderr == "sandbox: cannot kill container: \(name): container \(id) is not running\n")
            let bad = try SandboxProcess.run(["kill", "-s", "NOPE", name])
            #expect(bad.status == 1 && bad.stderr == "sandbox: invalid signal \"NOPE\"\n")
        }

        @Test func rmOfARunningContainerIsRefusedAndRmFKillsIt() throws {
            let name = Self.name()
            try Self.start(name)
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            let before = Self.record(name)
            let refused = try SandboxProcess.run(["rm", name])
            #expect(refused.status == 1 && refused.stdout.isEmpty)
            #expect(refused.stderr == "sandbox: cannot remove container \"\(name)\": container is running: stop the container before removing or force remove\n")
            #expect(Self.alive(Self.pid(before)))
            let forced = try SandboxProcess.run(["rm", "-f", "-v", name])
            #expect(forced.status == 0 && forced.stdout == name + "\n", "\(forced.stderr)")
            Self.expectGone(name, before)
            let missing = try SandboxProcess.run(["rm", name])
            #expect(missing.status == 1 && missing.stderr == "sandbox: container \"\(name)\" does not exist\n")
        }

        @Test func restartStartsANewProcessUnderTheSameNameAndId() throws {
            let name = Self.name(), out = try Self.outDirectory()
            defer { try? FileManager.default.removeItem(atPath: out) }
            let id = try Self.start(name, ["-v", out + ":/out", "-e", "GREETING=hello"], ["sh", "-c", "echo $GREETING >> /out/starts; exec sleep 1000"])
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            let first = Self.record(name)
            let restarted = try SandboxProcess.run(["restart", "-t", "0", String(id.prefix(12))])
            #expect(restarted.status == 0 && restarted.stdout == String(id.prefix(12)) + "\n", "\(restarted.stderr)")
            let second = Self.record(name)
            #expect(second?["id"] as? String == id && second?["name"] as? String == name && second?["status"] as? String == "running")
            #expect(Self.pid(second) != Self.pid(first) && Self.alive(Self.pid(second)) && !Self.alive(Self.pid(first)))
            #expect(Self.monitor(second) != Self.monitor(first) && Self.alive(Self.monitor(second)))
            #expect(Self.engine(second)?["stoppedByUser"] as? Bool == false)
            // A stopped container is started again.
            try Self.succeeds(["stop", "-t", "0", name])
            try Self.succeeds(["restart", name])
            #expect(Self.alive(Self.pid(Self.record(name))))
            #expect(Self.wait { (try? String(contentsOfFile: out + "/starts", encoding: .utf8)) == "hello\nhello\nhello\n" })
            let log = try String(contentsOfFile: Self.logPath(id: id), encoding: .utf8)
            #expect(log.isEmpty)
        }

        /// `restart` starts what `run -d` resolved: the env-file and the seccomp profile its command line named are
        /// not read again, and may be gone.
        @Test func restartUsesTheConfigurationRunDResolved() throws {
            let name = Self.name(), out = try Self.outDirectory(), files = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: out) }
            defer { try? FileManager.default.removeItem(atPath: files) }
            try "GREETING=from-the-env-file\n".write(toFile: files + "/env", atomically: true, encoding: .utf8)
            try FileManager.default.copyItem(atPath: Seccomp.profiles + "/deny-mkdir.json", toPath: files + "/profile.json")
            let probe = "echo \"$GREETING $(mkdir /tmp/probe 2>/dev/null && echo made || echo refused)\" >> /out/starts; exec sleep 1000"
            try Self.start(name, ["-v", out + ":/out", "--env-file", files + "/env", "--security-opt", "seccomp=" + files + "/profile.json"],
                           ["sh", "-c", probe])
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            #expect(Self.wait { Self.lines(out + "/starts") == 1 })
            try FileManager.default.removeItem(atPath: files)
            try Self.succeeds(["restart", "-t", "0", name])
            #expect(Self.wait { Self.lines(out + "/starts") == 2 })
            #expect(try String(contentsOfFile: out + "/starts", encoding: .utf8) == "from-the-env-file refused\n" + "from-the-env-file refused\n")
        }

        @Test func restartKeepsAContainerRunWithRmWhichStopRemoves() throws {
            let name = Self.name()
            try Self.start(name, ["--rm"])
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            let first = Self.record(name)
            try Self.succeeds(["restart", "-t", "0", name])
            let second = Self.record(name)
            #expect(Self.alive(Self.pid(second)) && Self.pid(second) != Self.pid(first) && (Self.engine(second)?["settings"] as? [String: Any])?["autoRemove"] as? Bool == true)
            try Self.succeeds(["stop", "-t", "0", name])
            Self.expectGone(name, second)
        }

        /// Only `run -d` keeps the command line a restart needs.
        @Test func restartOfAContainerNotRunDetachedIsRefused() throws {
            try Exec.withContainer { container in
                let refused = try SandboxProcess.run(["restart", container.name])
                #expect(refused.status == 1)
                #expect(refused.stderr == "sandbox: cannot restart container \(container.name): only a container started by sandbox run -d can be restarted\n")
                #expect(Self.alive(container.pid))
            }
        }

        /// runc's form, as engines call it, beside Docker's: which one a command line is.
        @Test func killInBothForms() throws {
            let first = Self.name(), second = Self.name()
            let id = try Self.start(first)
            try Self.start(second)
            defer { _ = try? SandboxProcess.run(["rm", "-f", first, second]) }
            let log = try Host.temporaryDirectory() + "/log"
            defer { try? FileManager.default.removeItem(atPath: (log as NSString).deletingLastPathComponent) }
            let engine = try SandboxProcess.run(["--root", "/run/sandbox", "--log", log, "--log-format", "json", "kill", id, "9"])
            #expect(engine.status == 0 && engine.stdout.isEmpty, "\(engine.stderr)")
            #expect(Self.exitCode(Self.record(first)) == 137)
            let late = try SandboxProcess.run(["--root", "/run/sandbox", "--log", log, "--log-format", "json", "kill", id, "15"])
            #expect(late.status == 1 && late.stderr == "sandbox: container not running\n")
            #expect(try String(contentsOfFile: log, encoding: .utf8).contains("\"msg\":\"container not running\""))
            // Without the engine's options: two arguments, the last a signal, are runc's form.
            let runc = try SandboxProcess.run(["kill", second, "KILL"])
            #expect(runc.status == 0 && runc.stdout.isEmpty, "\(runc.stderr)")
            #expect(Self.exitCode(Self.record(second)) == 137)
            // Two containers are Docker's: both named back; -s makes it Docker's whatever follows.
            try Self.succeeds(["restart", first, second])
            let docker = try SandboxProcess.run(["kill", first, second])
            #expect(docker.status == 0 && docker.stdout == "\(first)\n\(second)\n", "\(docker.stderr)")
            let badFlag = try SandboxProcess.run(["kill", "--nope", first])
            #expect(badFlag.status == 125)
        }

        @Test func aKilledMonitorTakesItsContainerAlongAndLeavesItsRecordForRmF() throws {
            let name = Self.name()
            let id = try Self.start(name)
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            let before = Self.record(name)
            let monitor = try #require(Self.monitor(before))
            #expect(kill(monitor, SIGKILL) == 0)
            #expect(Self.wait { !Self.alive(Self.pid(before)) }, "the container outlived its monitor")
            #expect(Self.record(name) != nil)
            #expect(try SandboxProcess.run(["list", "-q"]).stdout.split(separator: "\n").contains(Substring(id)))
            let state = try SandboxProcess.run(["state", name])
            #expect(state.stdout.contains("\"status\": \"stopped\"") || state.stdout.contains("\"status\":\"stopped\""), "\(state.stdout)")
            let cgroups = before?["cgroups"] as? [String] ?? []
            #expect(cgroups.contains { FileManager.default.fileExists(atPath: $0) }, "no monitor removed them")
            let removed = try SandboxProcess.run(["rm", "-f", name])
            #expect(removed.status == 0, "\(removed.stderr)")
            Self.expectGone(name, before)
        }

        /// The monitor holds no file of its caller's: a caller waiting for EOF on a pipe that `run -d` had open
        /// (a shell's `exec 5>&1`, an engine's log pipe, a test harness's) gets it when run -d exits, not when the
        /// container does.
        @Test func theMonitorHoldsNoneOfItsCallersFiles() throws {
            let name = Self.name()
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            let shell = Process(), pipe = Pipe()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", "exec 5>&1; exec \"$0\" run -d --name \(name) --rootfs \(SandboxProcess.rootfs) sleep 1000",
                               SandboxProcess.binary]
            shell.standardOutput = pipe
            shell.standardError = FileHandle.nullDevice
            try shell.run()
            try pipe.fileHandleForWriting.close()
            let ended = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                _ = pipe.fileHandleForReading.readDataToEndOfFile()
                ended.signal()
            }
            let closed = ended.wait(timeout: .now() + 30) == .success
            #expect(closed, "the pipe stayed open after run -d returned")
            // Foundation learns that its child ended from a socket of its own, which the monitor would hold too.
            if !closed { _ = try SandboxProcess.run(["rm", "-f", name]) }
            shell.waitUntilExit()
            #expect(shell.terminationStatus == 0 && (!closed || Self.alive(Self.pid(Self.record(name)))))
        }

        @Test func detachedWithRmIsRemovedWhenItEnds() throws {
            let mounts = try Host.mountCount()
            let name = Self.name()
            try Self.start(name, ["--rm"], ["sleep", "1"])
            let before = Self.record(name)
            #expect(Self.alive(Self.pid(before)))
            #expect(Self.wait { !FileManager.default.fileExists(atPath: "/run/sandbox/\(name)") })
            Self.expectGone(name, before)
            #expect(try Host.mountCount() == mounts)
        }

        @Test func onFailureRestartsAtMostNTimesThenStaysExited() throws {
            let name = Self.name(), out = try Self.outDirectory()
            defer { try? FileManager.default.removeItem(atPath: out) }
            try Self.start(name, ["--restart", "on-failure:2", "-v", out + ":/out"], ["sh", "-c", "echo x >> /out/starts; exit 1"])
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            let monitor = Self.monitor(Self.record(name))
            #expect(Self.wait { !Self.alive(monitor) }, "the monitor is still restarting it")
            let record = Self.record(name)
            #expect(Self.lines(out + "/starts") == 3)
            #expect(Self.engine(record)?["restartCount"] as? Int == 2 && Self.exitCode(record) == 1 && record?["status"] as? String == "stopped")
            try Self.succeeds(["rm", name])
        }

        @Test(arguments: ["always", "unless-stopped"])
        func restartsUntilStopped(policy: String) throws {
            let name = Self.name(), out = try Self.outDirectory()
            defer { try? FileManager.default.removeItem(atPath: out) }
            try Self.start(name, ["--restart", policy, "-v", out + ":/out"], ["sh", "-c", "echo x >> /out/starts; exit 0"])
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            let monitor = Self.monitor(Self.record(name))
            #expect(Self.wait { Self.lines(out + "/starts") >= 3 })
            #expect(Self.alive(monitor))
            // Running, or between two runs: either way not removed without -f.
            let refused = try SandboxProcess.run(["rm", name])
            #expect(refused.status == 1 && refused.stderr.hasSuffix(": stop the container before removing or force remove\n"), "\(refused.stderr)")
            let began = Date()
            let stopped = try SandboxProcess.run(["stop", name])
            #expect(stopped.status == 0, "\(stopped.stderr)")
            #expect(Date().timeIntervalSince(began) < 5)
            #expect(!Self.alive(monitor))
            let starts = Self.lines(out + "/starts")
            usleep(1_000_000)
            #expect(Self.lines(out + "/starts") == starts, "started again after stop")
            try Self.succeeds(["rm", name])
        }
    }
}
