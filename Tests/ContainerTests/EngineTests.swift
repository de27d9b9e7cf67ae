import Foundation
import Testing

extension ContainerTests {
    /// Real engines driving sandbox as their OCI runtime: podman (with conmon) and containerd (through ctr and
    /// its runc shim). `make test` installs both.
    @Suite struct Engines {
        /// A program's status and output (stdout and stderr together), run to its end: posix_spawn and waitpid,
        /// since Foundation's Process missed the exit of a `podman run -d` whose conmon lives on.
        static func run(_ program: String, _ arguments: [String], timeout: Double = 120) throws -> (status: Int32, output: String) {
            let output = try SandboxProcess.OutputFile()
            let pid = try spawn(program, arguments, output: output.handle.fileDescriptor)
            let status = wait(pid, timeout: timeout)
            let exit = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            let text = try output.text()
            return (exit, text.hasSuffix("\n") ? String(text.dropLast()) : text)
        }

        /// Starts `program` with no input, its stdout and stderr to `output` (/dev/null if nil).
        static func spawn(_ program: String, _ arguments: [String], output: Int32?) throws -> pid_t {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            if let output {
                posix_spawn_file_actions_adddup2(&actions, output, 1)
                posix_spawn_file_actions_adddup2(&actions, output, 2)
            } else {
                posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
                posix_spawn_file_actions_adddup2(&actions, 1, 2)
            }
            let argv = ([program] + arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid: pid_t = 0
            guard posix_spawn(&pid, program, &actions, nil, argv, environ) == 0 else { throw POSIXError(.ENOEXEC) }
            return pid
        }

        /// Its wait status, SIGKILLed once `timeout` seconds have passed.
        @discardableResult
        static func wait(_ pid: pid_t, timeout: Double) -> Int32 {
            var status: Int32 = 0
            let deadline = Date().addingTimeInterval(timeout)
            while waitpid(pid, &status, WNOHANG) == 0 {
                if Date() > deadline { kill(pid, SIGKILL) }
                usleep(10_000)
            }
            return status
        }

        static let podmanPath = "/usr/bin/podman"
        static let ctrPath = "/usr/bin/ctr"

        // MARK: podman

        /// `podman --runtime sandbox ...`, cgroupfs as there is no systemd here. podman's default open-files and
        /// processes limits are above this machine's hard limits, which no runtime may raise: lower ones are given.
        static func podman(_ arguments: [String]) throws -> (status: Int32, output: String) {
            try run(podmanPath, ["--runtime", SandboxProcess.binary, "--cgroup-manager", "cgroupfs"] + arguments)
        }

        static let limits = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]

