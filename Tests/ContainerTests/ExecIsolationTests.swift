import CSandbox
import Foundation
import Testing

extension ContainerTests {
    /// What `exec` keeps of the caller from the container: its terminal and its session keyring. A process
    /// an exec leaves behind in the container must hold no fd to the terminal the administrator goes on
    /// typing into, and no exec'd process may possess the keys of the caller's session.
    @Suite struct ExecIsolation {
        /// A pty pair standing for the administrator's terminal.
        final class Terminal {
            let master: Int32
            let slave: Int32
            let slavePath: String

            init() throws {
                var master: Int32 = -1, slave: Int32 = -1
                var name = [CChar](repeating: 0, count: 128)
                let opened = sbx_open_terminal(&master, &slave, &name, name.count)
                guard opened == 0 else { throw POSIXError(POSIXErrorCode(rawValue: -opened) ?? .EIO) }
                self.master = master
                self.slave = slave
                slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }

            deinit {
                close(master)
                close(slave)
            }

            /// What the terminal shows, read until nothing more comes for a moment.
            func read() -> String {
                var text: [UInt8] = []
                var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
                var chunk = [UInt8](repeating: 0, count: 4096)
                while poll(&fds, 1, 200) > 0 {
                    let count = Glibc.read(master, &chunk, chunk.count)
                    guard count > 0 else { break }
                    text += chunk[..<count]
                }
                return String(decoding: text, as: UTF8.self)
            }
        }

        /// `sandbox ARGUMENTS` with its stdin, stdout and stderr on the files given.
        static func run(_ arguments: [String], stdin: FileHandle, output: FileHandle, errors: FileHandle) throws -> (status: Int32, seconds: Double) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: SandboxProcess.binary)
            process.arguments = arguments
            process.standardInput = stdin
            process.standardOutput = output
            process.standardError = errors
            let start = Date()
            try process.run()
            let pid = process.processIdentifier
            let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
            DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: watchdog)
            defer { watchdog.cancel() }
            process.waitUntilExit()
            return (process.terminationStatus, Date().timeIntervalSince(start))
        }

        /// Where each fd of a process leads, as /proc/PID/fd says.
        static func fds(of pid: Int32) -> [String] {
            let directory = "/proc/\(pid)/fd"
            return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).compactMap {
                try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + $0)
            }
        }

        @Test(arguments: [[], ["-i"]])
        func aProcessLeftBehindHoldsNothingOfTheCallersTerminal(options: [String]) throws {
            try Exec.withContainer { container in
                let terminal = try Terminal()
                let handle = FileHandle(fileDescriptor: terminal.slave, closeOnDealloc: false)
                let script = "exec 3<&0; sleep 60 <&3 3<&- & echo started; echo to-stderr >&2"
                let (status, seconds) = try Self.run(["exec"] + options + [container.name, "sh", "-c", script],
                                                     stdin: handle, output: handle, errors: handle)
                #expect(status == 0)
                // It returns with its process, not with the one it left behind.
                #expect(seconds < 10)
                #expect(terminal.read() == "started\r\nto-stderr\r\n")
                let left = try container.tasks.subtracting([container.pid])
                try #require(left.count == 1, "\(left)")
                for pid in left {
                    let fds = Self.fds(of: pid)
                    #expect(!fds.isEmpty)
                    #expect(!fds.contains(terminal.slavePath), "\(fds)")
                    #expect(fds.allSatisfy { $0 == "/dev/null" || $0.hasPrefix("pipe:[") }, "\(fds)")
                    kill(pid, SIGKILL)
                }
            }
        }

        /// Relayed through pipes, the streams still end and order as the process left them: one pipe for
        /// stdout and stderr when they are one file; stdin's EOF reaches the process; a caller that stops
        /// reading ends a writer; a process that reads none of a large input still exits with its own status.
        @Test func relayedStreamsKeepOrderEOFAndStatus() throws {
            try Exec.withContainer { container in
                let output = try SandboxProcess.OutputFile()
                let script = "echo 1; echo 2 >&2; echo 3; echo 4 >&2; exit 5"
                let mixed = try Self.run(["exec", container.name, "sh", "-c", script], stdin: .nullDevice, output: output.handle, errors: output.handle)
                #expect(mixed.status == 5)
                #expect(try output.text() == "1\n2\n3\n4\n")

                let separate = try container.exec(["sh", "-c", script])
                #expect(separate.status == 5 && separate.stdout == "1\n3\n" && separate.stderr == "2\n4\n")
                let echoed = try container.exec(["sh", "-c", "cat; echo done"], options: ["-i"], input: "hello\n")
                #expect(echoed.status == 0 && echoed.stdout == "hello\ndone\n", "\(echoed.stderr)")

                // A caller that stops reading: the process's next write fails, as a pipe of the caller's own would.
                let gone = Pipe()
                try gone.fileHandleForReading.close()
                let refused = try Self.run(["exec", container.name, "yes"], stdin: .nullDevice, output: gone.fileHandleForWriting,
                                           errors: FileHandle.nullDevice)
                #expect(refused.status == 128 + SIGPIPE || refused.status == 1, "\(refused.status)")
                #expect(refused.seconds < 10)

                let large = try SandboxProcess.OutputFile()
                try large.handle.write(contentsOf: Data(repeating: UInt8(ascii: "x"), count: 1 << 20))
                try large.handle.seek(toOffset: 0)
                let unread = try Self.run(["exec", "-i", container.name, "sh", "-c", "exit 3"], stdin: large.handle,
                                          output: FileHandle.nullDevice, errors: FileHandle.nullDevice)
                #expect(unread.status == 3)
                let counted = try SandboxProcess.OutputFile()
                try large.handle.seek(toOffset: 0)
                let read = try Self.run(["exec", "-i", container.name, "wc", "-c"], stdin: large.handle, output: counted.handle, errors: counted.handle)
                let count = try counted.text().trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(read.status == 0 && count == "1048576")
            }
        }

        /// The exec'd process's session keyring is a new one, not the caller's: the probe, on the host, joins
        /// a keyring of the test's own and runs `exec` in it; inside, it names the keyring it has.
        @Test(arguments: HostileImage.modes)
        func anExecdProcessHasASessionKeyringOfItsOwn(mode: [String]) throws {
            let probe = try KeyringProbe.build()
            defer { try? FileManager.default.removeItem(atPath: probe) }
            try Exec.withContainer(mode + ["--security-opt", "seccomp=unconfined", "-v", "\(probe):/probe:ro"]) { container in
                let keyring = "sandbox-test-" + UUID().uuidString.prefix(8).lowercased()
                let process = Process()
                process.executableURL = URL(fileURLWithPath: probe + "/keyring")
                process.arguments = ["join", keyring, SandboxProcess.binary, "exec", container.name, "/probe/keyring"]
                let output = try SandboxProcess.OutputFile()
                process.standardOutput = output.handle
                process.standardError = output.handle
                try process.run()
                process.waitUntilExit()
                let text = try output.text()
                let lines = text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
                try #require(process.terminationStatus == 0 && lines.count == 2 && lines.allSatisfy { $0.count == 2 }, "\(text)")
                #expect(lines[0][1] == keyring)
                #expect(lines[1][0] != lines[0][0])
                #expect(lines[1][1] == "_ses")
            }
        }
    }
}

