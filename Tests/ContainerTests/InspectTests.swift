import Foundation
import Testing

extension ContainerTests {
    /// Docker's views of a detached container (`inspect`, `ps`, `stats`) and `unpause`, each checked against
    /// what the kernel says of the container's process.
    @Suite struct DetachedViews {
        /// The host's /proc/PID/status line `field`, its value.
        static func status(_ pid: Int, _ field: String) throws -> String {
            let text = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(field + ":") })
            return line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces)
        }

        /// The mountinfo line of `path` in the process's mount namespace, its options.
        static func mountOptions(_ pid: Int, _ path: String) throws -> Set<Substring> {
            let text = try String(contentsOfFile: "/proc/\(pid)/mountinfo", encoding: .utf8)
            let line = try #require(text.split(separator: "\n").last { $0.split(separator: " ")[4] == path }, "no mount at \(path)")
            return Set(line.split(separator: " ")[5].split(separator: ","))
        }

        static func pid(_ document: [String: Any]) throws -> Int {
            try #require((document["State"] as? [String: Any])?["Pid"] as? Int)
        }

        /// HostConfig says what the flags asked, and the process has it: its bounding set, its seccomp mode,
        /// its id maps, its mounts. A container without those flags has none of it.
        @Test func hostConfigIsWhatTheProcessHas() throws {
            let data = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: data) }
            let options = ["--cap-add", "NET_ADMIN", "--cap-drop", "CHOWN", "--security-opt", "seccomp=unconfined",
                           "-v", data + ":/data:ro", "--read-only"]
            try Views.withDetached("sleep 300", options: options) { name in
                let document = try Views.inspect(name)
                let host = try #require(document["HostConfig"] as? [String: Any])
                let pid = try Self.pid(document)
                #expect(host["CapAdd"] as? [String] == ["CAP_NET_ADMIN"])
                #expect(host["CapDrop"] as? [String] == ["CAP_CHOWN"])
                let bounding = try #require(UInt64(try Self.status(pid, "CapBnd"), radix: 16))
                #expect(bounding & (1 << 12) != 0, "CAP_NET_ADMIN is not in the bounding set")
                #expect(bounding & 1 == 0, "CAP_CHOWN is in the bounding set")
                #expect(host["SecurityOpt"] as? [String] == ["seccomp=unconfined"])
                #expect(try Self.status(pid, "Seccomp") == "0")

                let maps = try #require(host["IDMappings"] as? [String: [String]])
                for (key, file) in [("UidMap", "uid_map"), ("GidMap", "gid_map")] {
                    let kernel = try String(contentsOfFile: "/proc/\(pid)/\(file)", encoding: .utf8).split(separator: "\n")
                        .map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
                    #expect(maps[key] == kernel, "\(key)")
                }

                let mounts = try #require(document["Mounts"] as? [[String: Any]])
                #expect(mounts.count == 1)
                #expect(mounts.first?["Type"] as? String == "bind" && mounts.first?["Source"] as? String == data)
                #expect(mounts.first?["Destination"] as? String == "/data" && mounts.first?["RW"] as? Bool == false)
                #expect(try Self.mountOptions(pid, "/data").contains("ro"))
                #expect(host["ReadonlyRootfs"] as? Bool == true)
                #expect(try Self.mountOptions(pid, "/").contains("ro"))
            }
            try Views.withDetached("sleep 300") { name in
                let document = try Views.inspect(name)
                let host = try #require(document["HostConfig"] as? [String: Any])
                let pid = try Self.pid(document)
                #expect(host["CapAdd"] is NSNull && host["CapDrop"] is NSNull && host["SecurityOpt"] is NSNull)
                #expect(try Self.status(pid, "Seccomp") == "2")
                #expect((document["Mounts"] as? [Any])?.isEmpty == true)
                #expect(host["ReadonlyRootfs"] as? Bool == false)
                #expect(try Self.mountOptions(pid, "/").contains("rw"))
            }
        }

        /// Killed by the kernel for its memory limit: OOMKilled, 137. Killed by a user: 137, not OOMKilled.
        @Test func oomKilledIsTheKernelsKillOnly() throws {
            try Views.withDetached("tail /dev/zero", options: ["--memory", "8m"]) { name in
                #expect(try Views.sandbox(["wait", name]).output == "137")
                let state = try #require(Views.inspect(name)["State"] as? [String: Any])
                #expect(state["OOMKilled"] as? Bool == true && state["ExitCode"] as? Int == 137 && state["Status"] as? String == "exited")
                let all = try Views.sandbox(["ps", "-a"]).stdout.split(separator: "\n").first { $0.hasSuffix(" " + name) }
                #expect(all?.contains("Exited (137) ") == true)
            }
            try Views.withDetached("sleep 300", options: ["--memory", "8m"]) { name in
                #expect(try Views.sandbox(["kill", name]).status == 0)
                let state = try #require(Views.inspect(name)["State"] as? [String: Any])
                #expect(state["OOMKilled"] as? Bool == false && state["ExitCode"] as? Int == 137)
            }
        }

        @Test func psShowsTheHealthInTheStatus() throws {
            try Views.withDetached("sleep 300", options: ["--health-cmd", "true", "--health-interval", "1s"]) { name in
                func row() throws -> String {
                    try Views.sandbox(["ps", "--format", "{{.Names}}|{{.Status}}"]).stdout.split(separator: "\n")
                        .first { $0.hasPrefix(name + "|") }.map(String.init) ?? ""
                }
                #expect(try Views.eventually { try row().hasSuffix(" (healthy)") })
                let healthy = try row()
                #expect(healthy.hasPrefix(name + "|Up ") && healthy.hasSuffix(" (healthy)"), "\(healthy)")
                let table = try Views.sandbox(["ps"]).stdout.split(separator: "\n").first { $0.hasSuffix(" " + name) }
                #expect(table?.contains(" (healthy)   ") == true, "\(table ?? "")")
                let health = (try Views.inspect(name)["State"] as? [String: Any])?["Health"] as? [String: Any]
                #expect(health?["Status"] as? String == "healthy")
            }
        }

        /// Without --no-stream, stats redraws the table every second until it is killed. (SIGKILL: a child of
        /// the test runner's threads inherits most signals blocked.)
        @Test func statsStreamsUntilKilled() throws {
            try Views.withDetached("sleep 300", options: ["--memory", "64m"]) { name in
                let stats = try ControlConcurrency.Launched(["stats", name])
                usleep(3_200_000)
                #expect(stats.process.isRunning)
                kill(stats.process.processIdentifier, SIGKILL)
                let result = try stats.finish()
                let screens = result.stdout.components(separatedBy: "\u{1b}[2J\u{1b}[H").filter { !$0.isEmpty }
                #expect(screens.count >= 2, "\(result.stdout)")
                for screen in screens {
                    let lines = screen.split(separator: "\n")
                    #expect(lines.first?.hasPrefix("CONTAINER ID   NAME") == true)
                    #expect(lines.count == 2 && lines[1].contains("   \(name)   ") && lines[1].contains(" / 64MiB "), "\(screen)")
                }
            }
        }

        /// `unpause`, Docker's name for resume: the frozen process runs again.
        @Test func unpauseThawsAPausedContainer() throws {
            let out = try Control.outDirectory()
            defer { try? FileManager.default.removeItem(atPath: out) }
            let count = out + "/count"
            func counted() -> Int { Int(((try? String(contentsOfFile: count, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 }
            try Views.withDetached("i=0; while :; do i=$((i+1)); echo $i > /out/count.new; mv /out/count.new /out/count; usleep 50000; done",
                                   options: ["-v", out + ":/out"]) { name in
                #expect(try Views.eventually { counted() > 0 })
                let paused = try Views.sandbox(["pause", name])
                #expect(paused.status == 0 && paused.output == name, "\(paused.stderr)")
                usleep(200_000)
                let frozen = counted()
                usleep(500_000)
                #expect(counted() == frozen)
                #expect((try Views.inspect(name)["State"] as? [String: Any])?["Status"] as? String == "paused")

                let unpaused = try Views.sandbox(["unpause", name])
                #expect(unpaused.status == 0 && unpaused.output == name, "\(unpaused.stderr)")
                #expect(try Views.eventually { counted() > frozen + 2 })
                let state = try #require(Views.inspect(name)["State"] as? [String: Any])
                #expect(state["Status"] as? String == "running" && state["Paused"] as? Bool == false)
            }
        }
    }
}