        static func podmanRun(_ options: [String], _ command: [String]) throws -> (status: Int32, output: String) {
            try podman(["run", "--rm", "--network", "none"] + limits + options + ["--rootfs", SandboxProcess.rootfs] + command)
        }

        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: podmanPath), "podman is not installed (make test installs it)"),
              arguments: [(["sh", "-c", "exit 3"], Int32(3)), (["no-such-command"], 127), (["/etc/passwd"], 126)] as [([String], Int32)])
        func podmanExitCodes(command: [String], status: Int32) throws {
            #expect(try Self.podmanRun([], command).status == status)
        }

        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: podmanPath), "podman is not installed (make test installs it)"))
        func podmanUserCapabilitiesMapsAndMemory() throws {
            let user = try Self.podmanRun(["--user", "1000"], ["id", "-u"])
            #expect(user.status == 0 && user.output == "1000", "\(user.output)")
            let caps = try Self.podmanRun(["--cap-add", "NET_ADMIN"], ["sh", "-c", "ip link add v0 type veth peer name v1 && echo added"])
            #expect(caps.status == 0 && caps.output == "added", "\(caps.output)")
            let maps = try Self.podmanRun(["--uidmap", "0:100000:65536", "--gidmap", "0:100000:65536"], ["cat", "/proc/self/uid_map"])
            #expect(maps.status == 0, "\(maps.output)")
            #expect(maps.output.split(separator: " ").map(String.init) == ["0", "100000", "65536"])
            let memory = try Self.podmanRun(["--memory", "64m"], ["cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes"])
            #expect(memory.status == 0 && memory.output == "67108864", "\(memory.output)")
        }

        /// With -t, conmon passes --console-socket: sandbox sends it the terminal's master, sized as the config says.
        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: podmanPath), "podman is not installed (make test installs it)"))
        func podmanTerminal() throws {
            let result = try Self.podmanRun(["-t"], ["sh", "-c", "test -t 0 && test -t 1 && echo terminal"])
            #expect(result.status == 0 && result.output.hasPrefix("terminal"), "\(result.output)")
        }

        /// podman's own network: a namespace it made, which sandbox joins by its path.
        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: podmanPath), "podman is not installed (make test installs it)"))
        func podmanJoinsItsNetworkNamespace() throws {
            let result = try Self.podman(["run", "--rm"] + Self.limits + ["--rootfs", SandboxProcess.rootfs, "sh", "-c", "ls /sys/class/net | sort | tr '\\n' ' '"])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.hasPrefix("eth0 lo"), "\(result.output)")
        }

        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: podmanPath), "podman is not installed (make test installs it)"))
        func podmanDetachedExecUpdateStopRemove() throws {
            let name = "sandbox-engine-\(getpid())"
            defer { _ = try? Self.podman(["rm", "-f", "-t", "0", name]) }
            let started = try Self.podman(["run", "-d", "--name", name, "--network", "none"] + Self.limits
                                          + ["--rootfs", SandboxProcess.rootfs, "sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done"])
            #expect(started.status == 0, "\(started.output)")
            let exec = try Self.podman(["exec", name, "sh", "-c", "echo in; exit 4"])
            #expect(exec.status == 4 && exec.output == "in", "\(exec.output)")
            let terminal = try Self.podman(["exec", "-t", name, "sh", "-c", "test -t 0 && echo terminal"])
            #expect(terminal.status == 0 && terminal.output.hasPrefix("terminal"), "\(terminal.output)")
            #expect(try Self.podman(["update", "--memory", "96m", name]).status == 0)
            let limit = try Self.podman(["exec", name, "cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes"])
            #expect(limit.output == String(96 << 20), "\(limit.output)")
            let stopped = try Self.podman(["stop", "-t", "5", name])
            #expect(stopped.status == 0, "\(stopped.output)")
            let state = try Self.podman(["inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name])
            #expect(state.output == "exited 0", "\(state.output)")
            #expect(try Self.podman(["rm", name]).status == 0)
            #expect(!FileManager.default.fileExists(atPath: "/run/sandbox/" + name))
        }

        // MARK: containerd

        /// A containerd of the test's own (its root, state and socket in a temporary directory), for ctr. Started
        /// and ended with posix_spawn and waitpid: Foundation's Process once missed its exit, and the test hung.
        final class Containerd {
            let directory: String
            let pid: pid_t

            init() throws {
                directory = try Host.temporaryDirectory()
                pid = try Engines.spawn("/usr/bin/containerd", ["--root", directory + "/root", "--state", directory + "/state",
                                                                "--address", directory + "/containerd.sock"], output: nil)
                for _ in 0..<500 where !FileManager.default.fileExists(atPath: socket) { usleep(10_000) }
            }

            var socket: String { directory + "/containerd.sock" }

            func ctr(_ arguments: [String]) throws -> (status: Int32, output: String) {
                try Engines.run(Engines.ctrPath, ["--address", socket] + arguments)
            }

            /// Where the shim keeps a container's runc state, under its default root.
            static func state(of name: String) -> String { "/run/containerd/runc/default/" + name }

            /// No state, no cgroup in any hierarchy (ctr's path is /NAMESPACE/NAME), and no shim: the shim exits
            /// once its container is gone, a little after ctr returns.
            func expectNothingLeft(of name: String) {
                #expect(!FileManager.default.fileExists(atPath: Self.state(of: name)))
                let hierarchies = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []
                let cgroups = hierarchies.filter { FileManager.default.fileExists(atPath: "/sys/fs/cgroup/\($0)/default/\(name)") }
                #expect(cgroups.isEmpty, "\(cgroups)")
                var shims = shimProcesses(of: name)
                for _ in 0..<200 where !shims.isEmpty {
                    usleep(10_000)
                    shims = shimProcesses(of: name)
                }
                #expect(shims.isEmpty, "shims: \(shims)")
            }

            /// The pids of the shims of this containerd's container `name`.
            func shimProcesses(of name: String) -> [String] {
                let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { Int($0) != nil }
                return pids.filter { pid in
                    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
                    let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                    return arguments.first?.hasSuffix("containerd-shim-runc-v2") == true
                        && arguments.contains(name) && arguments.contains(socket)
                }
            }

            /// What a failed test left: the task killed and deleted through the shim, else by sandbox itself.
            func remove(_ name: String) {
                _ = try? ctr(["task", "rm", "--force", name])
                _ = try? ctr(["container", "rm", name])
                _ = try? SandboxProcess.run(["--root", "/run/containerd/runc/default", "delete", "--force", name])
            }

            deinit {
                kill(pid, SIGTERM)
                Engines.wait(pid, timeout: 10)
                try? FileManager.default.removeItem(atPath: directory)
            }
        }

        static var hasContainerd: Bool {
            FileManager.default.isExecutableFile(atPath: "/usr/bin/containerd") && FileManager.default.isExecutableFile(atPath: ctrPath)
        }

        @Test(.enabled(if: hasContainerd, "containerd is not installed (make test installs it)"))
        func containerdForegroundAndDetached() throws {
            let containerd = try Containerd()
            let runtime = ["--runc-binary", SandboxProcess.binary, "--rootfs", SandboxProcess.rootfs]
            let foreground = try containerd.ctr(["run", "--rm"] + runtime + ["c1", "/bin/sh", "-c", "echo hi; exit 3"])
            #expect(foreground.status == 3 && foreground.output == "hi", "\(foreground.output)")

            #expect(try containerd.ctr(["run", "-d"] + runtime + ["c2", "/bin/sleep", "60"]).status == 0)
            #expect(try containerd.ctr(["task", "ls"]).output.contains("RUNNING"))
            #expect(try containerd.ctr(["task", "kill", "-s", "SIGKILL", "c2"]).status == 0)
            var listed = ""
            for _ in 0..<100 {
                listed = try containerd.ctr(["task", "ls"]).output
                if listed.contains("STOPPED") { break }
                usleep(20_000)
            }
            #expect(listed.contains("STOPPED"), "\(listed)")
            #expect(try containerd.ctr(["task", "rm", "c2"]).status == 0)
            #expect(try containerd.ctr(["container", "rm", "c2"]).status == 0)
            #expect(!FileManager.default.fileExists(atPath: "/run/containerd/runc/default/c2"))
        }

        /// A container with a terminal, as a pod's with `tty: true`. The shim reads create's output to its end:
        /// were the waiting process to hold it, create would hang until the shim's deadline. ctr --tty needs a
        /// terminal of its own, which script(1) gives it.
        @Test(.enabled(if: hasContainerd && FileManager.default.isExecutableFile(atPath: "/usr/bin/script"),
                       "containerd or script(1) is not installed (make test installs containerd)"))
        func containerdTerminal() throws {
            let containerd = try Containerd()
            let name = "sandbox-tty-\(UInt32.random(in: 0...UInt32.max))"
            defer { containerd.remove(name) }
            let ctr = [Self.ctrPath, "--address", containerd.socket, "run", "--rm", "--tty", "--runc-binary", SandboxProcess.binary,
                       "--rootfs", SandboxProcess.rootfs, name, "/bin/sh", "-c", "'test -t 0 && test -t 1 && echo terminal; exit 5'"]
            let result = try Self.run("/usr/bin/script", ["-qec", ctr.joined(separator: " "), "/dev/null"], timeout: 20)
            #expect(result.status == 5 && result.output.contains("terminal"), "\(result.output)")
            containerd.expectNothingLeft(of: name)
        }

        /// A container that exits on its own, as a pod's that completes. The shim then signals it again, as
        /// runc answers: `kill --all ID 9` (sent as each container whose pid namespace is shared exits, and by
        /// `ctr task kill -a`) succeeds; a plain kill fails with runc's words, which the shim takes for a process
        /// already finished (else it would keep the container RUNNING). Then the task and the container go, and
        /// nothing is left: no state, no cgroup, no shim.
        @Test(.enabled(if: hasContainerd, "containerd is not installed (make test installs it)"))
        func containerdContainerThatExitsOnItsOwn() throws {
            let containerd = try Containerd()
            let name = "sandbox-exits-\(UInt32.random(in: 0...UInt32.max))"
            defer { containerd.remove(name) }
            let started = try containerd.ctr(["run", "-d", "--runc-binary", SandboxProcess.binary, "--rootfs", SandboxProcess.rootfs,
                                              name, "/bin/sh", "-c", "exit 7"])
            #expect(started.status == 0, "\(started.output)")
            var listed = ""
            for _ in 0..<250 {
                listed = try containerd.ctr(["task", "ls"]).output
                if listed.contains("STOPPED") { break }
                usleep(20_000)
            }
            #expect(listed.contains("STOPPED"), "\(listed)")
            let killed = try containerd.ctr(["task", "kill", name])
            #expect(killed.status == 1 && killed.output.contains("process already finished: not found"), "\(killed.output)")
            let all = try containerd.ctr(["task", "kill", "--all", "--signal", "SIGKILL", name])
            #expect(all.status == 0, "\(all.output)")
            let deleted = try containerd.ctr(["task", "rm", name])
            #expect(deleted.status == 0, "\(deleted.output)")
            #expect(try containerd.ctr(["container", "rm", name]).status == 0)
            containerd.expectNothingLeft(of: name)
        }
    }
}
