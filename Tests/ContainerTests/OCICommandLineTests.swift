import Foundation
import Testing

extension ContainerTests {
    /// The OCI runtime's command line as runc's, beyond the lifecycle: --version, the global --systemd-cgroup,
    /// kill --all, create --preserve-fds, features and spec --rootless, each checked on real containers.
    @Suite struct OCICommandLine {
        typealias Bundle = OCIRuntime.Bundle

        /// Adds a bind of `source` at `destination` to the bundle's mounts.
        static func bind(_ source: String, at destination: String, in bundle: inout Bundle) throws {
            var mounts = try #require(bundle.config["mounts"] as? [[String: Any]])
            mounts.append(["destination": destination, "type": "bind", "source": source, "options": ["rbind", "rw"]])
            bundle.config["mounts"] = mounts
        }

        /// Waits until the container's process has ended.
        static func waitStopped(_ bundle: Bundle, _ id: String = "c1") throws -> Bool {
            try Control.wait { try bundle.state(id)["status"] as? String == "stopped" }
        }

        @Test func versionNamesTheSpecAndLibseccomp() throws {
            let result = try SandboxProcess.run(["--version"])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.output.split(separator: "\n").map(String.init)
            try #require(lines.count == 3, "\(result.stdout)")
            #expect(lines[0].hasPrefix("sandbox version "))
            let features = try JSONSerialization.jsonObject(with: Data(try SandboxProcess.run(["features"]).stdout.utf8)) as? [String: Any]
            #expect(lines[1] == "spec: " + (features?["ociVersionMax"] as? String ?? "?"))
            // The library the binary is linked with, as the host's package describes it.
            let library = try RunFlags.output(of: "/usr/bin/pkg-config", ["--modversion", "libseccomp"])
            #expect(lines[2] == "libseccomp: " + library.trimmingCharacters(in: .whitespacesAndNewlines))
        }

        /// runc's global --systemd-cgroup, which podman passes when its cgroup manager is systemd: refused by
        /// every command it comes before, in one line (also in --log) and exit 1, before anything is made.
        @Test(arguments: [
            ["create", "--bundle", "BUNDLE", "c1"], ["kill", "--all", "c1", "KILL"], ["exec", "c1", "true"],
            ["run", "--rootfs", "ROOTFS", "true"], ["run", "-d", "--name", "c1", "--rootfs", "ROOTFS", "sleep", "10"],
        ])
        func systemdCgroupIsRefusedInOneLine(_ command: [String]) throws {
            let bundle = try Bundle()
            defer { bundle.remove() }
            try bundle.write()
            let log = bundle.directory + "/log"
            let arguments = command.map { $0 == "BUNDLE" ? bundle.directory : $0 == "ROOTFS" ? SandboxProcess.rootfs : $0 }
            let states = Host.stateDirectories(), mounts = try Host.mountCount()
            let result = try SandboxProcess.run(["--root", bundle.root, "--log", log, "--systemd-cgroup"] + arguments)
            let message = "sandbox: --systemd-cgroup is not supported: sandbox manages cgroups through cgroupfs (use the cgroupfs manager)\n"
            #expect(result.status == 1 && result.stderr == message, "\(result.stderr)")
            #expect(try String(contentsOfFile: log, encoding: .utf8).contains("--systemd-cgroup is not supported"))
            #expect(try bundle.sandbox(["list", "-q"]).stdout.isEmpty)
            #expect(Set(Host.stateDirectories()).isSubset(of: states))
            #expect(try Host.mountCount() == mounts)
        }

