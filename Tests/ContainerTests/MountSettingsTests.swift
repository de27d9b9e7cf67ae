import Foundation
import SandboxPolicy
import Testing

extension ContainerTests {
    /// What an OCI config asks of mounts that no `sandbox run` flag reaches: device nodes, atime and symlink
    /// attributes, propagation. Read back from the container's /proc/self/mountinfo and from the host's.
    @Suite struct MountSettings {
        /// Each mount point starting with `prefix`, or /, with its propagation fields, peer numbers left out:
        /// `/p-shared shared:`, `/ -`.
        static let propagationScript = """
            awk '{ fields = ""; for (i = 7; $i != "-"; i++) fields = fields " " $i; print $5 (fields == "" ? " -" : fields) }' \
            /proc/self/mountinfo | grep -E '^(/ |/p-|/vol)' | sed 's/[0-9]//g'
            """

        static func tmpfs(at target: String, _ attributes: MountAttributes = [], propagation: MountPropagation? = nil) -> MountEntry {
            var entry = MountEntry(.filesystem(type: "tmpfs", data: nil), at: target, attributes: attributes)
            entry.propagation = propagation
            return entry
        }

        // MARK: device nodes

        @Test func deviceNodesAreMadeWithTheirOwnerAndMode() throws {
            let result = try SpecContainer.run("""
                stat -c '%F %t:%T %a %u:%g' /dev/custom/null /dev/loop-made
                echo gone > /dev/custom/null && echo written
                """, flags: { $0.namespaces.share(.user) }) {
                $0.insertBeforeCovers(MountEntry(.device(.character, major: 1, minor: 3, mode: 0o620, uid: 1000, gid: 5), at: "/dev/custom/null"))
                $0.insertBeforeCovers(MountEntry(.device(.block, major: 7, minor: 0, mode: 0o600, uid: 0, gid: 6), at: "/dev/loop-made"))
            }
            #expect(result.output == "character special file 1:3 620 1000:5\nblock special file 7:0 600 0:6\nwritten")
        }

        /// In a user namespace the kernel refuses mknod: the spec gives such a container its nodes as binds.
        @Test func aDeviceNodeCannotBeMadeInAUserNamespace() throws {
            let message = try SpecContainer.failure {
                $0.insertBeforeCovers(MountEntry(.device(.character, major: 1, minor: 3, mode: 0o666, uid: 0, gid: 0), at: "/dev/custom"))
            }
            #expect(message == "make device node /dev/custom: Operation not permitted")
        }

        /// A node bound from the host (as Docker's /dev/null is), asked for again, is kept as it is, never
        /// chowned or chmodded: that would change the host's node. Another device in its place is refused.
        @Test func aNodeAlreadyThereIsKeptWhenTheSameAndRefusedWhenNot() throws {
            let directory = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let node = directory + "/null"
            #expect(mknod(node, S_IFCHR | 0o666, Devices.makedev(1, 3)) == 0)
            chmod(node, 0o666)
            let bound: (inout RunSpec) throws -> Void = {
                $0.namespaces.share(.user)
                $0.volumes.append(try Volume(parsing: node + ":/dev/host-null"))
            }
            let same = try SpecContainer.run("stat -c '%t:%T %a %u' /dev/host-null", flags: bound) {
                $0.insertBeforeCovers(MountEntry(.device(.character, major: 1, minor: 3, mode: 0o600, uid: 1000, gid: 1000), at: "/dev/host-null"))
            }
            #expect(same.output == "1:3 666 0")
            var host = stat()
            #expect(stat(node, &host) == 0 && host.st_mode & 0o7777 == 0o666 && host.st_uid == 0)
            let other = try SpecContainer.failure(flags: bound) {
                $0.insertBeforeCovers(MountEntry(.device(.character, major: 1, minor: 5, mode: 0o666, uid: 0, gid: 0), at: "/dev/host-null"))
            }
            #expect(other == "make device node /dev/host-null: File exists")
        }

        // MARK: attributes

