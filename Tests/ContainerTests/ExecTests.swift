import Foundation
import Testing

extension ContainerTests {
    /// `sandbox exec`: processes joining a container that `sandbox run` keeps running in the background, looked
    /// at from inside and from the host.
    @Suite struct Exec {
        /// A running container, `sandbox run --name NAME ... sleep 60` in the background.
        struct Running {
            let name: String
            /// Its first process, as the host sees it.
            let pid: Int32
            let run: Process

            /// Its record's cgroup directories.
            var cgroups: [String] {
                get throws {
                    let data = try Data(contentsOf: URL(fileURLWithPath: "/run/sandbox/\(name)/state.json"))
                    let record = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                    return try #require(record["cgroups"] as? [String])
                }
            }

            /// The pids in its cgroup.
            var tasks: Set<Int32> {
                get throws {
                    let directory = try #require(try cgroups.first)
                    let text = try String(contentsOfFile: directory + "/cgroup.procs", encoding: .utf8)
                    return Set(text.split(separator: "\n").compactMap { Int32($0) })
                }
            }

            /// `sandbox exec OPTIONS NAME COMMAND`.
            func exec(_ command: [String], options: [String] = [], input: String? = nil) throws -> SandboxProcess.Result {
                try SandboxProcess.run(["exec"] + options + [name] + command, input: input, timeout: 30)
            }
        }

