import Foundation
import SandboxLinux
import SandboxPolicy

/// A layer a test builds with Python's tarfile (no binary fixture), compressed by the tools users have, in a
/// directory of its own that also holds the layers it unpacks to and a canary beside them.
struct TestLayer {
    enum Compression: String, CaseIterable, Sendable {
        case none, gzip, zstd, xz
    }

    /// The directory: the blob, the canary, and where the tests unpack.
    let directory: String
    let blob: String
    /// The sha256 of the uncompressed tar, as Python's hashlib computed it.
    let diffID: String
    /// A file beside the layers that every hostile layer aims at: it must never change.
    var canary: String { directory + "/canary" }
    static let canaryText = "the host's own\n"

    /// `body` is Python that builds the tar with
    /// `entry(name, type=tarfile.REGTYPE, data=b"", xattrs={}, pax={}, **attributes)`
    /// on the PAX tarfile `t`; `directory` names the test's directory, for the absolute paths hostile layers use.
    init(_ body: String, compression: Compression = .gzip) throws {
        directory = Self.makeDirectory()
        blob = directory + "/blob"
        try Self.canaryText.write(toFile: directory + "/canary", atomically: false, encoding: .utf8)
        let script = """
            import hashlib, io, struct, sys, tarfile
            directory, out = sys.argv[1], sys.argv[2]
            buffer = io.BytesIO()
            t = tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT)
            def entry(name, type=tarfile.REGTYPE, data=b"", xattrs={}, pax={}, **attributes):
                info = tarfile.TarInfo(name)
                info.type, info.size, info.mtime = type, len(data), attributes.pop("mtime", 1700000000)
                # Binary values travel as surrogate escapes: tarfile writes them with hdrcharset=BINARY.
                info.pax_headers = {"SCHILY.xattr." + k: v.decode("utf-8", "surrogateescape") for k, v in xattrs.items()} | pax
                for key, value in attributes.items():
                    setattr(info, key, value)
                t.addfile(info, io.BytesIO(data) if data else None)
            \(body)
            t.close()
            open(out, "wb").write(buffer.getvalue())
            print(hashlib.sha256(buffer.getvalue()).hexdigest())
            """
        let plain = directory + "/layer.tar"
        diffID = "sha256:" + (try Self.run("/usr/bin/python3", ["-c", script, directory, plain])).trimmingCharacters(in: .whitespacesAndNewlines)
        switch compression {
        case .none: try FileManager.default.moveItem(atPath: plain, toPath: blob)
        case .gzip: _ = try Self.run("/bin/sh", ["-c", "gzip -n -c \"$0\" > \"$1\" && rm \"$0\"", plain, blob])
        case .zstd: _ = try Self.run("/bin/sh", ["-c", "zstd -q -c \"$0\" > \"$1\" && rm \"$0\"", plain, blob])
        case .xz: _ = try Self.run("/bin/sh", ["-c", "xz -c \"$0\" > \"$1\" && rm \"$0\"", plain, blob])
        }
    }

    /// A layer's blob made by a shell command (`$0` is the blob's path), for what tarfile cannot write.
    init(shell: String) throws {
        directory = Self.makeDirectory()
        blob = directory + "/blob"
        try Self.canaryText.write(toFile: directory + "/canary", atomically: false, encoding: .utf8)
        _ = try Self.run("/bin/sh", ["-c", shell, blob])
        diffID = ""
    }

    private static func makeDirectory() -> String {
        var template = Array((FileManager.default.temporaryDirectory.path + "/sandbox-layer-XXXXXX").utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    func unpack(into name: String = "layer", limits: LayerUnpacker.Limits = .standard, rootless: Bool = false,
                diffID expected: String? = nil) throws -> UnpackedLayer {
        try LayerUnpacker(limits: limits, rootless: rootless).unpack(blob: blob, into: directory + "/" + name, diffID: expected)
    }

    /// What the directory holds besides the blob: after a refused layer, only the canary, unchanged.
    func leftovers() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0 != "blob" && $0 != "layer.tar" }.sorted()
    }

    var canaryIsIntact: Bool {
        (try? String(contentsOfFile: canary, encoding: .utf8)) == Self.canaryText
    }

    func remove() {
        _ = Self.remove(directory)
    }

    /// rm -rf, which a test may use on its own trees (sandbox's own removal is under test elsewhere).
    @discardableResult static func remove(_ path: String) -> Bool {
        (try? run("/bin/rm", ["-rf", path])) != nil
    }

    @discardableResult static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let failure = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SandboxError("\(executable) \(arguments.last ?? ""): exit \(process.terminationStatus): \(failure)")
        }
        return text
    }
}