        /// Without a user namespace: in one, the kernel locks the atime setting of a bind of a host mount.
        @Test func atimeAndSymlinkAttributesReachTheKernel() throws {
            let volume = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: volume) }
            let result = try SpecContainer.run("""
                for path in /a-noatime /a-strict /a-bind /tmp; do
                    printf '%s %s\\n' $path "$(awk -v path=$path '$5 == path { print $6 }' /proc/self/mountinfo)"
                done
                ln -s /etc/hostname /a-noatime/link && cat /a-noatime/link 2>&1
                """, flags: { $0.namespaces.share(.user) }) {
                $0.insertBeforeCovers(Self.tmpfs(at: "/a-noatime", [.noAccessTime, .noSymlinks]))
                $0.insertBeforeCovers(Self.tmpfs(at: "/a-strict", [.strictAccessTime, .noDirectoryAccessTime]))
                $0.insertBeforeCovers(MountEntry(.bind(source: volume), at: "/a-bind", attributes: [.readOnly, .noAccessTime]))
                $0.insertBeforeCovers(Self.tmpfs(at: "/tmp"))
            }
            #expect(result.output == """
                /a-noatime rw,noatime,nosymfollow
                /a-strict rw,nodiratime
                /a-bind ro,noatime
                /tmp rw,relatime
                cat: can't open '/a-noatime/link': Too many levels of symbolic links
                """)
        }

        // MARK: propagation

        /// Nothing is shared by default; each mount, and /, takes the propagation asked for once it is made.
        @Test func eachMountAndTheRootTakeTheirPropagation() throws {
            func mounts(root: MountPropagation?) throws -> String {
                try SpecContainer.run(Self.propagationScript) {
                    $0.rootPropagation = root
                    $0.insertBeforeCovers(Self.tmpfs(at: "/p-default"))
                    $0.insertBeforeCovers(Self.tmpfs(at: "/p-shared", propagation: .shared))
                    $0.insertBeforeCovers(Self.tmpfs(at: "/p-unbindable", propagation: .unbindable))
                }.output
            }
            #expect(try mounts(root: nil) == "/ -\n/p-default -\n/p-shared shared:\n/p-unbindable unbindable")
            // Not recursive: only / itself; recursive: every mount under it too, the unbindable one shared now.
            #expect(try mounts(root: .shared) == "/ shared:\n/p-default -\n/p-shared shared:\n/p-unbindable unbindable")
            #expect(try mounts(root: .recursiveShared) == "/ shared:\n/p-default shared:\n/p-shared shared:\n/p-unbindable shared:")
        }

        /// A volume of a shared host mount, with (r)slave propagation under an rslave root (Docker's `:rslave`),
        /// receives what the host mounts in it later; a private one, the default, does not. Either way, what
        /// the container mounts never reaches the host.
        @Test(arguments: [(MountPropagation.recursiveSlave, "seen"), (nil, "unseen")] as [(MountPropagation?, String)])
        func aSlaveVolumeReceivesTheHostsMountsAndSendsNone(propagation: MountPropagation?, expected: String) throws {
            let shared = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: shared) }
            #expect(mount("tmpfs", shared, "tmpfs", 0, "mode=0777") == 0)
            defer { umount2(shared, Int32(MNT_DETACH)) }
            #expect(mount(nil, shared, nil, UInt(MS_SHARED), nil) == 0)
            #expect(mkdir(shared + "/sub", 0o777) == 0 && mkdir(shared + "/inner", 0o777) == 0)

            let hostMounts = DispatchWorkItem {
                // Once the container runs: it says so in the volume.
                for _ in 0..<200 where !FileManager.default.fileExists(atPath: shared + "/started") { usleep(20_000) }
                mount("tmpfs", shared + "/sub", "tmpfs", 0, "mode=0777")
                FileManager.default.createFile(atPath: shared + "/sub/marker", contents: Data())
            }
            DispatchQueue.global().async(execute: hostMounts)
            let result = try SpecContainer.run("""
                touch /vol/started
                for i in $(seq 100); do [ -e /vol/sub/marker ] && break; usleep 20000; done
                [ -e /vol/sub/marker ] && echo seen || echo unseen
                mount -t tmpfs inner /vol/inner && echo mounted
                \(Self.propagationScript)
                """, flags: { $0.capabilities.added = ["SYS_ADMIN"] }) {
                $0.rootPropagation = propagation
                var volume = MountEntry(.bind(source: shared), at: "/vol")
                volume.propagation = propagation
                $0.insertBeforeCovers(volume)
            }
            hostMounts.wait()
            defer { umount2(shared + "/sub", Int32(MNT_DETACH)) }
            // The image's / has no master on the host, and a slave of nothing is private; so is a new mount.
            let received = expected == "seen" ? "\n/vol/sub master:" : ""
            let fields = propagation == nil ? "-" : "master:"
            // mountinfo lists mounts by id: a volume the parent cloned is older than the container's /.
            let lines = result.output.split(separator: "\n").map(String.init)
            #expect(Array(lines.prefix(2)) == [expected, "mounted"])
            #expect(lines.dropFirst(2).sorted() == "/ -\n/vol \(fields)\(received)\n/vol/inner -".split(separator: "\n").map(String.init).sorted())
            let hostMountinfo = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
            #expect(!hostMountinfo.contains(" \(shared)/inner "), "the container's mount reached the host")
        }
    }
}
