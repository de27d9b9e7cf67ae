import Foundation
import Testing

extension ContainerTests {
    /// How the kernel schedules a container made from a bundle (process.ioPriority, scheduler, execCPUAffinity,
    /// linux.personality): read from the host, and from a process exec'd into it, which takes them too.
    @Suite struct OCIProcessAttributes {
        typealias Bundle = OCIRuntime.Bundle

        /// Creates and starts `sleep 30` from a bundle changed by `change`; returns the bundle (to remove) and
        /// the container's pid.
        static func started(_ id: String, change: (inout [String: Any], inout [String: Any]) -> Void) throws -> (Bundle, Int) {
            var bundle = try Bundle()
            var process = try #require(bundle.config["process"] as? [String: Any])
            var linux = try #require(bundle.config["linux"] as? [String: Any])
            change(&process, &linux)
            bundle.config["process"] = process
            bundle.config["linux"] = linux
            try bundle.write()
            let created = try bundle.sandbox(["create", "--bundle", bundle.directory, id])
            guard created.status == 0 else {
                bundle.remove(id)
                Issue.record("create: \(created.stderr)")
                throw CancellationError()
            }
            let started = try bundle.sandbox(["start", id])
            #expect(started.status == 0, "\(started.stderr)")
            return (bundle, try #require(try bundle.state(id)["pid"] as? Int))
        }

        /// What a host program prints, without the last newline.
        static func host(_ program: String, _ arguments: [String]) throws -> String {
            let process = Process(), output = Pipe()
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }

        /// `ionice -p PID` on the host.
        static func ionice(_ pid: Int) throws -> String {
            try host("/usr/bin/ionice", ["-p", String(pid)])
        }

        /// /proc/PID/stat's fields by number, as proc(5) counts them (1 is the pid).
        static func stat(_ pid: Int, _ fields: [Int]) throws -> [String] {
            let text = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
            let after = text[text.range(of: ") ", options: .backwards)!.upperBound...].split(separator: " ")
            return fields.map { String(after[$0 - 3]) }
        }

        @Test func schedulerPolicyAndNiceAreTheProcesssAndAnExecsOwn() throws {
            let (bundle, pid) = try Self.started("sched") { process, _ in
                process["scheduler"] = ["policy": "SCHED_BATCH", "nice": 5]
            }
            defer { bundle.remove("sched") }
            // nice, then policy (3: SCHED_BATCH).
            #expect(try Self.stat(pid, [19, 41]) == ["5", "3"])
            let exec = try bundle.sandbox(["exec", "sched", "sh", "-c", "cut -d' ' -f19,41 /proc/self/stat"])
            #expect(exec.status == 0 && exec.stdout == "5 3\n", "\(exec.stderr)")

            let (idle, idlePid) = try Self.started("schedidle") { process, _ in process["scheduler"] = ["policy": "SCHED_IDLE"] }
            defer { idle.remove("schedidle") }
            #expect(try Self.stat(idlePid, [41]) == ["5"])
        }

        /// A real-time policy needs real-time time in the container's cgroup, which this kernel groups
        /// (cpu.rt_runtime_us) and gives none of: the kernel's refusal is one line, and nothing is left.
        @Test func aRealTimePolicyTheKernelRefusesFailsCreate() throws {
            guard (try? String(contentsOfFile: "/sys/fs/cgroup/cpu/cpu.rt_runtime_us", encoding: .utf8)) != nil else {
                return // without real-time group scheduling the policy is granted: nothing to refuse
            }
            var bundle = try Bundle()
            defer { bundle.remove("schedrt") }
            var process = try #require(bundle.config["process"] as? [String: Any])
            process["scheduler"] = ["policy": "SCHED_FIFO", "priority": 10]
            bundle.config["process"] = process
            try bundle.write()
            let result = try bundle.sandbox(["create", "--bundle", bundle.directory, "schedrt"])
            #expect(result.status == 1)
            #expect(result.stderr == "sandbox: set the scheduler (sched_setattr): Operation not permitted\n")
            #expect(try bundle.sandbox(["list", "-q"]).stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cpu/sandbox/schedrt"))
        }

        /// Not the container's first process, as the runtime spec has it; an exec'd process's, from config.json
        /// or its own process.json. Without `final` it runs on every CPU again.
        @Test func execCPUAffinityIsAnExecdProcesss() throws {
            guard ProcessInfo.processInfo.activeProcessorCount >= 2 else { return } // one CPU: nothing to choose
            let (bundle, pid) = try Self.started("affinity") { process, _ in process["execCPUAffinity"] = ["final": "1"] }
            defer { bundle.remove("affinity") }
            let every = "0-\(ProcessInfo.processInfo.activeProcessorCount - 1)"
            func allowed(_ status: String) -> String? {
                status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }?.split(separator: "\t").last.map(String.init)
            }
            #expect(allowed(try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) == every)
            let exec = try bundle.sandbox(["exec", "affinity", "cat", "/proc/self/status"])
            #expect(exec.status == 0 && allowed(exec.stdout) == "1", "\(exec.stderr)")
            for (affinity, expected) in [(#""initial": "1", "final": "0""#, "0"), (#""initial": "1""#, every)] {
                let file = bundle.directory + "/process.json"
                try #"{"cwd": "/", "args": ["cat", "/proc/self/status"], "env": ["PATH=/bin"], "execCPUAffinity": {\#(affinity)}}"#
                    .write(toFile: file, atomically: false, encoding: .utf8)
                let exec = try bundle.sandbox(["exec", "--process", file, "affinity"])
                #expect(exec.status == 0 && allowed(exec.stdout) == expected, "\(affinity): \(exec.stderr)")
            }
        }

        /// LINUX32: uname says i686 in the container's process and in an exec'd one, with or without a process.json.
        @Test func linux32PersonalityIsEveryProcesss() throws {
            let (bundle, pid) = try Self.started("linux32") { _, linux in linux["personality"] = ["domain": "LINUX32"] }
            defer { bundle.remove("linux32") }
            // PER_LINUX32, as the host reads it.
            #expect(try String(contentsOfFile: "/proc/\(pid)/personality", encoding: .utf8) == "00000008\n")
            let exec = try bundle.sandbox(["exec", "linux32", "uname", "-m"])
            #expect(exec.status == 0 && exec.stdout == "i686\n", "\(exec.stderr)")
            let file = bundle.directory + "/process.json"
            try #"{"cwd": "/", "args": ["uname", "-m"], "env": ["PATH=/bin"]}"#.write(toFile: file, atomically: false, encoding: .utf8)
            let engine = try bundle.sandbox(["exec", "--process", file, "linux32"])
            #expect(engine.status == 0 && engine.stdout == "i686\n", "\(engine.stderr)")
        }

        /// The container's boot and monotonic clocks run ahead of the host's by the offsets, in its first process
        /// and in an exec'd one, which joins its time namespace.
        @Test func timeOffsetsMoveTheContainersClocks() throws {
            let (bundle, pid) = try Self.started("timens") { _, linux in
                var namespaces = linux["namespaces"] as? [[String: Any]] ?? []
                namespaces.append(["type": "time"])
                linux["namespaces"] = namespaces
                linux["timeOffsets"] = ["boottime": ["secs": 864_000, "nanosecs": 500], "monotonic": ["secs": 3600]]
            }
            defer { bundle.remove("timens") }
            let offsets = try String(contentsOfFile: "/proc/\(pid)/timens_offsets", encoding: .utf8)
            #expect(offsets.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
                == ["monotonic 3600 0", "boottime 864000 500"], "\(offsets)")
            let exec = try bundle.sandbox(["exec", "timens", "cat", "/proc/uptime"])
            let host = try String(contentsOfFile: "/proc/uptime", encoding: .utf8)
            let inside = try #require(Double(exec.stdout.split(separator: " ").first ?? ""), "\(exec.stderr)")
            let outside = try #require(Double(host.split(separator: " ")[0]))
            #expect(abs(inside - outside - 864_000) < 5, "\(inside) vs \(outside)")
        }

        @Test func ioPriorityIsTheProcesssAndAnExecsOwn() throws {
            let (bundle, pid) = try Self.started("ioprio") { process, _ in
                process["ioPriority"] = ["class": "IOPRIO_CLASS_BE", "priority": 6]
            }
            defer { bundle.remove("ioprio") }
            #expect(try Self.ionice(pid) == "best-effort: prio 6")
            let exec = try bundle.sandbox(["exec", "ioprio", "ionice"])
            #expect(exec.status == 0 && exec.stdout == "best-effort: prio 6\n", "\(exec.stderr)")

            let (idle, idlePid) = try Self.started("ioidle") { process, _ in process["ioPriority"] = ["class": "IOPRIO_CLASS_IDLE"] }
            defer { idle.remove("ioidle") }
            #expect(try Self.ionice(idlePid) == "idle")
        }
    }
}
