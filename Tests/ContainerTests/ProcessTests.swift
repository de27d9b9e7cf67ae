import Foundation
import Testing

extension ContainerTests {
    @Suite struct ExitStatus {
        /// A pid 1 cannot be killed from inside its namespace, so the signal case runs behind --init.
        static let cases: [([String], Int32)] = [
            (["sh", "-c", "exit 0"], 0),
            (["sh", "-c", "exit 3"], 3),
            (["/etc/passwd"], 126),
            (["no-such-command"], 127),
            (["/no/such/file"], 127),
            (["--init", "sh", "-c", "kill -9 $$"], 137),
        ]

        @Test(arguments: cases)
        func asDockerRun(command: [String], status: Int32) throws {
            let result = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs] + command)
            #expect(result.status == status, "\(result.stderr)")
        }

        @Test func notFoundAndNotExecutableSayWhy() throws {
            let missing = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "no-such-command"])
            #expect(missing.stderr == "sandbox: exec: \"no-such-command\": executable file not found in $PATH\n")
            let denied = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "/etc/passwd"])
            #expect(denied.stderr == "sandbox: exec /etc/passwd: Permission denied\n")
        }
    }

    @Suite struct Streams {
        @Test func stdinReachesTheWorkloadOnlyWithInteractive() throws {
            let interactive = try SandboxProcess.run(["run", "-i", "--rootfs", SandboxProcess.rootfs, "cat"], input: "hello\n")
            #expect(interactive.stdout == "hello\n")
            let closed = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "cat"], input: "hello\n")
            #expect(closed.status == 0 && closed.stdout.isEmpty)
        }

        @Test func noFileDescriptorOfSandboxReachesTheWorkload() throws {
            let inside = try SandboxProcess.shell("ls /proc/self/fd | sort -n | tr '\\n' ' '")
            #expect(inside == "0 1 2 3 ")
        }
    }

    @Suite struct Signals {
        /// Starts `sandbox run ... sh -c SCRIPT`, waits for it to print "ready", sends `signal` to sandbox.
        static func signalled(_ script: String, options: [String] = [], signal: Int32) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: SandboxProcess.binary)
            process.arguments = ["run", "--rootfs", SandboxProcess.rootfs] + options + ["--", "sh", "-c", script]
            let stdout = Pipe()
            process.standardOutput = stdout
            try process.run()
            var output = Data()
            while !String(decoding: output, as: UTF8.self).contains("ready") {
                let chunk = stdout.fileHandleForReading.availableData
                try #require(!chunk.isEmpty, "the container ended before it was ready")
                output += chunk
            }
            kill(process.processIdentifier, signal)
            output += stdout.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self))
        }

        @Test(arguments: [SIGTERM, SIGINT, SIGHUP, SIGUSR1])
        func reachTheWorkload(signal: Int32) throws {
            let result = try Self.signalled("trap 'echo got; exit 42' \(signal); echo ready; while :; do sleep 0.05; done", signal: signal)
            #expect(result.status == 42)
            #expect(result.output == "ready\ngot\n")
        }

        @Test func initForwardsSignalsToAWorkloadThatIsNotPidOne() throws {
            let result = try Self.signalled("echo ready $$; exec sleep 60", options: ["--init"], signal: SIGTERM)
            #expect(result.output.hasPrefix("ready ") && result.output != "ready 1\n")
            #expect(result.status == 128 + SIGTERM)
        }

        @Test func initReapsOrphanedZombies() throws {
            // The subshell's child is orphaned to pid 1 and exits; only a reaping pid 1 leaves no zombie.
            let inside = try SandboxProcess.shell("(sleep 0.1 &); sleep 0.5; ps -o stat | grep -c Z || true", options: ["--init"])
                .split(separator: "\n").last
            #expect(inside == "0")
            let status = try SandboxProcess.run(["run", "--init", "--rootfs", SandboxProcess.rootfs, "sh", "-c", "exit 5"]).status
            #expect(status == 5)
        }

        @Test func initsBinaryCannotBeOpenedFromInside() throws {
            let inside = try SandboxProcess.shell("cat /proc/1/exe > /dev/null 2>&1 || echo refused; ls -l /proc/1/exe 2>&1 | grep -c sandbox || true",
                                                  options: ["--init"])
            #expect(inside == "refused\n0")
        }
    }

    @Suite struct Terminal {
        /// Runs sandbox on a new pty of `rows`x`columns`, as a person at a terminal would.
        @Test func ttyIsATerminalOfTheCallersSize() throws {
            let script = """
                import os, pty, sys, fcntl, termios, struct
                pid, fd = pty.fork()
                if pid == 0:
                    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 33, 91, 0, 0))
                    os.execv(sys.argv[1], sys.argv[1:])
                out = b''
                while True:
                    try: chunk = os.read(fd, 1024)
                    except OSError: break
                    if not chunk: break
                    out += chunk
                _, status = os.waitpid(pid, 0)
                sys.stdout.write(out.decode().replace('\\r', ''))
                sys.exit(os.waitstatus_to_exitcode(status))
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", script, SandboxProcess.binary, "run", "-it", "--rootfs", SandboxProcess.rootfs, "--",
                                 "sh", "-c", "[ -t 0 ] && [ -t 1 ] && echo tty; stty size; echo $TERM; exit 4"]
            let stdout = Pipe()
            process.standardOutput = stdout
            try process.run()
            let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(output == "tty\n33 91\nxterm\n")
            #expect(process.terminationStatus == 4)
        }
    }
}
