import Foundation
import Testing

extension ContainerTests {
    /// The device cgroup, asked of the kernel: from inside (what opens, what is refused with EPERM) and from
    /// the host (the v1 list, the v2 program). This hybrid machine enforces both, so each is also shown alone.
    @Suite struct Devices {
        static let refused = "Operation not permitted"

        /// A loop device with nothing attached: opening and reading it harms nothing (it reads as empty).
        static func idleLoop() throws -> (path: String, major: Int, minor: Int) {
            let names = try FileManager.default.contentsOfDirectory(atPath: "/sys/block").filter { $0.hasPrefix("loop") }.sorted()
            let idle = try #require(names.first { !FileManager.default.fileExists(atPath: "/sys/block/\($0)/loop/backing_file") },
                                    "no idle loop device in /sys/block")
            let numbers = try String(contentsOfFile: "/sys/block/\(idle)/dev", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":").compactMap { Int($0) }
            return ("/dev/" + idle, numbers[0], numbers[1])
        }

        /// A node for the idle loop device in a host directory, readable and writable by anyone, as a node
        /// on a volume could be: only the device cgroup stands between the container and the device.
        static func nodeOnTheHost() throws -> (directory: String, node: String) {
            let loop = try idleLoop()
            let directory = try Host.temporaryDirectory()
            let node = directory + "/disk"
            #expect(mknod(node, S_IFBLK | 0o666, makedev(UInt32(loop.major), UInt32(loop.minor))) == 0)
            chmod(node, 0o666)  // past the umask
            return (directory, node)
        }

        /// glibc's makedev(), a macro Swift does not import.
        static func makedev(_ major: UInt32, _ minor: UInt32) -> dev_t {
            dev_t(minor & 0xff) | dev_t(major & 0xfff) << 8 | dev_t(minor & ~0xff) << 12 | dev_t(major & ~0xfff) << 32
        }

        // MARK: What the container may not do

        /// The finding: with --userns host, container root is host root with CAP_MKNOD and made a node for a
        /// host block device, then opened it. Making it is still allowed (Docker's `b *:* m`); opening is not.
        /// In a user namespace mknod itself is refused, by the kernel, before the cgroup is asked.
        @Test(arguments: [([], "mknod: /dev/l0: \(refused)"), (["--userns", "host"], "made\nhead: /dev/l0: \(refused)")] as [([String], String)])
        func aHostBlockDeviceCannotBeMadeAndOpened(options: [String], expected: String) throws {
            let loop = try Self.idleLoop()
            let inside = try SandboxProcess.shell("""
                mknod /dev/l0 b \(loop.major) \(loop.minor) 2>&1 && echo made && head -c 1 /dev/l0 2>&1 >/dev/null && echo opened
                true
                """, options: options)
            #expect(inside == expected)
        }

        /// A device node that reaches the container some other way (here on a volume, open to all) is refused
        /// too, in a user namespace as without one: only the device cgroup can refuse it.
        @Test(arguments: [[], ["--userns", "host"]])
        func aDeviceNodeOnAVolumeCannotBeOpened(options: [String]) throws {
            let host = try Self.nodeOnTheHost()
            defer { try? FileManager.default.removeItem(atPath: host.directory) }
            let inside = try SandboxProcess.shell("head -c 1 /w/disk 2>&1 >/dev/null; true", options: options + ["-v", host.directory + ":/w"])
            #expect(inside == "head: /w/disk: \(Self.refused)")
        }

        // MARK: What it still may

        @Test(arguments: [[], ["--userns", "host"]])
        func dockersDevicesStillWork(options: [String]) throws {
            let inside = try SandboxProcess.shell("""
                echo x > /dev/null && head -c 2 /dev/zero | wc -c && head -c 2 /dev/urandom | wc -c && head -c 2 /dev/random | wc -c
                (echo x > /dev/full) 2>&1 | grep -o 'No space left on device'
                exec 3<>/dev/ptmx && echo ptmx
                """, options: options)
            #expect(inside == "2\n2\n2\nNo space left on device\nptmx")
        }

