import Foundation
import SandboxLinux
import SandboxPolicy
import Testing

/// Layers unpacked as the store unpacks them: what a layer holds is kept (owners, modes, times, links, ACLs, the
/// xattrs an image may set), the diff_id is the uncompressed stream's sha256 whatever the compression, and
/// whiteouts are overlayfs's, as a real overlayfs mount of two unpacked layers shows.
@Suite(.enabled(if: getuid() == 0, "unpacking chroots, and keeps the layer's owners: it takes root"))
struct LayerUnpackerTests {
    /// security.capability for cap_net_raw+ep (VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE).
    static let netRaw = "struct.pack('<IIIII', 0x02000001, 1 << 13, 0, 0, 0)"

    static let normalLayer = """
        entry("bin/", tarfile.DIRTYPE, mode=0o755)
        entry("bin/tool", data=b"#!/bin/sh\\n", mode=0o4755)
        entry("etc/", tarfile.DIRTYPE, mode=0o755)
        entry("etc/config", data=b"key=value\\n", mode=0o640, uid=1234, gid=5678, mtime=1600000000)
        entry("etc/link", tarfile.SYMTYPE, linkname="config", uid=1234, gid=5678)
        entry("etc/absolute", tarfile.SYMTYPE, linkname="/etc/config")
        entry("etc/hard", tarfile.LNKTYPE, linkname="etc/config")
        entry("tmp/", tarfile.DIRTYPE, mode=0o1777)
        entry("data/", tarfile.DIRTYPE, mode=0o500, uid=42, gid=42)
        entry("data/file", data=b"in a read-only directory", mode=0o400, uid=42, gid=42)
        entry("fifo", tarfile.FIFOTYPE, mode=0o600)
        entry("xattrs", data=b"x", xattrs={"user.comment": b"kept", "trusted.overlay.redirect": b"/elsewhere",
                                          "user.overlay.opaque": b"y", "security.selinux": b"system_u:object_r:etc_t:s0"})
        entry("ping", data=b"\\x7fELF", mode=0o755, xattrs={"security.capability": \(netRaw)})
        entry("caf\\u00e9", data=b"a UTF-8 name")
        entry("acl", data=b"a", mode=0o644, pax={"SCHILY.acl.access": "user::rw-,user:someone:r--:1234,group::r--,mask::r--,other::r--"})
        """

    @Test func aLayerKeepsOwnersModesTimesLinksAndItsXattrs() throws {
        let layer = try TestLayer(Self.normalLayer)
        defer { layer.remove() }
        let unpacked = try layer.unpack()
        #expect(unpacked.diffID == layer.diffID)
        #expect(unpacked.entries == 15)
        let contents = ["#!/bin/sh\n", "key=value\n", "in a read-only directory", "x", "\u{7f}ELF", "a UTF-8 name", "a"]
        #expect(unpacked.size == UInt64(contents.map(\.utf8.count).reduce(0, +)))
        #expect(unpacked.devicesSkipped == 0)
        let root = layer.directory + "/layer"
        #expect(layer.leftovers() == ["canary", "layer"])

        let tool = try Self.status(root + "/bin/tool")
        #expect(tool.st_mode & 0o7777 == 0o4755 && tool.st_uid == 0)
        let config = try Self.status(root + "/etc/config")
        #expect(config.st_mode & 0o7777 == 0o640)
        #expect(config.st_uid == 1234 && config.st_gid == 5678)
        #expect(config.st_mtim.tv_sec == 1_600_000_000)
        #expect(try String(contentsOfFile: root + "/etc/config", encoding: .utf8) == "key=value\n")
        let link = try Self.status(root + "/etc/link")
        #expect(link.st_mode & S_IFMT == S_IFLNK && link.st_uid == 1234 && link.st_gid == 5678)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/etc/link") == "config")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/etc/absolute") == "/etc/config")
        let hard = try Self.status(root + "/etc/hard")
        #expect(hard.st_ino == config.st_ino && hard.st_nlink == 2)
        #expect(try Self.status(root + "/tmp").st_mode & 0o7777 == 0o1777)
        let data = try Self.status(root + "/data")
        #expect(data.st_mode & 0o7777 == 0o500 && data.st_uid == 42)
        #expect(try String(contentsOfFile: root + "/data/file", encoding: .utf8) == "in a read-only directory")
        #expect(try Self.status(root + "/fifo").st_mode & S_IFMT == S_IFIFO)
        #expect(FileManager.default.fileExists(atPath: root + "/caf\u{e9}"))

        #expect(Self.xattrs(root + "/xattrs") == ["user.comment": Array("kept".utf8)])
        #expect(Self.xattrs(root + "/ping") == ["security.capability": [0x01, 0, 0, 0x02, 0, 0x20, 0, 0] + [UInt8](repeating: 0, count: 12)])
        #expect(Self.xattrs(root + "/etc/config") == [:])
        // The ACL by its numeric id (user 1234 is d2040000): "someone" is never looked up.
        let acl = "0200000001000600ffffffff02000400d204000004000400ffffffff10000400ffffffff20000400ffffffff"
        #expect(Self.xattrs(root + "/acl")["system.posix_acl_access"].map { $0.map { String(format: "%02x", $0) }.joined() } == acl)
    }