        /// Runs `body` with a container started with `options`, then kills it and waits for its run to end.
        static func withContainer(_ options: [String] = [], _ body: (Running) throws -> Void) throws {
            let name = "exec-" + UUID().uuidString.prefix(8).lowercased()
            let run = Process()
            run.executableURL = URL(fileURLWithPath: SandboxProcess.binary)
            run.arguments = ["run", "--name", name, "--rootfs", SandboxProcess.rootfs] + options + ["sleep", "60"]
            run.standardInput = FileHandle.nullDevice
            run.standardOutput = FileHandle.nullDevice
            try run.run()
            defer {
                _ = try? SandboxProcess.run(["kill", name, "KILL"])
                run.waitUntilExit()
            }
            var pid: Int32?
            for _ in 0..<200 where pid == nil && run.isRunning {
                let state = try SandboxProcess.run(["state", name])
                if let object = try? JSONSerialization.jsonObject(with: Data(state.stdout.utf8)) as? [String: Any],
                   object["status"] as? String == "running" {
                    pid = (object["pid"] as? NSNumber)?.int32Value
                }
                if pid == nil { usleep(50_000) }
            }
            try body(Running(name: name, pid: try #require(pid, "the container never ran"), run: run))
        }

        /// The value of `field` in a /proc/PID/status text.
        static func field(_ field: String, in status: String) -> String? {
            status.split(separator: "\n").first { $0.hasPrefix(field + ":") }.map { $0.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces) }
        }

        static let namespaces = ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"]

        @Test(arguments: HostileImage.modes)
        func joinsEveryNamespaceAndTheUserMapOfTheContainer(mode: [String]) throws {
            try Self.withContainer(mode) { container in
                let script = "for n in \(Self.namespaces.joined(separator: " ")); do readlink /proc/self/ns/$n; done; cat /proc/self/uid_map"
                let inside = try container.exec(["sh", "-c", script])
                #expect(inside.status == 0, "\(inside.stderr)")
                let host = try Self.namespaces.map { try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(container.pid)/ns/\($0)") }
                    + [try String(contentsOfFile: "/proc/\(container.pid)/uid_map", encoding: .utf8)]
                #expect(inside.stdout == host.joined(separator: "\n") + (host.last!.hasSuffix("\n") ? "" : "\n"))
            }
        }

        /// The five capability sets, no_new_privs and the seccomp filter are pid 1's, whatever they are.
        @Test(arguments: [[], ["--security-opt", "no-new-privileges"], ["--cap-drop", "ALL", "--cap-add", "NET_ADMIN"],
                          ["--userns", "host", "--security-opt", "no-new-privileges"]])
        func privilegesAreTheContainers(options: [String]) throws {
            try Self.withContainer(options) { container in
                let inside = try container.exec(["cat", "/proc/self/status"])
                #expect(inside.status == 0, "\(inside.stderr)")
                let host = try String(contentsOfFile: "/proc/\(container.pid)/status", encoding: .utf8)
                for field in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp", "Seccomp_filters"] {
                    #expect(Self.field(field, in: inside.stdout) == Self.field(field, in: host), "\(field)")
                }
                #expect(Self.field("Seccomp", in: inside.stdout) == "2")
            }
        }

        @Test func exitStatusAsDockerExecAndNothingLeftBehind() throws {
            try Self.withContainer { container in
                let processes = Host.sandboxProcesses()
                let cases: [([String], [String], Int32, String)] = [
                    ([], ["sh", "-c", "exit 7"], 7, ""),
                    ([], ["sh", "-c", "kill -9 $$"], 137, ""),
                    ([], ["no-such-command"], 127, "sandbox: exec: \"no-such-command\": executable file not found in $PATH\n"),
                    ([], ["/no/such/file"], 127, "sandbox: exec /no/such/file: No such file or directory\n"),
                    ([], ["/etc/passwd"], 126, "sandbox: exec /etc/passwd: Permission denied\n"),
                    (["-w", "/no/such/dir"], ["true"], 126, "sandbox: change to working directory /no/such/dir: No such file or directory\n"),
                    (["-u", "ghost"], ["true"], 125, "sandbox: unable to find user ghost: no matching entries in the container's /etc/passwd\n"),
                    (["-u", "70000"], ["true"], 125, "sandbox: uid 70000 is not mapped in the container's user namespace (mapped: 0-65535)\n"),
                ]
                for (options, command, status, message) in cases {
                    let result = try container.exec(command, options: options)
                    #expect(result.status == status, "\(command): \(result.stderr)")
                    #expect(result.stderr == message)
                }
                #expect(Host.sandboxProcesses() == processes)
                #expect(try container.tasks == [container.pid])
            }
        }

        @Test func userEnvironmentAndWorkingDirectory() throws {
            try Self.withContainer { container in
                let user = try container.exec(["sh", "-c", "id; echo $HOME; grep -E '^Cap(Prm|Eff)' /proc/self/status"], options: ["-u", "1000"])
                #expect(user.stdout == "uid=1000(user) gid=1000(user)\n/home/user\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n")
                #expect(try container.exec(["id"], options: ["-u", "nobody"]).stdout == "uid=65534(nobody) gid=65534(nogroup)\n")
                let environment = try container.exec(["sh", "-c", "echo $FOO $HOME $PATH; pwd"], options: ["-e", "FOO=bar", "-w", "/etc"])
                #expect(environment.stdout == "bar /root /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n/etc\n")
                #expect(try container.exec(["pwd"]).stdout == "/\n")
            }
        }

        @Test func streams() throws {
            try Self.withContainer { container in
                let terminal = try container.exec(["sh", "-c", "test -t 0 && test -t 1 && echo tty $TERM"], options: ["-t"])
                #expect(terminal.status == 0, "\(terminal.stderr)")
                #expect(terminal.stdout.contains("tty xterm"))
                #expect(try container.exec(["cat"], options: ["-i"], input: "hello\n").stdout == "hello\n")
                let closed = try container.exec(["cat"], input: "hello\n")
                #expect(closed.status == 0 && closed.stdout.isEmpty)
                // Nothing sandbox opened (the container's pidfd, its state directory's lock) reaches the process.
                #expect(try container.exec(["sh", "-c", "ls /proc/self/fd | sort -n | tr '\\n' ' '"]).stdout == "0 1 2 3 ")
            }
        }

        /// Returns at once; the pid file names a process in the container's pid namespace and cgroup. With
        /// --pid-file the call is an engine's, whose streams the process keeps: it lets go of them itself.
        @Test func detachedWithAPidFile() throws {
            try Self.withContainer { container in
                let pidFile = try Host.temporaryDirectory() + "/pid"
                defer { try? FileManager.default.removeItem(atPath: (pidFile as NSString).deletingLastPathComponent) }
                let started = Date()
                let result = try container.exec(["sh", "-c", "exec sleep 30 >/dev/null 2>&1"], options: ["-d", "--pid-file", pidFile])
                #expect(result.status == 0, "\(result.stderr)")
                #expect(Date().timeIntervalSince(started) < 10)
                let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8)))
                defer { kill(pid, SIGKILL) }
                #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/pid")
                        == FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(container.pid)/ns/pid"))
                #expect(try String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)
                        == String(contentsOfFile: "/proc/\(container.pid)/cgroup", encoding: .utf8))
                #expect(try container.tasks == [container.pid, pid])

