import Foundation
import Testing

extension ContainerTests {
    /// Inputs that would make sandbox give more than was asked: each is refused with one line and exit 125.
    @Suite struct HostileInput {
        static let profiles = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Profiles").path

        /// Without no_new_privs the profile is loaded before the ids and capabilities are set, and may make a
        /// step return 0 without doing it; the child reads back what the kernel holds and refuses to go on.
        @Test(arguments: [HostileImage.modes[0], HostileImage.modes[1]])
        func aProfileThatFakesCapsetOrSetresuidIsCaught(mode: [String]) throws {
            let capset = try SandboxProcess.run(["run"] + mode + ["--rootfs", SandboxProcess.rootfs, "--security-opt",
                                                 "seccomp=\(Self.profiles)/fake-capset.json", "grep", "CapEff", "/proc/self/status"])
            #expect(capset.status == 125 && capset.stdout.isEmpty, "\(capset.stdout)")
            #expect(capset.stderr == "sandbox: verify what was set: the capability set differs: permitted: Operation not permitted\n")
            let setresuid = try SandboxProcess.run(["run"] + mode + ["--rootfs", SandboxProcess.rootfs, "--user", "1000", "--security-opt",
                                                    "seccomp=\(Self.profiles)/fake-setresuid.json", "id", "-u"])
            #expect(setresuid.status == 125 && setresuid.stdout.isEmpty, "\(setresuid.stdout)")
            #expect(setresuid.stderr == "sandbox: verify what was set: uid is not 1000: Operation not permitted\n")
        }

        /// Container ids on host uid 0 would make a container user host root: only --userns host gives that.
        @Test func mapsOntoHostRootAreRefused() throws {
            let maps = ["--uidmap", "0:100000:65536", "--gidmap", "0:100000:65536"]
            for (option, kind) in [("--uidmap", "uid"), ("--gidmap", "gid")] {
                let result = try SandboxProcess.run(["run"] + maps + [option, "65536:0:10", "true"])
                #expect(result.status == 125)
                #expect(result.stderr == "sandbox: the \(kind) map puts container \(kind)s 65536-65545 on host \(kind) 0 (host root): refusing it; use --userns host to run as host root\n")
            }
            try Rootless.withUser(subordinateIDs: false) { _, _ in
                try Rootless.shell("/usr/sbin/usermod", "--add-subuids", "0-65535", "--add-subgids", "0-65535", Rootless.name)
                let result = try SandboxProcess.run(["run", "--userns-remap", Rootless.name, "true"])
                #expect(result.status == 125)
                #expect(result.stderr == "sandbox: the uid map puts container uids 0-65535 on host uid 0 (host root): refusing it; use --userns host to run as host root\n")
            }
        }

        /// Without XDG_RUNTIME_DIR a rootless caller's state lives in /tmp/sandbox-UID, which anyone could have made
        /// first: it must be the caller's own directory, never a symlink.
        @Test func aStateDirectoryInTmpThatIsNotTheCallersIsRefused() throws {
            try Rootless.withUser(subordinateIDs: false) { uid, gid in
                let path = "/tmp/sandbox-\(uid)"
                defer { try? FileManager.default.removeItem(atPath: path) }
                try? FileManager.default.removeItem(atPath: path)
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
                chmod(path, 0o777)
                let planted = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "true"], asUser: (uid, gid))
                #expect(planted.status == 125)
                #expect(planted.stderr == "sandbox: state directory \(path) belongs to uid 0, not to you (uid \(uid)): refusing it; remove it, or set XDG_RUNTIME_DIR\n")

                try FileManager.default.removeItem(atPath: path)
                let elsewhere = try Host.temporaryDirectory()
                defer { try? FileManager.default.removeItem(atPath: elsewhere) }
                chown(elsewhere, uid, gid)
                try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: elsewhere)
                let linked = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "true"], asUser: (uid, gid))
                #expect(linked.status == 125)
                #expect(linked.stderr == "sandbox: state directory \(path) is a symlink or a file, not a directory: refusing it; remove it\n")

                try FileManager.default.removeItem(atPath: path)
                let own = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "true"], asUser: (uid, gid))
                #expect(own.status == 0, "\(own.stderr)")
                var status = stat()
                #expect(lstat(path, &status) == 0 && status.st_uid == uid && status.st_mode & 0o777 == 0o700)
            }
        }

        /// The image is idmapped for the container by a tree the host never sees mounted: watched from the host
        /// while containers start, no mount ever appears under the state directory.
        @Test func theIdmappedImageIsNeverMountedOnTheHost() throws {
            let seen = Watcher()
            let thread = Thread { seen.watch() }
            thread.start()
            for _ in 0..<10 {
                _ = try SandboxProcess.shell("true")
            }
            seen.stop()
            #expect(seen.lines.isEmpty, "\(seen.lines)")
        }

        /// Polls the host's mount table for anything under /run/sandbox.
        final class Watcher: @unchecked Sendable {
            private let lock = NSLock()
            private var stopped = false
            private var found: Set<String> = []

            var lines: Set<String> { lock.withLock { found } }

            func watch() {
                while !lock.withLock({ stopped }) {
                    let table = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
                    let found = table.split(separator: "\n").filter { $0.contains(" /run/sandbox/") }.map(String.init)
                    lock.withLock { self.found.formUnion(found) }
                    usleep(100)
                }
            }

            func stop() { lock.withLock { stopped = true } }
        }
    }
}