        /// With -t: /dev/tty, the terminal itself (the pty slave bound at /dev/console, c 136:N with
        /// --userns host, where container root may open it), and a new terminal's slave, which its driver
        /// refuses while it is locked: the cgroup let the open through to the driver.
        @Test func terminalsStillWork() throws {
            let result = try SandboxProcess.run(["run", "-t", "--userns", "host", "--rootfs", SandboxProcess.rootfs, "--", "sh", "-c", """
                echo tty > /dev/tty; echo console > /dev/console
                exec 3<>/dev/ptmx; (exec 4<>/dev/pts/0) 2>&1 | grep -o 'Input/output error\\|\(Self.refused)'
                """])
            #expect(result.status == 0)
            #expect(result.stdout.replacingOccurrences(of: "\r", with: "") == "tty\nconsole\nInput/output error\n")
        }

        // MARK: --device and --privileged

        @Test func deviceIsThereAndOpens() throws {
            let loop = try Self.idleLoop()
            let inside = try SandboxProcess.shell("""
                stat -c '%F %t:%T' \(loop.path); head -c 1 \(loop.path) && echo read; : > \(loop.path) && echo written
                """, options: ["--userns", "host", "--device", loop.path])
            #expect(inside == "block special file \(String(loop.major, radix: 16)):\(String(loop.minor, radix: 16))\nread\nwritten")
        }

        /// `:r` lets it be read, not written; at another path, in a user namespace too (the node on the host
        /// is open to all, so only the cgroup decides).
        @Test(arguments: [[], ["--userns", "host"]])
        func readOnlyDevice(options: [String]) throws {
            let host = try Self.nodeOnTheHost()
            defer { try? FileManager.default.removeItem(atPath: host.directory) }
            let script = "head -c 1 /dev/disk && echo read; (: > /dev/disk) 2>&1 | grep -o '\(Self.refused)'; true"
            #expect(try SandboxProcess.shell(script, options: options + ["--device", host.node + ":/dev/disk:r"]) == "read\n\(Self.refused)")
            #expect(try SandboxProcess.shell(script, options: options + ["--device", host.node + ":/dev/disk"]) == "read")
        }

        /// Docker's --privileged allows every device. (Its capabilities are dropped to MKNOD alone: a host
        /// whose own bounding set lacks one cannot give them all.)
        @Test func privilegedOpensAHostBlockDevice() throws {
            let loop = try Self.idleLoop()
            let inside = try SandboxProcess.shell("""
                head -c 1 \(loop.path) && echo opened; mknod /tmp/l0 b \(loop.major) \(loop.minor) && head -c 1 /tmp/l0 && echo made and opened
                """, options: ["--privileged", "--userns", "host", "--cap-drop", "ALL", "--cap-add", "MKNOD"])
            #expect(inside == "opened\nmade and opened")
        }