/// A static program that names its session keyring ("SERIAL NAME"); with `join NAME COMMAND...` it first joins
/// a new session keyring called NAME, names it, and runs COMMAND there.
enum KeyringProbe {
    static let source = #"""
        #define _GNU_SOURCE
        #include <linux/keyctl.h>
        #include <stdio.h>
        #include <string.h>
        #include <sys/syscall.h>
        #include <unistd.h>

        static void name_session_keyring(void)
        {
        	long serial = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
        	char description[256] = "";
        	syscall(SYS_keyctl, KEYCTL_DESCRIBE, serial, description, sizeof description - 1);
        	const char *name = strrchr(description, ';');
        	printf("%ld %s\n", serial, name != NULL ? name + 1 : "?");
        	fflush(stdout);
        }

        int main(int argc, char **argv)
        {
        	if (argc > 3 && strcmp(argv[1], "join") == 0) {
        		if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, argv[2]) < 0) {
        			perror("keyctl");
        			return 1;
        		}
        		name_session_keyring();
        		execv(argv[3], argv + 3);
        		perror("execv");
        		return 127;
        	}
        	name_session_keyring();
        	return 0;
        }
        """#

    /// Compiles the probe into a new directory, as `keyring`, with the first of cc and clang there is.
    static func build() throws -> String {
        let directory = try Host.temporaryDirectory()
        try source.write(toFile: directory + "/keyring.c", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "cc -static -O2 -o keyring keyring.c || clang -static -O2 -o keyring keyring.c"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(atPath: directory)
            throw ForeignSyscalls.ProbeError(message: "cannot compile the keyring probe: no cc or clang with a static libc")
        }
        return directory
    }
}
