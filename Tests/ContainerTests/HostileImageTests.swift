import Foundation
import Testing

extension ContainerTests {
    /// Images built to make sandbox work outside them, or on the host's behalf: each is refused with one line
    /// and exit 125, or contained, in the default (remapped) mode and with --userns host.
    @Suite struct HostileImage {
        static let modes: [[String]] = [[], ["--userns", "host"]]

        /// A copy of the busybox image, changed by `build` (which gets its path), removed afterwards.
        static func withImage(_ build: (String) throws -> Void, _ body: (String) throws -> Void) throws {
            let image = try Host.temporaryDirectory() + "/image"
            defer { try? FileManager.default.removeItem(atPath: (image as NSString).deletingLastPathComponent) }
            let copy = Process()
            copy.executableURL = URL(fileURLWithPath: "/bin/cp")
            copy.arguments = ["-a", SandboxProcess.rootfs, image]
            try copy.run()
            copy.waitUntilExit()
            try #require(copy.terminationStatus == 0)
            try build(image)
            try body(image)
        }

        /// Runs sandbox, killing it if it takes longer than `seconds`: a hang is a failure, not a stuck suite.
        static func run(_ arguments: [String], seconds: Double = 20) throws -> SandboxProcess.Result {
            try SandboxProcess.run(["run"] + arguments, timeout: seconds)
        }

        static func expectRefused(_ result: SandboxProcess.Result, _ message: String) {
            #expect(result.status == 125, "\(result.stderr)")
            #expect(result.stderr == "sandbox: \(message)\n")
        }

        /// The chain: /proc -> /dev/l, /dev/l -> /p, /p an empty directory. Followed, proc lands on /p,
        /// the /dev tmpfs hides /dev/l, every mask under /proc misses and /p/sys is writable.
        @Test(arguments: modes)
        func procThroughASymlinkChainIsRefused(mode: [String]) throws {
            try Self.withImage({ image in
                let manager = FileManager.default
                try manager.removeItem(atPath: image + "/proc")
                try manager.createDirectory(atPath: image + "/p", withIntermediateDirectories: false)
                try manager.createSymbolicLink(atPath: image + "/dev/l", withDestinationPath: "/p")
                try manager.createSymbolicLink(atPath: image + "/proc", withDestinationPath: "/dev/l")
            }) { image in
                let states = Host.stateDirectories(), mounts = try Host.mountCount()
                let result = try Self.run(mode + ["--rootfs", image, "sh", "-c", "grep ' /p/sys ' /proc/self/mountinfo"])
                Self.expectRefused(result, "the image's /proc is a symlink or a file, not a directory: refusing to mount proc there")
                #expect(Set(Host.stateDirectories()).isSubset(of: states))
                #expect(try Host.mountCount() == mounts)
            }
        }

        @Test(arguments: modes)
        func sysAsASymlinkOrProcAsAFileIsRefused(mode: [String]) throws {
            try Self.withImage({ image in
                try FileManager.default.removeItem(atPath: image + "/sys")
                try FileManager.default.createSymbolicLink(atPath: image + "/sys", withDestinationPath: "/tmp")
            }) { image in
                Self.expectRefused(try Self.run(mode + ["--rootfs", image, "true"]),
                                   "the image's /sys is a symlink or a file, not a directory: refusing to mount sysfs there")
            }
            try Self.withImage({ image in
                try FileManager.default.removeItem(atPath: image + "/proc")
                try "".write(toFile: image + "/proc", atomically: false, encoding: .utf8)
            }) { image in
                Self.expectRefused(try Self.run(mode + ["--rootfs", image, "true"]),
                                   "the image's /proc is a symlink or a file, not a directory: refusing to mount proc there")
            }
        }

        /// sandbox reads the image's /etc/passwd and /etc/group as host root: a FIFO there must not hang it, a
        /// device node must never be opened, and a huge file must not fill the host's memory.
        @Test(arguments: modes)
        func passwdThatIsNotARegularFileIsRefused(mode: [String]) throws {
            let cases: [(String, (String) throws -> Void)] = [
                ("/etc/passwd", { path in #expect(mkfifo(path, 0o644) == 0) }),
                ("/etc/group", { path in #expect(mknod(path, S_IFCHR | 0o644, 1 << 8 | 5) == 0) }), // /dev/zero
            ]
            for (file, make) in cases {
                try Self.withImage({ image in
                    try FileManager.default.removeItem(atPath: image + file)
                    try make(image + file)
                }) { image in
                    Self.expectRefused(try Self.run(mode + ["--rootfs", image, "--user", "1000", "true"]),
                                       "read \(file) in \(image): not a regular file")
                }
            }
        }

        @Test func hugePasswdIsRefused() throws {
            try Self.withImage({ image in
                let line = "user:x:1000:1000::/:/bin/sh\n"
                try String(repeating: line, count: (5 << 20) / line.utf8.count).write(toFile: image + "/etc/passwd", atomically: false, encoding: .utf8)
            }) { image in
                Self.expectRefused(try Self.run(["--rootfs", image, "true"]), "read /etc/passwd in \(image): larger than 4 MiB")
            }
        }

        /// The --init that stays pid 1 is a copy of sandbox: it holds no fd (not the caller's streams, not
        /// anything of sandbox's), seen from the host, and nothing in the container may open its /proc/1/exe.
        @Test(arguments: modes)
        func initHoldsNoFileAndCannotBeOpened(mode: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: SandboxProcess.binary)
            process.arguments = ["run", "--init", "--rootfs", SandboxProcess.rootfs] + mode
                + ["sh", "-c", "readlink /proc/1/exe >/dev/null 2>&1 || echo refused; sleep 5"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            defer { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
            let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            #expect(line == "refused\n")
            let children = try String(contentsOfFile: "/proc/\(process.processIdentifier)/task/\(process.processIdentifier)/children",
                                      encoding: .utf8)
            let initProcess = try #require(children.split(separator: " ").first)
            #expect(try FileManager.default.contentsOfDirectory(atPath: "/proc/\(initProcess)/fd") == [])
        }

        /// CVE-2024-21626: a working directory through /proc/self/fd/N reached a host directory that runc held
        /// open. Given as -w, or as a symlink in the image, it is a magic link sandbox never follows: refused
        /// with one line before anything of the container runs, whatever fd N is.
        @Test(arguments: modes)
        func aWorkdirThroughProcSelfFdIsRefused(mode: [String]) throws {
            try Self.withImage({ image in
                for fd in 3...6 {
                    try FileManager.default.createSymbolicLink(atPath: image + "/w\(fd)", withDestinationPath: "/proc/self/fd/\(fd)")
                }
            }) { image in
                for fd in 3...6 {
                    for workdir in ["/proc/self/fd/\(fd)", "/w\(fd)"] {
                        let result = try Self.run(mode + ["-w", workdir, "--rootfs", image, "sh", "-c", "echo ran in $(pwd)"])
                        #expect(result.status == 125 && result.stdout.isEmpty, "\(workdir): \(result.stdout)")
                        #expect(result.stderr.hasPrefix("sandbox: change to working directory \(workdir): "), "\(result.stderr)")
                    }
                }
            }
        }
    }
}