        /// Another caller than root gets no device rules: its user namespace is what keeps it from the host's
        /// devices. mknod needs CAP_MKNOD in the host's user namespace; a host node it is given opens only as
        /// the caller could open it (the idle loop device is root's alone).
        @Test func rootlessIsKeptOutByItsUserNamespace() throws {
            let loop = try Self.idleLoop()
            let result = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "--device", loop.path, "--", "sh", "-c",
                                                 "mknod /dev/l0 b \(loop.major) \(loop.minor) 2>&1; head -c 1 \(loop.path) 2>&1; true"],
                                                asUser: (65534, 65534))
            #expect(result.output == "mknod: /dev/l0: \(Self.refused)\nhead: \(loop.path): Permission denied", "\(result.stderr)")
        }

        // MARK: From the host

        /// A container named `name` that signals it is ready, waits for the host's go, then runs `script`.
        struct Waiting {
            let process = Process()
            let output = Pipe()
            let directory: String

            init(name: String, options: [String], script: String) throws {
                directory = try Host.temporaryDirectory()
                process.executableURL = URL(fileURLWithPath: SandboxProcess.binary)
                process.arguments = ["run", "--name", name, "--rootfs", SandboxProcess.rootfs, "-v", directory + ":/w"] + options
                    + ["--", "sh", "-c", "touch /w/ready; while [ ! -e /w/go ]; do usleep 10000; done; " + script]
                process.standardOutput = output
                process.standardError = output
                try process.run()
                for _ in 0..<500 where !FileManager.default.fileExists(atPath: directory + "/ready") { usleep(10_000) }
            }

            /// Lets it go on and returns what it printed.
            func finish() -> String {
                _ = FileManager.default.createFile(atPath: directory + "/go", contents: nil)
                let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                try? FileManager.default.removeItem(atPath: directory)
                return text
            }
        }

        /// The device programs loaded now, by name and tag (a hash of their instructions), as bpf_jit_kallsyms
        /// lists them: `bpf_prog_<tag>_sandbox_devices`. grep reads the 5 MB faster than a debug build would.
        static func programs() throws -> Set<Substring> {
            let grep = Process(), output = Pipe()
            grep.executableURL = URL(fileURLWithPath: "/bin/grep")
            grep.arguments = ["-o", "bpf_prog_[0-9a-f]*_sandbox_devices", "/proc/kallsyms"]
            grep.standardOutput = output
            try grep.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            grep.waitUntilExit()
            return Set(text.split(separator: "\n"))
        }

        /// The v1 list, read back from the kernel; the v2 program loaded while the container runs and freed
        /// with its cgroup. A node of its own numbers (a random minor) makes its program's tag its own.
        @Test func theHostSeesTheListAndTheProgram() throws {
            let directory = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let minor = UInt32.random(in: 0..<(1 << 20))
            #expect(mknod(directory + "/node", S_IFCHR | 0o600, Self.makedev(240, minor)) == 0)
            let before = try Self.programs()
            let container = try Waiting(name: "devices-test", options: ["--device", directory + "/node:/dev/node:r"], script: "true")
            let list = try String(contentsOfFile: "/sys/fs/cgroup/devices/sandbox/devices-test/devices.list", encoding: .utf8)
            #expect(list.split(separator: "\n") == [
                "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
                "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm", "c 10:200 rwm", "c 240:\(minor) r",
            ])
            #expect(FileManager.default.fileExists(atPath: "/sys/fs/cgroup/unified/sandbox/devices-test"))
            let ours = try Self.programs().subtracting(before)
            #expect(ours.count == 1)
            _ = container.finish()
            // The kernel frees a cgroup, and its programs, a moment after it is removed.
            for _ in 0..<300 {
                if try Self.programs().isDisjoint(with: ours) { break }
                usleep(10_000)
            }
            #expect(try Self.programs().isDisjoint(with: ours), "the device program outlived its cgroup")
        }

        /// The v2 program alone: the host opens the v1 list to every device while the container waits, and the
        /// container's open is still refused.
        @Test func theProgramAloneRefuses() throws {
            let loop = try Self.idleLoop()
            let container = try Waiting(name: "devices-bpf-test", options: ["--userns", "host"],
                                        script: "mknod /dev/l0 b \(loop.major) \(loop.minor) && head -c 1 /dev/l0 && echo opened")
            let cgroup = "/sys/fs/cgroup/devices/sandbox/devices-bpf-test"
            try "a".write(toFile: cgroup + "/devices.allow", atomically: false, encoding: .utf8)
            #expect(try String(contentsOfFile: cgroup + "/devices.list", encoding: .utf8) == "a *:* rwm\n")
            #expect(container.finish() == "head: /dev/l0: \(Self.refused)\n")
        }

        /// --privileged: v1 allows all, and no program is loaded for it.
        @Test func privilegedHasNoProgram() throws {
            let before = try Self.programs()
            let container = try Waiting(name: "devices-privileged-test", options: ["--privileged"], script: "true")
            #expect(try String(contentsOfFile: "/sys/fs/cgroup/devices/sandbox/devices-privileged-test/devices.list", encoding: .utf8) == "a *:* rwm\n")
            #expect(try Self.programs().subtracting(before).isEmpty)
            _ = container.finish()
        }
    }
}
