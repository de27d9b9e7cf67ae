import Foundation
import SandboxLinux
import SandboxPolicy
import Testing

/// Layers made to write outside their directory, to fill the host, or to pass for another: each is refused with
/// one line, and nothing is left: not the layer, not its temporary directory, and the canary beside them, which
/// each aims at, unchanged. Device nodes are not refused: they are skipped, as rootless engines skip them.
@Suite(.enabled(if: getuid() == 0, "unpacking chroots, and keeps the layer's owners: it takes root"))
struct HostileLayerTests {
    /// Unpacks the layer `body` builds and expects it refused with `message`, leaving nothing.
    func expectRefused(_ body: String, _ message: (TestLayer) -> String, limits: LayerUnpacker.Limits = .standard,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let layer = try TestLayer(body.replacingOccurrences(of: "DIRECTORY", with: "\" + directory + \""))
        defer { layer.remove() }
        expectRefused(layer, message(layer), limits: limits, sourceLocation: sourceLocation)
    }

    func expectRefused(_ layer: TestLayer, _ message: String, limits: LayerUnpacker.Limits = .standard, diffID: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: SandboxError.self, sourceLocation: sourceLocation) {
            do {
                _ = try layer.unpack(limits: limits, diffID: diffID)
            } catch let error as SandboxError {
                #expect(error.description == message, sourceLocation: sourceLocation)
                #expect(error.exitCode == 125, sourceLocation: sourceLocation)
                throw error
            }
        }
        #expect(layer.leftovers() == ["canary"], sourceLocation: sourceLocation)
        #expect(layer.canaryIsIntact, "the canary beside the layer changed", sourceLocation: sourceLocation)
    }

    @Test func aDotDotPathIsRefused() throws {
        try expectRefused("""
            entry("etc/", tarfile.DIRTYPE)
            entry("../canary", data=b"overwritten")
            """, { _ in "extract ../canary: Path contains '..'" })
    }

    @Test func anAbsolutePathIsRefused() throws {
        try expectRefused("""
            entry("DIRECTORY/canary", data=b"overwritten")
            """, { "extract \($0.directory)/canary: Path is absolute" })
    }

    /// Whether the link is absolute or climbs, libarchive never extracts through it; in the chroot it could
    /// not reach the host anyway.
    @Test(arguments: ["DIRECTORY", "../../../../../..DIRECTORY"])
    func aFileThroughASymlinkIsRefused(target: String) throws {
        try expectRefused("""
            entry("escape", tarfile.SYMTYPE, linkname="\(target)")
            entry("escape/canary", data=b"overwritten")
            """, { _ in "extract escape/canary: Cannot extract through symlink escape/canary" })
    }

    /// A hard link to a host file, with data: written through, it would overwrite the host's file. By an
    /// absolute name, by .., or through a symlink the layer made.
    @Test func aHardLinkOutOfTheLayerIsRefused() throws {
        try expectRefused("""
            entry("stolen", tarfile.LNKTYPE, linkname="DIRECTORY/canary", data=b"overwritten")
            """, { _ in "extract stolen: Path is absolute" })
        try expectRefused("""
            entry("stolen", tarfile.LNKTYPE, linkname="../canary", data=b"overwritten")
            """, { _ in "extract stolen: Path contains '..'" })
        try expectRefused("""
            entry("escape", tarfile.SYMTYPE, linkname="DIRECTORY")
            entry("stolen", tarfile.LNKTYPE, linkname="escape/canary", data=b"overwritten")
            """, { _ in "extract stolen: Cannot extract through symlink escape/canary" })
    }

    @Test func whiteoutsOutOfTheLayerAreRefused() throws {
        try expectRefused("""
            entry("../.wh.canary")
            """, { _ in "whiteout ../.wh.canary: Path contains '..'" })
        try expectRefused("""
            entry("etc/.wh..")
            """, { _ in "whiteout etc/.wh..: A whiteout that names no file" })
        try expectRefused("""
            entry("escape", tarfile.SYMTYPE, linkname="DIRECTORY")
            entry("escape/.wh.canary")
            """, { _ in "whiteout escape/canary: Cannot extract through symlink escape/canary" })
        try expectRefused("""
            entry("escape", tarfile.SYMTYPE, linkname="DIRECTORY")
            entry("escape/.wh..wh..opq")
            """, { _ in "mark opaque escape: Not a directory" })
    }

    @Test func deviceNodesAreSkippedNotRefused() throws {
        let layer = try TestLayer("""
            entry("dev/", tarfile.DIRTYPE)
            entry("dev/sda", tarfile.BLKTYPE, devmajor=8, devminor=0)
            entry("dev/mem", tarfile.CHRTYPE, devmajor=1, devminor=1)
            entry("dev/looks-like-a-whiteout", tarfile.CHRTYPE, devmajor=0, devminor=0)
            entry("dev/fifo", tarfile.FIFOTYPE)
            """)
        defer { layer.remove() }
        let unpacked = try layer.unpack()
        #expect(unpacked.devicesSkipped == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: layer.directory + "/layer/dev") == ["fifo"])
    }

    /// A small gzip of zeros that stands for far more than the limit: stopped as soon as it passes it.
    @Test func aDecompressionBombIsStopped() throws {
        let layer = try TestLayer(shell: """
            mkdir "$0.d" && truncate -s 256M "$0.d/zeros" && tar -C "$0.d" -cf - zeros | gzip -9 > "$0" && rm -r "$0.d"
            """)
        defer { layer.remove() }
        let size = try FileManager.default.attributesOfItem(atPath: layer.blob)[.size] as? Int ?? 0
        #expect(size < 1 << 20)
        expectRefused(layer, "decompress: The layer decompresses to more than 16777216 bytes",
                      limits: .init(bytes: 16 << 20, entries: 100))
    }

    @Test func tooManyEntriesAreStopped() throws {
        try expectRefused("""
            for i in range(20):
                entry(f"file{i}")
            """, { _ in "read: The layer has more entries than the limit" }, limits: .init(bytes: 1 << 20, entries: 10))
    }

    @Test func aLayerThatIsNotItsDiffIDIsRefused() throws {
        let layer = try TestLayer("""
            entry("etc/passwd", data=b"root:x:0:0::/root:/bin/sh\\n")
            """)
        defer { layer.remove() }
        let claimed = "sha256:" + String(repeating: "0", count: 64)
        expectRefused(layer, "the layer's uncompressed content is \(layer.diffID), not its diff_id \(claimed)", diffID: claimed)
    }

    @Test func whatIsNotATarIsRefused() throws {
        let text = try TestLayer(shell: "yes 'not a tar' | head -c 4096 > \"$0\"")
        defer { text.remove() }
        expectRefused(text, "read: Unrecognized archive format")
        let truncated = try TestLayer(shell: "tar -C /etc -cf - passwd group | gzip -n | head -c 200 > \"$0\"")
        defer { truncated.remove() }
        expectRefused(truncated, "decompress: truncated gzip input")
    }

    /// A path with a newline stays one line, quoted as Go quotes it, in libarchive's words too.
    @Test func aPathWithControlCharactersStaysOneLine() throws {
        try expectRefused("""
            entry("../evil\\nsandbox: all is well")
            """, { _ in "extract \"../evil\\nsandbox: all is well\": Path contains '..'" })
        try expectRefused("""
            entry("link\\n", tarfile.SYMTYPE, linkname="/")
            entry("link\\n/x")
            """, { _ in "extract \"link\\n/x\": \"Cannot extract through symlink link\\n/x\"" })
    }

    /// A tree nested past PATH_MAX, then a refused entry: all of it goes, by fds.
    @Test func aTreeDeeperThanPathMaxIsRemoved() throws {
        try expectRefused("""
            entry("/".join(["d" * 200] * 30) + "/file", data=b"deep")
            entry("../canary", data=b"overwritten")
            """, { _ in "extract ../canary: Path contains '..'" })
    }
}
