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
