import Foundation
import Testing

extension ContainerTests {
    /// The OCI runtime's commands, as an engine calls them: a bundle made by `sandbox spec`, then create, start,
    /// state, kill and delete, each a separate process, looked at from the host.
    @Suite struct OCIRuntime {
        /// A bundle on the busybox image under a fresh state root; both removed afterwards.
        struct Bundle {
            let directory: String
            let root: String
            var config: [String: Any]

            init(args: [String] = ["sleep", "30"]) throws {
                directory = try Host.temporaryDirectory()
                root = directory + "/state"
                let written = try SandboxProcess.run(["spec", "--bundle", directory])
                try #require(written.status == 0, "\(written.stderr)")
                let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/config.json"))
                config = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                config["root"] = ["path": SandboxProcess.rootfs, "readonly": true]
                var process = try #require(config["process"] as? [String: Any])
                process["terminal"] = false
                process["args"] = args
                config["process"] = process
            }

            func write() throws {
                let data = try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted])
                try data.write(to: URL(fileURLWithPath: directory + "/config.json"))
            }

            /// `sandbox --root ROOT ARGUMENTS`.
            func sandbox(_ arguments: [String]) throws -> SandboxProcess.Result {
                try SandboxProcess.run(["--root", root] + arguments)
            }

            func state(_ id: String) throws -> [String: Any] {
                let result = try sandbox(["state", id])
                try #require(result.status == 0, "\(result.stderr)")
                return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            }

