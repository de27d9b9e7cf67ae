import Foundation
import Testing

extension ContainerTests {
    @Suite struct Filesystem {
        @Test func containerRootOwnsAndWritesItsImageWhichStaysUnchanged() throws {
            let before = try Snapshot(of: SandboxProcess.rootfs)
            let inside = try SandboxProcess.shell("""
                stat -c '%u:%g' / /etc/passwd
                echo changed >> /etc/passwd && rm /bin/cat && mkdir /new && echo made > /new/file
                cp /bin/busybox /setuid-copy && chmod u+s /setuid-copy && stat -c '%a %u' /setuid-copy
                """)
            #expect(inside == "0:0\n0:0\n4755 0")
            #expect(try Snapshot(of: SandboxProcess.rootfs) == before, "the image directory changed")
        }

        /// `--rootfs` relative to where sandbox is called, as podman takes it, on both readings of the command
        /// line (a `--mount` is not on the fast path's).
        @Test(arguments: [[], ["--mount", "type=tmpfs,dst=/scratch"]])
        func aRelativeRootfsIsTakenFromTheCurrentDirectory(options: [String]) throws {
            let image = URL(fileURLWithPath: SandboxProcess.rootfs)
            let result = try SandboxProcess.execute("/bin/sh", ["-c", "cd \"$1\" && shift && exec \"$@\"", "sh",
                                                                image.deletingLastPathComponent().path, SandboxProcess.binary, "run"]
                                                    + options + ["--rootfs", image.lastPathComponent, "cat", "/etc/passwd"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == (try String(contentsOfFile: image.path + "/etc/passwd", encoding: .utf8)))
        }

        @Test func setuidFileMadeInsideNeverBecomesHostRootsSetuidFile() throws {
            let volume = try Host.temporaryDirectory(), states = Host.stateDirectories()
            defer { try? FileManager.default.removeItem(atPath: volume) }
            _ = try SandboxProcess.shell("cp /bin/busybox /setuid && chmod u+s /setuid && cp -p /setuid /data/setuid",
                                         options: ["-v", "\(volume):/data"])
            var status = stat()
            #expect(stat(volume + "/setuid", &status) == 0)
            #expect(status.st_mode & S_ISUID != 0 && status.st_uid != 0, "a setuid file owned by host root")
            // The image layer lives in the container's own tmpfs: nothing it wrote is left on the host.
            #expect(Set(Host.stateDirectories()).isSubset(of: states))
        }

        /// A volume the container's root could not reach on the host (under a 0700 directory, as podman's
        /// container files are): sandbox, as host root, hands it over.
        @Test func volumeBeneathADirectoryOnlyHostRootMayEnter() throws {
            let outer = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: outer) }
            try FileManager.default.createDirectory(atPath: outer + "/inner", withIntermediateDirectories: false)
            try "hosts\n".write(toFile: outer + "/inner/file", atomically: false, encoding: .utf8)
            chmod(outer, 0o700)
            chmod(outer + "/inner", 0o777)
            let inside = try SandboxProcess.shell("cat /data/file /hosts", options: ["-v", "\(outer)/inner:/data", "-v", "\(outer)/inner/file:/hosts"])
            #expect(inside == "hosts\nhosts")
        }

        @Test func readOnlyRootAndReadOnlyVolumeRefuseWrites() throws {
            let volume = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: volume) }
            let inside = try SandboxProcess.shell(
                "touch /x 2>&1; touch /data/x 2>&1; touch /rw/x && echo rw-ok",
                options: ["--read-only", "-v", "\(volume):/data:ro", "-v", "\(volume):/rw"])
            #expect(inside == "touch: /x: Read-only file system\ntouch: /data/x: Read-only file system\nrw-ok")
        }

        @Test func maskedPathsReadEmptyAndReadOnlyPathsRefuseWrites() throws {
            let inside = try SandboxProcess.shell("""
                for path in /proc/keys /proc/timer_list /proc/interrupts; do printf '%s:%s\\n' $path "$(wc -c < $path)"; done
                ls -A /sys/firmware | wc -l; ls -A /proc/acpi | wc -l
                echo 1 > /proc/sys/kernel/domainname 2>/dev/null || echo refused
                touch /proc/irq/x 2>/dev/null || echo refused
                """)
            #expect(inside == "/proc/keys:0\n/proc/timer_list:0\n/proc/interrupts:0\n0\n0\nrefused\nrefused")
        }

        @Test func hostRootIsReadOnlyWithScratchSpace() throws {
            let inside = try SandboxProcess.shell(
                "touch /etc/x 2>/dev/null || echo refused; touch /tmp/x /run/x && echo scratch-ok", image: false)
            #expect(inside == "refused\nscratch-ok")
        }

        @Test func devHasDockersNodesAndMounts() throws {
            let inside = try SandboxProcess.shell("""
                for node in null zero full random urandom tty; do test -c /dev/$node || echo missing $node; done
                readlink /dev/ptmx; readlink /dev/fd
                grep -E ' /dev/(pts|shm|mqueue) ' /proc/self/mountinfo | awk '{print $5, $9}'
                echo hi > /dev/null && head -c 4 /dev/zero | wc -c
                """)
            #expect(inside == "pts/ptmx\n/proc/self/fd\n/dev/pts devpts\n/dev/shm tmpfs\n/dev/mqueue mqueue\n4")
        }

        @Test func tmpfsAndWorkdir() throws {
            let inside = try SandboxProcess.shell(
                "pwd; grep ' /scratch ' /proc/self/mountinfo | cut -d' ' -f6; grep ' /scratch ' /proc/self/mountinfo | grep -o 'size=[0-9]*k'",
                options: ["--tmpfs", "/scratch:size=1m", "-w", "/made/for/work"])
            #expect(inside == "/made/for/work\nrw,nosuid,nodev,noexec,relatime\nsize=1024k")
        }

        @Test func environmentAsDockerBuildsIt() throws {
            let file = try Host.temporaryDirectory() + "/env"
            defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
            try "# comment\nFROM_FILE=1\nOVERRIDDEN=file\n".write(toFile: file, atomically: true, encoding: .utf8)
            let inside = try SandboxProcess.shell("echo $PATH $HOME $FROM_FILE $OVERRIDDEN $PLAIN",
                                                  options: ["--env-file", file, "-e", "OVERRIDDEN=flag", "-e", "PLAIN=a b"])
            #expect(inside == "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /root 1 flag a b")
        }
    }
}

/// Every entry under a directory, with its type, mode, owner, size, link target and content digest.
struct Snapshot: Equatable {
    var entries: [String: String] = [:]

    init(of root: String) throws {
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        for case let relative as String in enumerator {
            let path = root + "/" + relative
            var status = stat()
            try #require(lstat(path, &status) == 0)
            var description = "\(status.st_mode) \(status.st_uid):\(status.st_gid) \(status.st_size) \(status.st_mtim.tv_sec)"
            if status.st_mode & S_IFMT == S_IFLNK {
                description += " -> " + (try FileManager.default.destinationOfSymbolicLink(atPath: path))
            } else if status.st_mode & S_IFMT == S_IFREG {
                description += " \(try Data(contentsOf: URL(fileURLWithPath: path)).hashValue)"
            }
            entries[relative] = description
        }
    }
}
