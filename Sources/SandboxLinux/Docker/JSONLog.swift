import Glibc
import SandboxJSON
import SandboxPolicy

/// A detached container's output in Docker's json-file format, one JSON object a line (`log`, `stream`,
/// `time`), rotated at `--log-opt max-size` into `max-file` files: `ID-json.log`, then `ID-json.log.1`, the
/// older, and so on (`LogOptions`: 5 files of 20 MiB unless told otherwise).
///
/// Copying is all its monitor does while the container runs, and the container's limits do not bound it, so it
/// costs little: what one read brings is encoded into one buffer, its lines stamped with one time (they arrived
/// together), and written with one write(2), or one a file when it rotates, or one each `batchLimit` bytes.
final class JSONLog {
    let path: String
    let options: LogOptions
    private var fd: Int32
    private var size: Int64
    /// What each stream wrote since its last newline: Docker writes a line once it is whole, or at 16 KiB.
    private var pending: [String: [UInt8]] = [:]
    /// Entries encoded and not written yet.
    private var batch: [UInt8] = []
    static let partialLimit = 16 << 10
    /// Written once it holds this much: a read of 64 KiB of newlines is 64 Ki entries of some 70 bytes.
    static let batchLimit = 256 << 10

    /// The log in `directory` (`ContainerLog.directory`), made if missing, to which the container's state
    /// directory links: whatever removes the container removes its log.
    convenience init(directory: String, id: String, options: LogOptions, linkedFrom state: StateDirectory) throws {
        try state.link(logDirectory: directory)
        try ContainerLog.make(directory)
        try self.init(path: ContainerLog.file(in: directory, id: id), options: options)
    }

    init(path: String, options: LogOptions) throws {
        self.path = path
        self.options = options
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SandboxError("open \(path)", errno: errno) }
        var status = stat()
        fstat(fd, &status)
        size = Int64(status.st_size)
        batch.reserveCapacity(Self.batchLimit + Self.partialLimit * 6)
    }

    deinit {
        close(fd)
    }

    /// Takes what `stream` (stdout or stderr) wrote, and writes every whole line.
    func append(_ bytes: ArraySlice<UInt8>, stream: String) {
        let end = Self.end(stream)
        var held = pending.removeValue(forKey: stream) ?? []
        var rest = bytes
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            if held.isEmpty {
                add(rest[...newline], end: end)
            } else {
                held += rest[...newline]
                add(held[...], end: end)
                held.removeAll(keepingCapacity: true)
            }
            rest = rest[(newline + 1)...]
        }
        held += rest
        while held.count >= Self.partialLimit {
            add(held[..<Self.partialLimit], end: end)
            held.removeFirst(Self.partialLimit)
        }
        if !held.isEmpty { pending[stream] = held }
        writeBatch()
    }

    /// Writes what is left of a line when the stream ends.
    func flush() {
        for (stream, held) in pending { add(held[...], end: Self.end(stream)) }
        pending = [:]
        writeBatch()
    }

    /// What follows the text of the entries read now from `stream`.
    private static func end(_ stream: String) -> [UInt8] {
        Array("\",\"stream\":\"\(stream)\",\"time\":\"\(Timestamp.now())\"}\n".utf8)
    }

    /// Encodes one entry into the batch; first rotates, when the entry would take the file past max-size.
    private func add(_ line: ArraySlice<UInt8>, end: [UInt8]) {
        let start = batch.count
        batch += #"{"log":""#.utf8
        // JSON is UTF-8: a line that is not has its broken sequences replaced (U+FFFD), as Docker's Go does.
        if line.contains(where: { $0 >= 0x80 }) {
            JSONString.escape(String(decoding: line, as: UTF8.self).utf8, into: &batch)
        } else {
            JSONString.escape(line, into: &batch)
        }
        batch += end
        if size + Int64(batch.count) > options.maxSize, size + Int64(start) > 0 {
            write(batch[..<start])
            rotate()
            batch.removeFirst(start)
        }
        if batch.count >= Self.batchLimit { writeBatch() }
    }

    private func writeBatch() {
        write(batch[...])
        batch.removeAll(keepingCapacity: true)
    }

    /// A disk that is full loses what does not fit, as Docker's; the container is never stopped for it.
    private func write(_ bytes: ArraySlice<UInt8>) {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            size += Int64(written)
            offset += written
        }
    }

    /// ID-json.log.N-1 → .N, ..., ID-json.log → .1, and a new ID-json.log; the oldest beyond max-file goes.
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
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
        size = 0
    }
}
