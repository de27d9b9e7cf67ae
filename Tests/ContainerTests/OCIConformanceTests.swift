import Foundation
import SandboxPolicy
import Testing

extension ContainerTests {
    /// What the runtime spec allows or requires and the OCI runtime-tools suite checks, as runc or crun does it:
    /// FIFOs among the devices, a mount namespace joined by path or none at all, what a host cannot apply
    /// (SELinux labels, a bind's data) warned about in --log, failing poststart and poststop hooks as warnings.
    @Suite struct OCIConformance {
        typealias Bundle = OCIRuntime.Bundle

        /// A container id no other test, or session, uses at the same time: it names the container's cgroup.
        static func uniqueID(_ name: String) -> String { "conform-\(name)-\(UInt32.random(in: 0..<UInt32.max))" }

        /// The bundle's `out` directory bound at /out, for the container to write what the test reads.
        static func withOut(_ bundle: inout Bundle) throws -> String {
            let out = bundle.directory + "/out"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
            var mounts = try #require(bundle.config["mounts"] as? [[String: Any]])
            mounts.append(["destination": "/out", "type": "bind", "source": out, "options": ["rbind", "rw"]])
            bundle.config["mounts"] = mounts
            return out
        }

        /// For at most five seconds.
        static func waitUntilStopped(_ bundle: Bundle, _ id: String) throws {
            var tries = 0
            while try bundle.state(id)["status"] as? String != "stopped" && tries < 250 {
                usleep(20_000)
                tries += 1
            }
        }

        /// The log's lines at `level`, as containerd reads them (`--log-format json`).
        static func logged(_ log: String, level: String) throws -> [String] {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return try text.split(separator: "\n").compactMap { line in
                let entry = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                return entry["level"] as? String == level ? entry["msg"] as? String : nil
            }
        }

        /// The spec's type p: made with mknod even in a user namespace, where a device could not be, with its
        /// owner and mode, and a pipe that works.
        @Test func fifoIsMadeInAUserNamespace() throws {
            let result = try SpecContainer.run("""
                stat -c '%F %a %u:%g' /dev/custom/fifo
                cat /dev/custom/fifo & echo through > /dev/custom/fifo; wait
                """) {
                $0.insertBeforeCovers(MountEntry(.device(.fifo, major: 0, minor: 0, mode: 0o640, uid: 1000, gid: 5), at: "/dev/custom/fifo"))
            }
            #expect(result.status == 0)
            #expect(result.output == "fifo 640 1000:5\nthrough")
        }

