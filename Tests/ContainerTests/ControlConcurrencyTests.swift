import Foundation
import Testing

extension ContainerTests {
    /// Many sandbox commands at once, on many containers or on one, and sandbox killed half way: whatever the
    /// order, every container is found, stopped and removed, and nothing of it is left on the host.
    @Suite struct ControlConcurrency {
        /// `sandbox ARGUMENTS`, started and not waited for.
        struct Launched {
            let process: Process
            let stdout: SandboxProcess.OutputFile
            let stderr: SandboxProcess.OutputFile

            init(_ arguments: [String]) throws {
                process = Process()
                process.executableURL = URL(fileURLWithPath: SandboxProcess.binary)
                process.arguments = arguments
                process.standardInput = FileHandle.nullDevice
                stdout = try SandboxProcess.OutputFile()
                stderr = try SandboxProcess.OutputFile()
                process.standardOutput = stdout.handle
                process.standardError = stderr.handle
                try process.run()
            }

            func finish() throws -> SandboxProcess.Result {
                process.waitUntilExit()
                return SandboxProcess.Result(status: process.terminationStatus, stdout: try stdout.text(), stderr: try stderr.text())
            }
        }

        /// Runs every command line at once; their results, in order.
        static func together(_ commands: [[String]]) throws -> [SandboxProcess.Result] {
            try commands.map(Launched.init).map { try $0.finish() }
        }

        @Test func thirtyContainersStartedListedStoppedAndRemovedInParallel() throws {
            let mounts = try Host.mountCount()
            let names = (0..<30).map { _ in Control.name() }
            defer { _ = try? SandboxProcess.run(["rm", "-f"] + names) }
            let started = try Self.together(names.map { ["run", "-d", "--name", $0, "--rootfs", SandboxProcess.rootfs, "sleep", "1000"] })
            for result in started { #expect(result.status == 0, "\(result.stderr)") }
            // Docker's ps lists each, by the id run -d printed and its name, running.
            let listed = try SandboxProcess.run(["ps", "--no-trunc", "--format", "{{.ID}} {{.Names}} {{.State}}"])
            #expect(listed.status == 0, "\(listed.stderr)")
            let rows = Set(listed.stdout.split(separator: "\n").map(String.init))
            for (name, result) in zip(names, started) { #expect(rows.contains("\(result.output) \(name) running"), "\(name)") }
            let records = names.map(Control.record)
            #expect(records.allSatisfy { Control.alive(Control.pid($0)) && Control.alive(Control.monitor($0)) })

            let stopped = try Self.together(names.map { ["stop", "-t", "1", $0] })
            for (name, result) in zip(names, stopped) { #expect(result.status == 0 && result.output == name, "\(result.stderr)") }
            #expect(names.map(Control.record).allSatisfy { Control.exitCode($0) == 137 })
            let removed = try Self.together(names.map { ["rm", $0] })
            for (name, result) in zip(names, removed) { #expect(result.status == 0 && result.output == name, "\(result.stderr)") }
            for (name, record) in zip(names, records) { Control.expectGone(name, record) }
            #expect(try Host.mountCount() == mounts)
        }

        /// Every verb at once on one container: each one answers, and the container ends as one of them left
        /// it, with nothing of the others' left behind.
        @Test func everyVerbAtOnceOnOneContainer() throws {
            let name = Control.name()
            try Control.start(name)
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            let first = Control.record(name)
            let verbs = [["stop", "-t", "1", name], ["restart", "-t", "1", name], ["kill", name], ["stop", "-t", "0", name],
                         ["restart", "-t", "0", name], ["kill", "-s", "USR1", name], ["stop", name], ["restart", name]]
            for (verb, result) in zip(verbs, try Self.together(verbs)) {
                #expect(result.status == 0 || result.status == 1, "\(verb): \(result.stderr)")
                #expect(result.status == 0 || result.stderr.hasPrefix("sandbox: "), "\(verb): \(result.stderr)")
            }
            let last = Control.record(name)
            // Whatever it is now, it is one container: running under one monitor, or stopped under none.
            // A restart that lost the race hears its monitor's refusal just before that monitor exits.
            Control.wait { Control.processes(naming: name).count <= 1 }
            let monitors = Control.processes(naming: name)
            #expect(monitors.count <= 1)
            #expect(Control.alive(Control.pid(last)) == !monitors.isEmpty)
            let removed = try Self.together([["rm", "-f", name], ["rm", "-f", name]])
            #expect(removed.contains { $0.status == 0 })
            Control.expectGone(name, first)
            Control.expectGone(name, last)
        }

        /// `sandbox run -d` killed with SIGKILL at any point leaves a container that runs under its monitor, or
        /// nothing: whatever it left, `list` reports and `rm -f` removes.
        @Test func runDetachedKilledAtAnyPointLeavesNothingUnaccounted() throws {
            // From before the monitor is started to after the container runs (a debug build's run -d takes
            // some 0.7 s).
            let delays = Array(stride(from: UInt32(0), through: 900_000, by: 60_000))
            let names = delays.map { _ in Control.name() }
            defer { _ = try? SandboxProcess.run(["rm", "-f"] + names) }
            for (name, delay) in zip(names, delays) {
                let run = try Launched(["run", "-d", "--name", name, "--rootfs", SandboxProcess.rootfs, "sleep", "1000"])
                usleep(delay)
                kill(run.process.processIdentifier, SIGKILL)
                _ = try run.finish()
            }
            // A monitor that was started carries on: once it has said what became of its container, each
            // directory left is a container's, with its record.
            for name in names {
                #expect(Control.wait { Control.processes(naming: name).isEmpty || Control.alive(Control.pid(Control.record(name))) })
            }
            let listed = try SandboxProcess.run(["list", "-q"]).stdout
            let records = names.map(Control.record)
            for (name, record) in zip(names, records) where FileManager.default.fileExists(atPath: "/run/sandbox/\(name)") {
                let id = try #require(record?["id"] as? String, "\(name) left a directory without a record")
                #expect(listed.contains(id))
                #expect(Control.alive(Control.pid(record)), "\(name)'s monitor did not outlive run -d")
                let removed = try SandboxProcess.run(["rm", "-f", name])
                #expect(removed.status == 0, "\(removed.stderr)")
            }
            for (name, record) in zip(names, records) { Control.expectGone(name, record) }
        }
    }
}