        /// A global option whose value is missing, at the end of the line, is one line and 125, not a crash (it
        /// read past the command line's end).
        @Test(arguments: [["--root"], ["--log"], ["--debug", "--log-format"]])
        func aGlobalOptionWithoutItsValueIsOneLine(_ arguments: [String]) throws {
            let result = try SandboxProcess.run(arguments)
            #expect(result.status == 125)
            #expect(result.stderr.hasPrefix("sandbox: Missing value for '\(arguments.last!) <"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }

        /// Without --all the signal reaches pid 1 only; with it, every process of the container: here pid 1 and
        /// the child it forked, each of which traps it.
        @Test func killAllSignalsEveryProcess() throws {
            let out = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: out) }
            var bundle = try Bundle(args: ["sh", "-c", """
                trap 'echo one >> /out/signals' USR1
                (trap 'echo child >> /out/signals' USR1; touch /out/ready; while :; do sleep 1; done) &
                while :; do sleep 1 & wait $!; done
                """])
            defer { bundle.remove() }
            try Self.bind(out, at: "/out", in: &bundle)
            try bundle.write()
            let created = try bundle.sandbox(["create", "--bundle", bundle.directory, "c1"])
            try #require(created.status == 0, "\(created.stderr)")
            #expect(try bundle.sandbox(["start", "c1"]).status == 0)
            #expect(Control.wait { FileManager.default.fileExists(atPath: out + "/ready") })
            let signals = out + "/signals"
            func received() -> [String] {
                ((try? String(contentsOfFile: signals, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init).sorted()
            }
            #expect(try bundle.sandbox(["kill", "c1", "USR1"]).status == 0)
            #expect(Control.wait(3) { received() == ["one"] })
            usleep(1_500_000) // the child's sleep ends within a second: a signal it got would be recorded by now
            #expect(received() == ["one"])

            let all = try bundle.sandbox(["kill", "--all", "c1", "USR1"])
            #expect(all.status == 0 && all.stdout.isEmpty, "\(all.stderr)")
            #expect(Control.wait(5) { received() == ["child", "one", "one"] }, "\(received())")
            #expect(try bundle.sandbox(["kill", "--all", "c1", "KILL"]).status == 0)
            #expect(try Self.waitStopped(bundle))
        }

        /// --preserve-fds 1 gives the process the caller's fd 3, and only it: the caller's fd 4 is not passed.
        @Test func preserveFdsPassesFdsFromThree() throws {
            let out = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: out) }
            var bundle = try Bundle(args: ["sh", "-c", "cat /proc/self/fd/3 > /out/three; [ -e /proc/self/fd/4 ] && echo leaked > /out/four; true"])
            defer { bundle.remove() }
            try Self.bind(out, at: "/out", in: &bundle)
            try bundle.write()
            let passed = bundle.directory + "/passed"
            try "given as fd 3\n".write(toFile: passed, atomically: false, encoding: .utf8)
            // A shell opens fds 3 and 4, then becomes sandbox.
            let create = Process()
            create.executableURL = URL(fileURLWithPath: "/bin/sh")
            create.arguments = ["-c", "exec \"$@\" 3<\"$0\" 4<\"$0\"", passed, SandboxProcess.binary, "--root", bundle.root,
                                "create", "--preserve-fds", "1", "--bundle", bundle.directory, "c1"]
            let stderr = try SandboxProcess.OutputFile()
            create.standardOutput = FileHandle.nullDevice
            create.standardError = stderr.handle
            try create.run()
            create.waitUntilExit()
            let complaint = try stderr.text()
            #expect(create.terminationStatus == 0, "\(complaint)")
            #expect(try bundle.sandbox(["start", "c1"]).status == 0)
            #expect(try Self.waitStopped(bundle))
            #expect(try String(contentsOfFile: out + "/three", encoding: .utf8) == "given as fd 3\n")
            #expect(!FileManager.default.fileExists(atPath: out + "/four"))
        }