        /// The spec's MUST: a failing poststart or poststop hook is a warning, and the hooks after it and the
        /// lifecycle go on as if it had succeeded.
        @Test func failingPoststartAndPoststopHooksAreWarnings() throws {
            let id = Self.uniqueID("hooks")
            var bundle = try Bundle(args: ["true"])
            defer { bundle.remove(id) }
            let record = bundle.directory + "/ran"
            func after(_ kind: String) -> [String: Any] {
                ["path": "/bin/sh", "args": ["sh", "-c", "echo \(kind) >> \(record)"]]
            }
            let failing: [String: Any] = ["path": "/bin/false", "args": ["false"]]
            bundle.config["hooks"] = ["poststart": [failing, after("poststart")], "poststop": [failing, after("poststop")]]
            try bundle.write()
            let log = bundle.directory + "/log.json"
            let logged = ["--log", log, "--log-format", "json"]
            #expect(try bundle.sandbox(["create", "--bundle", bundle.directory, id]).status == 0)
            let started = try bundle.sandbox(logged + ["start", id])
            #expect(started.status == 0, "\(started.stderr)")
            try Self.waitUntilStopped(bundle, id)
            let deleted = try bundle.sandbox(logged + ["delete", id])
            #expect(deleted.status == 0, "\(deleted.stderr)")
            #expect(try String(contentsOfFile: record, encoding: .utf8) == "poststart\npoststop\n")
            #expect(try Self.logged(log, level: "warning") == ["the poststart hook /bin/false exited with status 1",
                                                               "the poststop hook /bin/false exited with status 1"])
            #expect(try Self.logged(log, level: "error").isEmpty)
        }

        /// SELinux labels on a host without SELinux (as crun), and a tmpfs's options on a bind (as runc and
        /// crun), are left out with a warning in --log, and the container runs.
        @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/sys/fs/selinux/enforce"), "this host has SELinux, where labels are refused"))
        func whatTheHostCannotApplyIsAWarningInTheLog() throws {
            let id = Self.uniqueID("labels")
            var bundle = try Bundle(args: ["sh", "-c", "grep -c ' /data ' /proc/self/mountinfo > /out/data"])
            defer { bundle.remove(id) }
            let out = try Self.withOut(&bundle)
            var linux = try #require(bundle.config["linux"] as? [String: Any])
            linux["mountLabel"] = "system_u:object_r:container_file_t:s0"
            bundle.config["linux"] = linux
            var process = try #require(bundle.config["process"] as? [String: Any])
            process["selinuxLabel"] = "system_u:system_r:container_t:s0"
            bundle.config["process"] = process
            var mounts = try #require(bundle.config["mounts"] as? [[String: Any]])
            mounts.append(["destination": "/data", "type": "bind", "source": out, "options": ["rbind", "nosuid", "mode=755", "size=1k"]])
            bundle.config["mounts"] = mounts
            try bundle.write()
            let log = bundle.directory + "/log.json"
            let created = try bundle.sandbox(["--log", log, "--log-format", "json", "create", "--bundle", bundle.directory, id])
            #expect(created.status == 0, "\(created.stderr)")
            let index = mounts.count - 1
            #expect(try Self.logged(log, level: "warning") == [
                "config.json: process.selinuxLabel: SELinux is not enabled on this host; \"system_u:system_r:container_t:s0\" is not applied",
                "config.json: mounts[\(index)].options[2]: \"mode=755\" is not an option of a bind mount; ignored",
                "config.json: mounts[\(index)].options[3]: \"size=1k\" is not an option of a bind mount; ignored",
                "config.json: linux.mountLabel: SELinux is not enabled on this host; \"system_u:object_r:container_file_t:s0\" is not applied",
            ])
            #expect(try bundle.sandbox(["start", id]).status == 0)
            try Self.waitUntilStopped(bundle, id)
            #expect(try String(contentsOfFile: out + "/data", encoding: .utf8) == "1\n")
            _ = try bundle.sandbox(["delete", id])
        }

        /// A mount namespace given by path is where the container's mounts are made and its process lives,
        /// as runc does it; the namespace's other process keeps running.
        @Test func joinsAMountNamespaceByPath() throws {
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            holder.arguments = ["--mount", "--propagation", "private", "sleep", "60"]
            try holder.run()
            defer {
                kill(holder.processIdentifier, SIGKILL)
                holder.waitUntilExit()
            }
            let path = "/proc/\(holder.processIdentifier)/ns/mnt"
            var namespace = ""
            for _ in 0..<100 {
                namespace = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? ""
                if try !namespace.isEmpty && namespace != Host.namespace("mnt") { break }
                usleep(10_000)
            }
            let id = Self.uniqueID("mntpath")
            var bundle = try Bundle()
            defer { bundle.remove(id) }
            var linux = try #require(bundle.config["linux"] as? [String: Any])
            var namespaces = try #require(linux["namespaces"] as? [[String: Any]])
            let mount = try #require(namespaces.firstIndex { $0["type"] as? String == "mount" })
            namespaces[mount]["path"] = path
            linux["namespaces"] = namespaces
            bundle.config["linux"] = linux
            try bundle.write()
            let created = try bundle.sandbox(["create", "--bundle", bundle.directory, id])
            #expect(created.status == 0, "\(created.stderr)")
            let pid = try #require(try bundle.state(id)["pid"] as? Int)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/mnt") == namespace)
            // Its / is the image, pivoted into in that namespace.
            #expect(FileManager.default.fileExists(atPath: "/proc/\(pid)/root/bin/busybox"))
            #expect(holder.isRunning)
            #expect(try bundle.sandbox(["delete", "--force", id]).status == 0)
        }

        /// A config without a mount namespace (runc runs it): the process is in sandbox's, its root entered with
        /// chroot; its mounts are made on the host under its state directory, and go with it. `exec` is refused:
        /// joining such a container would not enter its root.
        @Test func withoutAMountNamespaceTheMountsAreTheHostsAndGoAtDelete() throws {
            let id = Self.uniqueID("nomnt")
            var bundle = try Bundle()
            defer { bundle.remove(id) }
            let out = try Self.withOut(&bundle)
            // In its image: busybox is there, the bundle's directory on the host is not.
            var process = try #require(bundle.config["process"] as? [String: Any])
            process["args"] = ["sh", "-c", "test -x /bin/busybox && test ! -e \(bundle.directory) && echo inside > /out/seen; sleep 30"]
            bundle.config["process"] = process
            var linux = try #require(bundle.config["linux"] as? [String: Any])
            var namespaces = try #require(linux["namespaces"] as? [[String: Any]])
            namespaces.removeAll { $0["type"] as? String == "mount" }
            linux["namespaces"] = namespaces
            bundle.config["linux"] = linux
            try bundle.write()
            let mounts = try Host.mountCount()
            let created = try bundle.sandbox(["create", "--bundle", bundle.directory, id])
            #expect(created.status == 0, "\(created.stderr)")
            let pid = try #require(try bundle.state(id)["pid"] as? Int)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/mnt") == Host.namespace("mnt"))
            let state = bundle.root + "/" + id
            let mountinfo = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
            #expect(mountinfo.contains(" \(state)/mounts/rootfs "), "the root is mounted under the state directory")
            let exec = try bundle.sandbox(["exec", id, "true"])
            #expect(exec.status == 1)
            #expect(exec.stderr == "sandbox: container \(id) has no mount namespace of its own: a process joining it would run on the host's filesystem\n")
            #expect(try bundle.sandbox(["start", id]).status == 0)
            var tries = 0
            while !FileManager.default.fileExists(atPath: out + "/seen") && tries < 250 {
                usleep(20_000)
                tries += 1
            }
            usleep(50_000)
            #expect(try String(contentsOfFile: out + "/seen", encoding: .utf8) == "inside\n")
            #expect(try bundle.sandbox(["delete", "--force", id]).status == 0)
            #expect(try Host.mountCount() == mounts)
            #expect(!FileManager.default.fileExists(atPath: state))
        }
    }
}
