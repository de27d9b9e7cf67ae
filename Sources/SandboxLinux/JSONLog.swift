import Glibc
import SandboxOCI
import SandboxPolicy

/// A detached container's output in Docker's json-file format, one JSON object a line (`log`, `stream`,
/// `time`), rotated at `--log-opt max-size` into `max-file` files: `container.log`, then `container.log.1`, the
/// older, and so on.
final class JSONLog {
    let path: String
    let options: LogOptions
    private var fd: Int32
    private var size: Int64
    /// What each stream wrote since its last newline: Docker writes a line once it is whole, or at 16 KiB.
    private var pending: [String: [UInt8]] = [:]
    static let partialLimit = 16 << 10

    init(path: String, options: LogOptions) throws {
        self.path = path
        self.options = options
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw SandboxError("open \(path)", errno: errno) }
        var status = stat()
        fstat(fd, &status)
        size = Int64(status.st_size)
    }

    deinit {
        close(fd)
    }

    /// Takes what `stream` (stdout or stderr) wrote; writes every whole line.
    func append(_ bytes: ArraySlice<UInt8>, stream: String) {
        var buffer = pending[stream, default: []] + bytes
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            write(Array(buffer[...newline]), stream: stream)
            buffer.removeSubrange(...newline)
        }
        if buffer.count >= Self.partialLimit {
            write(buffer, stream: stream)
            buffer = []
        }
        pending[stream] = buffer
    }

    /// Writes what is left of a line when the stream ends.
    func flush() {
        for (stream, buffer) in pending where !buffer.isEmpty { write(buffer, stream: stream) }
        pending = [:]
    }

    private func write(_ line: [UInt8], stream: String) {
        let text = "{\"log\":\(JSONString.quote(String(decoding: line, as: UTF8.self))),\"stream\":\"\(stream)\",\"time\":\"\(Timestamp.now())\"}\n"
        let bytes = Array(text.utf8)
        if let maxSize = options.maxSize, size > 0, size + Int64(bytes.count) > maxSize { rotate() }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if written > 0 { size += Int64(written) }
    }

    /// container.log.N-1 → .N, ..., container.log → .1, and a new container.log; the oldest beyond max-file goes.
    private func rotate() {
        close(fd)
        if options.maxFiles > 1 {
            for index in stride(from: options.maxFiles - 1, to: 1, by: -1) {
                rename(path + ".\(index - 1)", path + ".\(index)")
            }
            rename(path, path + ".1")
        } else {
            unlink(path)
        }
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o640)
        size = 0
    }
}