        /// features lists what create accepts: every namespace it names is made (seen from the host), every
        /// capability is taken into the bounding set the kernel reports, and the mount options it names work.
        @Test func featuresListsWhatCreateDoes() throws {
            let result = try SandboxProcess.run(["features"])
            #expect(result.status == 0, "\(result.stderr)")
            let features = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let linux = try #require(features["linux"] as? [String: Any])
            let namespaces = try #require(linux["namespaces"] as? [String])
            #expect(Set(namespaces) == ["cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"])
            let capabilities = try #require(linux["capabilities"] as? [String])
            let options = try #require(features["mountOptions"] as? [String])
            #expect(Set(["ro", "nosuid", "nodev", "noexec", "rbind", "rprivate", "idmap"]).isSubset(of: options))

            let out = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: out) }
            var bundle = try Bundle(args: ["sh", "-c", "grep CapBnd /proc/self/status > /out/caps; grep ' /scratch ' /proc/self/mountinfo > /out/m; mv /out/m /out/mount; sleep 30"])
            defer { bundle.remove() }
            try Self.bind(out, at: "/out", in: &bundle)
            var mounts = try #require(bundle.config["mounts"] as? [[String: Any]])
            mounts.append(["destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["ro", "nosuid", "nodev", "noexec"]])
            bundle.config["mounts"] = mounts
            var process = try #require(bundle.config["process"] as? [String: Any])
            process["capabilities"] = ["bounding": capabilities]
            bundle.config["process"] = process
            var configLinux = try #require(bundle.config["linux"] as? [String: Any])
            configLinux["namespaces"] = namespaces.map { ["type": $0] }
            configLinux["uidMappings"] = [["containerID": 0, "hostID": 0, "size": 65536]]
            configLinux["gidMappings"] = [["containerID": 0, "hostID": 0, "size": 65536]]
            bundle.config["linux"] = configLinux
            try bundle.write()
            let created = try bundle.sandbox(["create", "--bundle", bundle.directory, "c1"])
            try #require(created.status == 0, "\(created.stderr)")
            #expect(try bundle.sandbox(["start", "c1"]).status == 0)
            let pid = try #require(try bundle.state("c1")["pid"] as? Int)
            #expect(Control.wait { FileManager.default.fileExists(atPath: out + "/mount") })
            for namespace in namespaces {
                let name = ["mount": "mnt", "network": "net"][namespace] ?? namespace
                #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/\(name)") != Host.namespace(name), "\(namespace)")
            }
            // Every capability the kernel has (cap_last_cap + 1 of them) is in the bounding set: all bits set.
            let last = try #require(Int(try String(contentsOfFile: "/proc/sys/kernel/cap_last_cap", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(capabilities.count >= last + 1)
            let bounding = try String(contentsOfFile: out + "/caps", encoding: .utf8).split(whereSeparator: \.isWhitespace).last
            #expect(bounding.flatMap { UInt64($0, radix: 16) } == (UInt64(1) << (last + 1)) - 1, "\(bounding ?? "")")
            let mount = try String(contentsOfFile: out + "/mount", encoding: .utf8)
            let flags = Set(mount.split(separator: " ")[5].split(separator: ","))
            #expect(Set(["ro", "nosuid", "nodev", "noexec"]).isSubset(of: flags), "\(mount)")
            #expect(try bundle.sandbox(["kill", "c1", "KILL"]).status == 0)
            #expect(try Self.waitStopped(bundle))
        }

        /// `spec --rootless` by a user without root: its own uid and gid are root in the container, and that
        /// user can create and start the config, the kernel mapping its ids.
        @Test func rootlessSpecRunsAsItsCaller() throws {
            let user: (uid: UInt32, gid: UInt32) = (65534, 65534)
            let bundle = try Bundle()
            defer { bundle.remove() }
            try FileManager.default.removeItem(atPath: bundle.directory + "/config.json")
            let written = try SandboxProcess.run(["spec", "--rootless", "--bundle", bundle.directory], asUser: user)
            try #require(written.status == 0, "\(written.stderr)")
            let data = try Data(contentsOf: URL(fileURLWithPath: bundle.directory + "/config.json"))
            var config = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let linux = try #require(config["linux"] as? [String: Any])
            let uidMappings = try #require(linux["uidMappings"] as? [[String: Any]])
            #expect(uidMappings.count == 1 && uidMappings.first?["containerID"] as? Int == 0
                && uidMappings.first?["hostID"] as? Int == Int(user.uid) && uidMappings.first?["size"] as? Int == 1)
            let gidMappings = try #require(linux["gidMappings"] as? [[String: Any]])
            #expect(gidMappings.first?["hostID"] as? Int == Int(user.gid))
            #expect((linux["namespaces"] as? [[String: Any]])?.contains { $0["type"] as? String == "user" } == true)

            config["root"] = ["path": SandboxProcess.rootfs, "readonly": true]
            var process = try #require(config["process"] as? [String: Any])
            process["terminal"] = false
            process["args"] = ["sleep", "30"]
            config["process"] = process
            try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: bundle.directory + "/config.json"))
            let sandbox = { (arguments: [String]) in
                try SandboxProcess.run(["--root", bundle.root] + arguments, asUser: user, environment: ["PATH": "/usr/bin:/bin"])
            }
            defer { _ = try? sandbox(["delete", "--force", "c1"]) }
            let created = try sandbox(["create", "--bundle", bundle.directory, "c1"])
            try #require(created.status == 0, "\(created.stderr)")
            #expect(try sandbox(["start", "c1"]).status == 0, "start")
            let state = try sandbox(["state", "c1"])
            let pid = try #require((try JSONSerialization.jsonObject(with: Data(state.stdout.utf8)) as? [String: Any])?["pid"] as? Int)
            let uidMap = try String(contentsOfFile: "/proc/\(pid)/uid_map", encoding: .utf8).split(whereSeparator: \.isWhitespace)
            #expect(uidMap == ["0", "\(user.uid)", "1"])
            let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            #expect(status.split(separator: "\n").first { $0.hasPrefix("Uid:") }?.split(whereSeparator: \.isWhitespace).dropFirst().allSatisfy { $0 == "\(user.uid)" } == true)
            #expect(try sandbox(["kill", "c1", "KILL"]).status == 0)
            #expect(try sandbox(["delete", "--force", "c1"]).status == 0)
        }
    }
}