    @Test(arguments: TestLayer.Compression.allCases)
    func everyCompressionGivesTheUncompressedStreamsDigest(compression: TestLayer.Compression) throws {
        let layer = try TestLayer(Self.normalLayer, compression: compression)
        defer { layer.remove() }
        #expect(try layer.unpack(diffID: layer.diffID).diffID == layer.diffID)
        #expect(try String(contentsOfFile: layer.directory + "/layer/etc/config", encoding: .utf8) == "key=value\n")
    }

    /// Docker's empty layer (1,024 zero bytes) and an empty stream, which Go's archive/tar reads as one too.
    @Test func emptyLayersUnpackToEmptyDirectories() throws {
        for shell in ["head -c 1024 /dev/zero | gzip -n > \"$0\"", ": | gzip -n > \"$0\"", ": > \"$0\""] {
            let layer = try TestLayer(shell: shell)
            defer { layer.remove() }
            let unpacked = try layer.unpack()
            #expect(unpacked.diffID == (shell.hasPrefix("head")
                ? "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
                : "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: layer.directory + "/layer").isEmpty)
        }
    }

    /// A layer above another: a whiteout hides the lower file and an opaque directory its lower contents, in
    /// a real overlayfs of the two (trusted.* for root's store; user.* with userxattr for a rootless one).
    @Test(arguments: [false, true])
    func whiteoutsAndOpaqueDirectoriesHideTheLowerLayer(rootless: Bool) throws {
        let lower = try TestLayer("""
            entry("etc/", tarfile.DIRTYPE, mode=0o755)
            entry("etc/passwd", data=b"root:x:0:0::/root:/bin/sh\\n")
            entry("etc/group", data=b"root:x:0:\\n")
            entry("opaque/", tarfile.DIRTYPE, mode=0o755)
            entry("opaque/old", data=b"old")
            entry("opaque/sub/deep", data=b"deep")
            """)
        defer { lower.remove() }
        let upper = try TestLayer("""
            entry("etc/", tarfile.DIRTYPE, mode=0o755)
            entry("etc/.wh.passwd")
            entry("opaque/", tarfile.DIRTYPE, mode=0o755)
            entry("opaque/.wh..wh..opq")
            entry("opaque/new", data=b"new")
            entry("made/.wh..wh..opq")
            entry(".wh..wh.plnk/", tarfile.DIRTYPE)
            """)
        defer { upper.remove() }
        let lowerRoot = lower.directory + "/layer", upperRoot = upper.directory + "/layer"
        _ = try lower.unpack(rootless: rootless)
        _ = try upper.unpack(rootless: rootless)

        let whiteout = try Self.status(upperRoot + "/etc/passwd")
        #expect(whiteout.st_mode & S_IFMT == S_IFCHR && whiteout.st_rdev == 0)
        // user.* always: a container in a user namespace mounts its overlay with userxattr, even from root's store.
        let opacity = ["user.overlay.opaque": Array("y".utf8)].merging(rootless ? [:] : ["trusted.overlay.opaque": Array("y".utf8)]) { $1 }
        #expect(Self.xattrs(upperRoot + "/opaque") == opacity)
        #expect(Self.xattrs(upperRoot + "/made") == opacity, "an opaque marker's missing directory is made")
        #expect(try FileManager.default.contentsOfDirectory(atPath: upperRoot).sorted() == ["etc", "made", "opaque"])

        let mountPoint = upper.directory + "/merged"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
        let options = "lowerdir=\(upperRoot):\(lowerRoot)" + (rootless ? ",userxattr" : "")
        let listing = try TestLayer.run("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c",
                                                            "mount -t overlay overlay -o \"$1\" \"$0\" && ls -A \"$0/etc\" \"$0/opaque\"",
                                                            mountPoint, options])
        #expect(listing == "\(mountPoint)/etc:\ngroup\n\n\(mountPoint)/opaque:\nnew\n")
    }

    static func status(_ path: String) throws -> stat {
        var status = stat()
        guard lstat(path, &status) == 0 else { throw SandboxError("lstat \(path)", errno: errno) }
        return status
    }

    /// Every xattr of path (not following a symlink), by name, as Python's os module reads them (Swift's Glibc
    /// module has no sys/xattr.h).
    static func xattrs(_ path: String) -> [String: [UInt8]] {
        let script = """
            import os, sys
            for name in os.listxattr(sys.argv[1], follow_symlinks=False):
                print(name, os.getxattr(sys.argv[1], name, follow_symlinks=False).hex())
            """
        guard let output = try? TestLayer.run("/usr/bin/python3", ["-c", script, path]) else { return ["": []] }
        var result: [String: [UInt8]] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            let hex = Array((fields.count > 1 ? String(fields[1]) : "").utf8)
            result[String(fields[0])] = stride(from: 0, to: hex.count - 1, by: 2).map { UInt8(String(decoding: hex[$0...$0 + 1], as: UTF8.self), radix: 16)! }
        }
        return result
    }
}