                // As docker exec -d: attached to nothing, so nothing waits for its output.
                let docker = try container.exec(["sleep", "30"], options: ["-d"])
                #expect(docker.status == 0 && Date().timeIntervalSince(started) < 20)
                let tasks = try container.tasks
                #expect(tasks.count == 3)
                tasks.subtracting([container.pid, pid]).forEach { kill($0, SIGKILL) }
            }
        }

        /// Signals reach the process; killed, sandbox takes it along.
        @Test func signalsAndAKilledSandbox() throws {
            try Self.withContainer { container in
                for signal in [SIGTERM, SIGKILL] {
                    let exec = Process()
                    exec.executableURL = URL(fileURLWithPath: SandboxProcess.binary)
                    exec.arguments = ["exec", container.name, "sh", "-c", "trap 'exit 42' TERM; echo ready; while :; do sleep 0.05; done"]
                    let output = Pipe()
                    exec.standardOutput = output
                    try exec.run()
                    #expect(String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) == "ready\n")
                    kill(exec.processIdentifier, signal)
                    exec.waitUntilExit()
                    #expect(exec.terminationStatus == (signal == SIGTERM ? 42 : SIGKILL))
                    for _ in 0..<100 where try container.tasks != [container.pid] { usleep(20_000) }
                    #expect(try container.tasks == [container.pid])
                }
            }
        }

        @Test func aMissingOrStoppedContainerIsOneLine() throws {
            let missing = try SandboxProcess.run(["exec", "no-such-container", "true"])
            #expect(missing.status == 125)
            #expect(missing.stderr == "sandbox: container \"no-such-container\" does not exist\n")
            let log = try Host.temporaryDirectory() + "/log"
            defer { try? FileManager.default.removeItem(atPath: (log as NSString).deletingLastPathComponent) }
            let engine = try SandboxProcess.run(["--log", log, "--log-format", "json", "exec", "no-such-container", "true"])
            #expect(engine.status == 1)
            #expect(try String(contentsOfFile: log, encoding: .utf8).contains("\"msg\":\"container \\\"no-such-container\\\" does not exist\""))

            // A run killed with SIGKILL takes its container along and leaves its record: stopped.
            var name = ""
            try Self.withContainer { container in
                name = container.name
                kill(container.run.processIdentifier, SIGKILL)
                container.run.waitUntilExit()
                let stopped = try container.exec(["true"])
                #expect(stopped.status == 125)
                #expect(stopped.stderr.hasPrefix("sandbox: container ") && stopped.stderr.hasSuffix(" is not running: it is stopped\n"))
            }
            #expect(try SandboxProcess.run(["delete", name]).status == 0)
        }

        /// As podman's conmon and containerd's shim call it.
        @Test func anEnginesProcessJSON() throws {
            try Self.withContainer { container in
                let directory = try Host.temporaryDirectory()
                defer { try? FileManager.default.removeItem(atPath: directory) }
                let process = """
                    {"user": {"uid": 1000, "gid": 1000, "additionalGids": [10], "umask": 63},
                     "args": ["sh", "-c", "id; echo $FOO $HOME; pwd; umask; ulimit -n; grep -E '^(CapBnd|NoNewPrivs)' /proc/self/status; exit 3"],
                     "env": ["PATH=/bin", "FOO=oci"], "cwd": "/tmp", "noNewPrivileges": true,
                     "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 1024}],
                     "capabilities": {"bounding": ["CAP_CHOWN", "CAP_KILL"], "permitted": ["CAP_KILL"], "effective": ["CAP_KILL"]}}
                    """
                try process.write(toFile: directory + "/process.json", atomically: true, encoding: .utf8)
                let attached = try container.exec([], options: ["--process", directory + "/process.json"])
                #expect(attached.status == 3, "\(attached.stderr)")
                #expect(attached.stdout == "uid=1000(user) gid=1000(user) groups=10\noci /home/user\n/tmp\n0077\n512\nCapBnd:\t0000000000000021\nNoNewPrivs:\t1\n")

                // Its streams are the caller's, as an engine's pipes are: it lets go of them, for the test's sake.
                try #"{"args": ["sh", "-c", "exec sleep 30 >/dev/null 2>&1"], "env": ["PATH=/bin"], "cwd": "/"}"#.write(toFile: directory + "/sleep.json", atomically: true, encoding: .utf8)
                let detached = try SandboxProcess.run(["--root", "/run/sandbox", "--log", directory + "/log", "--log-format", "json", "exec",
                                                       "--process", directory + "/sleep.json", "--detach", "--pid-file", directory + "/pid",
                                                       container.name], timeout: 10)
                #expect(detached.status == 0, "\(detached.stderr)")
                let pid = try #require(Int32(try String(contentsOfFile: directory + "/pid", encoding: .utf8)))
                defer { kill(pid, SIGKILL) }
                #expect(try container.tasks == [container.pid, pid])

                let refused = try container.exec(["true"], options: ["--process", directory + "/sleep.json"])
                #expect(refused.status == 1)
                #expect(refused.stderr == "sandbox: --process describes the whole process: a command cannot be given with it\n")
            }
        }

        /// The image is hostile: its /etc/passwd is read through the container's root, never the host's.
        @Test func passwdIsResolvedInsideTheContainer() throws {
            let directory = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try "ghost:x:4242:4242::/:/bin/sh\n".write(toFile: directory + "/passwd", atomically: true, encoding: .utf8)
            try Self.withContainer { container in
                // An absolute link, followed from the host's /, would reach the host's file.
                #expect(try container.exec(["ln", "-sf", directory + "/passwd", "/etc/passwd"]).status == 0)
                let linked = try container.exec(["id"], options: ["-u", "ghost"])
                #expect(linked.status == 125)
                #expect(linked.stderr == "sandbox: unable to find user ghost: no matching entries in the container's /etc/passwd\n")

                #expect(try container.exec(["sh", "-c", "rm /etc/passwd && mkfifo /etc/passwd"]).status == 0)
                let fifo = try container.exec(["id"], options: ["-u", "ghost"])
                #expect(fifo.status == 125)
                #expect(fifo.stderr == "sandbox: read /etc/passwd in /proc/\(container.pid)/root: not a regular file\n")
                // Without a name to look up, the image's files are not read.
                #expect(try container.exec(["true"]).status == 0)
            }
        }
    }
}