            func remove(_ id: String = "c1") {
                _ = try? sandbox(["delete", "--force", id])
                try? FileManager.default.removeItem(atPath: directory)
            }
        }

        @Test func createStartStateKillDelete() throws {
            let bundle = try Bundle()
            defer { bundle.remove() }
            try bundle.write()
            let pidFile = bundle.directory + "/pid"
            let created = try bundle.sandbox(["create", "--bundle", bundle.directory, "--pid-file", pidFile, "c1"])
            #expect(created.status == 0, "\(created.stderr)")
            var state = try bundle.state("c1")
            #expect(state["status"] as? String == "created")
            #expect(state["id"] as? String == "c1" && state["bundle"] as? String == bundle.directory)
            let pid = try #require(state["pid"] as? Int)
            #expect(try String(contentsOfFile: pidFile, encoding: .utf8) == String(pid))
            // Waiting, not yet running its command: it is still sandbox's own code, in the container's cgroup in
            // every hierarchy, run from a read-only handle on sandbox's binary (CVE-2019-5736).
            #expect(try Self.cgroups(of: pid).allSatisfy { $0.hasSuffix(":/sandbox/c1") })
            #expect(Host.fileIdentity("/proc/\(pid)/exe") == Host.fileIdentity(SandboxProcess.binary))
            #expect(Host.isOnReadOnlyMount("/proc/\(pid)/exe"))

            #expect(try bundle.sandbox(["start", "c1"]).status == 0)
            state = try bundle.state("c1")
            #expect(state["status"] as? String == "running" && state["pid"] as? Int == pid)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe").hasSuffix("busybox"))
            let again = try bundle.sandbox(["start", "c1"])
            #expect(again.status == 1 && again.stderr == "sandbox: cannot start a container that is running\n")

            let refused = try bundle.sandbox(["delete", "c1"])
            #expect(refused.status == 1 && refused.stderr == "sandbox: cannot delete container c1 that is not stopped: running\n")
            #expect(try bundle.sandbox(["kill", "c1", "KILL"]).status == 0)
            var waited = 0
            while try bundle.state("c1")["status"] as? String != "stopped", waited < 200 {
                usleep(10_000)
                waited += 1
            }
            #expect(try bundle.state("c1")["status"] as? String == "stopped")
            // runc's answers, which containerd's shim matches: its words, and --all (sent as each container
            // exits) no error.
            let late = try bundle.sandbox(["kill", "c1"])
            #expect(late.status == 1 && late.stderr == "sandbox: container not running\n")
            let all = try bundle.sandbox(["kill", "--all", "c1", "9"])
            #expect(all.status == 0 && all.stderr.isEmpty, "\(all.stderr)")
            #expect(try bundle.sandbox(["delete", "c1"]).status == 0)
            let gone = try bundle.sandbox(["state", "c1"])
            #expect(gone.status == 1 && gone.stderr == "sandbox: container \"c1\" does not exist\n")
            #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/sandbox/c1"))
        }

        /// Cloned from within a cgroup namespace it joins by path, which the kernel will not clone into a cgroup
        /// outside of, the process is still in its cgroup in every hierarchy, the v2 tree's included.
        @Test func joiningACgroupNamespaceTheProcessIsStillInItsCgroups() throws {
            var bundle = try Bundle()
            defer { bundle.remove() }
            var linux = try #require(bundle.config["linux"] as? [String: Any])
            var namespaces = try #require(linux["namespaces"] as? [[String: Any]]).filter { $0["type"] as? String != "cgroup" }
            namespaces.append(["type": "cgroup", "path": "/proc/\(getpid())/ns/cgroup"])
            linux["namespaces"] = namespaces
            bundle.config["linux"] = linux
            try bundle.write()
            let created = try bundle.sandbox(["create", "--bundle", bundle.directory, "c1"])
            #expect(created.status == 0, "\(created.stderr)")
            let pid = try #require(try bundle.state("c1")["pid"] as? Int)
            let cgroups = try Self.cgroups(of: pid)
            #expect(cgroups.count == (try Self.cgroups(of: Int(getpid()))).count)
            #expect(cgroups.allSatisfy { $0.hasSuffix(":/sandbox/c1") }, "\(cgroups)")
        }

        /// The lines of /proc/PID/cgroup, one a hierarchy.
        static func cgroups(of pid: Int) throws -> [Substring] {
            try String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8).split(separator: "\n")
        }

        /// A container that never started is deleted, its waiting process killed, without --force as with it;
        /// --force on one that does not exist is no error, as runc's.
        @Test(arguments: [[], ["--force"]])
        func deleteOfACreatedContainer(options: [String]) throws {
            let bundle = try Bundle()
            defer { bundle.remove() }
            try bundle.write()
            #expect(try bundle.sandbox(["create", "--bundle", bundle.directory, "c1"]).status == 0)
            let pid = try #require(try bundle.state("c1")["pid"] as? Int)
            let deleted = try bundle.sandbox(["delete"] + options + ["c1"])
            #expect(deleted.status == 0, "\(deleted.stderr)")
            #expect(kill(Int32(pid), 0) != 0 || (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.contains(") Z ") == true)
            #expect(try bundle.sandbox(["delete", "--force", "c1"]).status == 0)
            #expect(try bundle.sandbox(["list", "-q"]).stdout.isEmpty)
        }

        /// With a terminal, the process waiting for `start` holds the pty and its own sockets, none of create's
        /// streams: an engine that reads create's output to its end (containerd's shim) sees it end as create
        /// exits, as runc's. The console socket only has to listen: the master waits in its queue.
        @Test func aCreatedContainersTerminalIsAllItHoldsOfItsCaller() throws {
            var bundle = try Bundle()
            let id = "tty-\(UInt32.random(in: 0...UInt32.max))"
            defer { bundle.remove(id) }
            var process = try #require(bundle.config["process"] as? [String: Any])
            process["terminal"] = true
            bundle.config["process"] = process
            try bundle.write()
            let socketPath = bundle.directory + "/console.sock"
            let listener = try Self.listen(at: socketPath)
            defer { close(listener) }
            let created = try bundle.sandbox(["create", "--bundle", bundle.directory, "--console-socket", socketPath, id])
            #expect(created.status == 0, "\(created.stderr)")
            let pid = try #require(try bundle.state(id)["pid"] as? Int)
            let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").compactMap(Int.init).sorted()
            let targets = try fds.map { try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)") }
            #expect(fds.prefix(3) == [0, 1, 2] && targets.prefix(3).allSatisfy { $0.hasPrefix("/dev/pts/") }, "\(targets)")
            #expect(targets.allSatisfy { $0.hasPrefix("/dev/pts/") || $0.hasPrefix("socket:") }, "\(targets)")
        }

        /// A Unix stream socket listening at `path`, as an engine's console socket.
        static func listen(at path: String) throws -> Int32 {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            try #require(fd >= 0 && bound == 0 && Glibc.listen(fd, 1) == 0, "listen at \(path): \(errno)")
            return fd
        }

        /// As runc's, the pid file is written beside (`.pid`, made new) and renamed over the path: a symlink
        /// planted at either is never written through.
        @Test func pidFileIsNeverWrittenThroughASymlink() throws {
            let bundle = try Bundle()
            let id = "pid-\(UInt32.random(in: 0...UInt32.max))"
            defer { bundle.remove(id) }
            try bundle.write()
            let victim = bundle.directory + "/victim"
            try "precious".write(toFile: victim, atomically: false, encoding: .utf8)
            let pidFile = bundle.directory + "/pid"
            try FileManager.default.createSymbolicLink(atPath: bundle.directory + "/.pid", withDestinationPath: victim)
            let refused = try bundle.sandbox(["create", "--bundle", bundle.directory, "--pid-file", pidFile, id])
            #expect(refused.status == 1 && refused.stderr == "sandbox: open \(bundle.directory)/.pid: File exists\n", "\(refused.stderr)")
            #expect(try bundle.sandbox(["list", "-q"]).stdout.isEmpty)
            try FileManager.default.removeItem(atPath: bundle.directory + "/.pid")

            try FileManager.default.createSymbolicLink(atPath: pidFile, withDestinationPath: victim)
            #expect(try bundle.sandbox(["create", "--bundle", bundle.directory, "--pid-file", pidFile, id]).status == 0)
            let pid = try #require(try bundle.state(id)["pid"] as? Int)
            #expect(try String(contentsOfFile: pidFile, encoding: .utf8) == String(pid))
            #expect(try FileManager.default.attributesOfItem(atPath: pidFile)[.type] as? FileAttributeType == .typeRegular)
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        }

        /// runc's rule for an id, in its words, and not `.` first: sandbox keeps its own files in the state root
        /// under such names, where no lookup would find the container.
        @Test(arguments: [".c1", "..", "a/b", "", "c 1"])
        func badIDIsRefused(id: String) throws {
            let bundle = try Bundle()
            defer { bundle.remove() }
            try bundle.write()
            let result = try bundle.sandbox(["create", "--bundle", bundle.directory, id])
            #expect(result.status == 1)
            #expect(result.stderr == "sandbox: invalid container ID format: \"\(id)\": letters, digits, '_', '+', '-' and '.' only, not '.' first\n")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: bundle.root)) ?? []).isEmpty)
        }

        /// The exit status of the command is the engine's business (it reaps); a command that is not there fails
        /// create, as runc's.
        @Test func missingCommandFailsCreate() throws {
            let bundle = try Bundle(args: ["no-such-command"])
            defer { bundle.remove() }
            try bundle.write()
            let result = try bundle.sandbox(["create", "--bundle", bundle.directory, "c1"])
            #expect(result.status == 1)
            #expect(result.stderr == "sandbox: exec: \"no-such-command\": executable file not found in $PATH\n")
            #expect(try bundle.sandbox(["list", "-q"]).stdout.isEmpty)
        }

        /// Each hook gets the state on stdin, at its point of the lifecycle, in the right namespaces: the ones
        /// before pivot_root see the host's paths, startContainer the container's.
        @Test func hooksGetTheStateOnStdinInOrder() throws {
            var bundle = try Bundle(args: ["true"])
            defer { bundle.remove() }
            let record = bundle.directory + "/hooks"
            try FileManager.default.createDirectory(atPath: record, withIntermediateDirectories: false)
            func hook(_ kind: String, inContainer: Bool = false) -> [String: Any] {
                let directory = inContainer ? "/hooks" : record
                return ["path": "/bin/sh",
                        "args": ["sh", "-c", "cat > \(directory)/\(kind).json; ls \(directory)/*.json | wc -l > \(directory)/\(kind).order"]]
            }
            bundle.config["hooks"] = [
                "prestart": [hook("prestart")], "createRuntime": [hook("createRuntime")],
                "createContainer": [hook("createContainer")], "startContainer": [hook("startContainer", inContainer: true)],
                "poststart": [hook("poststart")], "poststop": [hook("poststop")],
            ]
            var mounts = try #require(bundle.config["mounts"] as? [[String: Any]])
            mounts.append(["destination": "/hooks", "type": "bind", "source": record, "options": ["rbind", "rw"]])
            bundle.config["mounts"] = mounts
            try bundle.write()
            #expect(try bundle.sandbox(["create", "--bundle", bundle.directory, "c1"]).status == 0)
            let pid = try #require(try bundle.state("c1")["pid"] as? Int)
            #expect(try bundle.sandbox(["start", "c1"]).status == 0)
            usleep(200_000)
            #expect(try bundle.sandbox(["delete", "c1"]).status == 0)
            let kinds = ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"]
            for (index, kind) in kinds.enumerated() {
                let data = try Data(contentsOf: URL(fileURLWithPath: "\(record)/\(kind).json"))
                let state = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(kind)")
                #expect(state["id"] as? String == "c1" && state["bundle"] as? String == bundle.directory, "\(kind)")
                // As crun passes it: the hooks before the process runs see it created.
                let status = ["poststart": "running", "poststop": "stopped"][kind] ?? "created"
                #expect(state["status"] as? String == status, "\(kind)")
                if kind != "poststop" { #expect(state["pid"] as? Int == pid, "\(kind)") }
                // Each hook found the files of the hooks before it: the order is the lifecycle's.
                #expect(try String(contentsOfFile: "\(record)/\(kind).order", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                    == String(index + 1), "\(kind)")
            }
        }

        /// A failing hook before the process runs fails create, and leaves nothing.
        @Test func failingCreateRuntimeHookFailsCreate() throws {
            var bundle = try Bundle()
            defer { bundle.remove() }
            bundle.config["hooks"] = ["createRuntime": [["path": "/bin/false", "args": ["false"]]]]
            try bundle.write()
            let result = try bundle.sandbox(["create", "--bundle", bundle.directory, "c1"])
            #expect(result.status == 1)
            #expect(result.stderr == "sandbox: the createRuntime hook /bin/false exited with status 1\n")
            #expect(try bundle.sandbox(["list", "-q"]).stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/sandbox/c1"))
        }

        /// A bad config.json: one line naming the field, exit 1 as runc's, nothing left behind.
        @Test(arguments: [
            ("{", "config.json: "),
            (#"{"ociVersion": "1.2.1", "process": {"cwd": "/", "args": ["true"], "user": {"uid": -1, "gid": 0}}, "root": {"path": "/"}}"#,
             "config.json: process.user.uid: "),
        ])
        func badConfigIsOneLine(text: String, prefix: String) throws {
            let bundle = try Bundle()
            defer { bundle.remove() }
            try text.write(toFile: bundle.directory + "/config.json", atomically: false, encoding: .utf8)
            let mounts = try Host.mountCount()
            let result = try bundle.sandbox(["create", "--bundle", bundle.directory, "c1"])
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("sandbox: " + prefix) && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(try bundle.sandbox(["list", "-q"]).stdout.isEmpty)
            #expect(try Host.mountCount() == mounts)
        }

        @Test func unknownCapabilityNamesTheField() throws {
            var bundle = try Bundle()
            defer { bundle.remove() }
            var process = try #require(bundle.config["process"] as? [String: Any])
            process["capabilities"] = ["bounding": ["CAP_CHOWN", "CAP_NOPE"]]
            bundle.config["process"] = process
            try bundle.write()
            let result = try bundle.sandbox(["create", "--bundle", bundle.directory, "c1"])
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("sandbox: config.json: process.capabilities.bounding[1]"), "\(result.stderr)")
        }

        /// A field sandbox cannot honour is refused by name, and nothing is made.
        @Test func unsupportedFieldNamesTheField() throws {
            var bundle = try Bundle()
            defer { bundle.remove() }
            var linux = try #require(bundle.config["linux"] as? [String: Any])
            linux["intelRdt"] = ["closID": "x"]
            bundle.config["linux"] = linux
            try bundle.write()
            let mounts = try Host.mountCount()
            let result = try bundle.sandbox(["create", "--bundle", bundle.directory, "c1"])
            #expect(result.status == 1)
            #expect(result.stderr == "sandbox: config.json: linux.intelRdt: not supported\n")
            #expect(try bundle.sandbox(["list", "-q"]).stdout.isEmpty)
            #expect(try Host.mountCount() == mounts)
        }

        /// containerd reads the error of a failed create from --log, as JSON.
        @Test func errorsGoToTheLogAsJSON() throws {
            let bundle = try Bundle()
            defer { bundle.remove() }
            let log = bundle.directory + "/log.json"
            let result = try SandboxProcess.run(["--root", bundle.root, "--log", log, "--log-format", "json", "start", "nope"])
            #expect(result.status == 1)
            let line = try String(contentsOfFile: log, encoding: .utf8)
            let entry = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(entry["level"] as? String == "error" && entry["msg"] as? String == "container \"nope\" does not exist")
        }

        /// `run --print-spec` writes the config.json a command line means; create runs it as run would.
        @Test func printedSpecRunsUnderCreate() throws {
            let bundle = try Bundle()
            defer { bundle.remove() }
            let printed = try SandboxProcess.run(["run", "--print-spec", "--rootfs", SandboxProcess.rootfs, "--user", "1000",
                                                  "--memory", "64m", "--", "sh", "-c", "id -u; cat /sys/fs/cgroup/memory/memory.limit_in_bytes > /dev/null; echo done > /dev/null"])
            #expect(printed.status == 0, "\(printed.stderr)")
            try printed.stdout.write(toFile: bundle.directory + "/config.json", atomically: false, encoding: .utf8)
            let output = bundle.directory + "/output"
            FileManager.default.createFile(atPath: output, contents: nil)
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            defer { try? log.close() }
            let create = Process()
            create.executableURL = URL(fileURLWithPath: SandboxProcess.binary)
            create.arguments = ["--root", bundle.root, "create", "--bundle", bundle.directory, "c1"]
            create.standardOutput = log
            create.standardError = log
            try create.run()
            create.waitUntilExit()
            #expect(create.terminationStatus == 0)
            #expect(try bundle.sandbox(["start", "c1"]).status == 0)
            for _ in 0..<100 where try bundle.state("c1")["status"] as? String != "stopped" { usleep(20_000) }
            #expect(try String(contentsOfFile: output, encoding: .utf8) == "1000\n")
        }

        @Test func pauseFreezesAndResumeThaws() throws {
            let bundle = try Bundle()
            defer { bundle.remove() }
            try bundle.write()
            #expect(try bundle.sandbox(["create", "--bundle", bundle.directory, "c1"]).status == 0)
            #expect(try bundle.sandbox(["start", "c1"]).status == 0)
            let pid = try #require(try bundle.state("c1")["pid"] as? Int)
            #expect(try bundle.sandbox(["pause", "c1"]).status == 0)
            #expect(try bundle.state("c1")["status"] as? String == "paused")
            #expect(try String(contentsOfFile: "/sys/fs/cgroup/freezer/sandbox/c1/freezer.state", encoding: .utf8) == "FROZEN\n")
            #expect(try bundle.sandbox(["resume", "c1"]).status == 0)
            #expect(try bundle.state("c1")["status"] as? String == "running")
            #expect(kill(Int32(pid), 0) == 0)
        }
    }
}
