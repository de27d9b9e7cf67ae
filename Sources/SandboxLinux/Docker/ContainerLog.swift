import Glibc
import SandboxJSON
import SandboxPolicy

/// A detached container's json-file log as `docker logs` reads it: the rotated files oldest first
/// (`ID-json.log.N` ... `ID-json.log.1`), then `ID-json.log`; each line one entry, its text sent to the
/// stream it came from. Following, it keeps reading the current file, and moves to the new one when the
/// monitor rotates it.
public struct ContainerLog {
    public let path: String

    /// One line of the log, as the monitor wrote it.
    public struct Entry: Decodable, Equatable, Sendable {
        /// The text, with its newline when it had one.
        public var log: String
        /// "stdout" or "stderr".
        public var stream: String
        /// RFC 3339 with nanoseconds, UTC.
        public var time: String
    }

    public struct Options: Sendable {
        /// The last lines only (`--tail`); nil: all of them.
        public var tail: Int?
        /// Only entries at or after this time, in nanoseconds since the epoch (`--since`).
        public var since: Int64?

        public init(tail: Int?, since: Int64?) {
            self.tail = tail
            self.since = since
        }
    }

    public init(path: String) {
        self.path = path
    }

    /// The files in the order they were written, the current one last.
    var files: [String] {
        var rotated: [String] = []
        while HostFile.exists(path + ".\(rotated.count + 1)") { rotated.append(path + ".\(rotated.count + 1)") }
        return rotated.reversed() + [path]
    }

    /// Sends every entry the options select to `emit`, oldest first; then, with `follow`, each new one as the
    /// monitor writes it, until `ended` says the container is done (checked between reads, and the log read to
    /// its end once more after).
    public func read(_ options: Options, follow: Bool, ended: () -> Bool, emit: (Entry) -> Void) throws {
        var lines = Lines(tail: options.tail)
        func take(_ line: ArraySlice<UInt8>) {
            guard let entry = try? JSON.decode(Entry.self, from: String(decoding: line, as: UTF8.self), document: path) else { return }
            if let since = options.since, (DockerTime.parse(entry.time) ?? .min) < since { return }
            emit(entry)
        }
        var current: Int32 = -1
        defer { if current >= 0 { close(current) } }
        for file in files {
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            // A file rotated away between the listing and here: its lines are in the next.
            guard fd >= 0 else {
                if errno == ENOENT { continue }
                throw SandboxError("open \(file)", errno: errno)
            }
            lines.drain(fd, tailing: options.tail != nil, into: take)
            if file == path { current = fd } else { close(fd) }
        }
        lines.flushTail(into: take)
        guard follow else { return }
        while true {
            let done = ended()
            if current >= 0 { lines.drain(current, tailing: false, into: take) }
            // Rotated: what was left in the old file was just read; the new one is read from its start.
            if let newer = Self.replacement(of: current, at: path) {
                if current >= 0 { close(current) }
                current = newer
                continue
            }
            if done { return }
            usleep(100_000)
        }
    }

    /// The file now at `path`, open, when it is not the one `fd` reads.
    private static func replacement(of fd: Int32, at path: String) -> Int32? {
        var named = stat(), open = stat()
        guard stat(path, &named) == 0 else { return nil }
        if fd >= 0, fstat(fd, &open) == 0, open.st_ino == named.st_ino, open.st_dev == named.st_dev { return nil }
        let newer = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        return newer >= 0 ? newer : nil
    }

    /// Whole lines out of the files, a partial last line kept until its newline comes; with a tail, only the
    /// last lines, kept until every file is read.
    private struct Lines {
        let tail: Int?
        var partial: [UInt8] = []
        var kept: [[UInt8]] = []
        var next = 0

        init(tail: Int?) {
            self.tail = tail
        }

        /// Reads `fd` to its end now; each line goes to `take`, or, `tailing`, into the tail.
        mutating func drain(_ fd: Int32, tailing: Bool, into take: (ArraySlice<UInt8>) -> Void) {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return }
                partial += chunk[..<count]
                var start = partial.startIndex
                while let newline = partial[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    if tailing { keep(Array(partial[start..<newline])) } else { take(partial[start..<newline]) }
                    start = newline + 1
                }
                partial.removeSubrange(..<start)
            }
        }

        /// A ring of the last `tail` lines: `next` is where the oldest is, once it is full.
        private mutating func keep(_ line: [UInt8]) {
            guard let tail, tail > 0 else { return }
            if kept.count < tail {
                kept.append(line)
            } else {
                kept[next] = line
                next = (next + 1) % tail
            }
        }

        mutating func flushTail(into take: (ArraySlice<UInt8>) -> Void) {
            (kept[next...] + kept[..<next]).forEach { take($0[...]) }
            kept = []
            next = 0
        }
    }
}
