import CSandbox
import Glibc
import SandboxPolicy

/// Whole-file reads and writes with the errno kept, for /proc, /etc and state files.
public enum HostFile {
    public static func read(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SandboxError("read \(path)", errno: errno) }
        return try read(fd: fd, path: path)!
    }

    /// The most sandbox reads of a file in an image, as host root: an image's /etc/passwd is a few KiB.
    public static let imageFileLimit = 4 << 20

    /// Reads `path` as it resolves inside `root`, an image or a bundle: nil when it is missing. Only a regular
    /// file of at most `limit` bytes is read; a FIFO or a device node placed there is refused, never opened.
    public static func read(_ path: String, inRoot root: String, limit: Int = imageFileLimit) throws -> String? {
        var fd: Int32 = -1
        let result = sbx_open_regular_in_root(root, path, &fd)
        if result == -ENOENT { return nil }
        guard result != 1 else { throw SandboxError("read \(path) in \(root): not a regular file") }
        guard result == 0 else { throw SandboxError("read \(path) in \(root)", errno: -result) }
        guard let text = try read(fd: fd, path: path, limit: limit) else {
            throw SandboxError("read \(path) in \(root): larger than \(limit >> 20) MiB")
        }
        return text
    }

    /// The whole file; nil when it holds more than `limit` bytes.
    ///
    /// The chunk is on the stack and never zeroed: a zeroed 64 KiB array on the heap cost sixteen page faults a
    /// read once the container's process shared the pages (copy on write), a dozen reads a start.
    private static func read(fd: Int32, path: String, limit: Int = .max) throws -> String? {
        defer { close(fd) }
        var bytes: [UInt8] = []
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { chunk in
            while bytes.count <= limit {
                let count = Glibc.read(fd, chunk.baseAddress, chunk.count)
                if count < 0 && errno == EINTR { continue }
                guard count >= 0 else { throw SandboxError("read \(path)", errno: errno) }
                if count == 0 { return String(decoding: bytes, as: UTF8.self) }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[..<count]))
            }
            return nil
        }
    }

    /// Reads a file that may be missing: nil when it is.
    public static func readIfPresent(_ path: String) throws -> String? {
        guard access(path, F_OK) == 0 else { return nil }
        return try read(path)
    }

    /// Writes text in one write(2): /proc/PID/uid_map accepts only that.
    public static func write(_ text: String, to path: String) throws {
        try write(text, to: path, flags: O_WRONLY | O_TRUNC)
    }

    /// Creates or replaces a file of the caller's (an output file, such as a traced profile).
    public static func create(_ text: String, at path: String) throws {
        try write(text, to: path, flags: O_WRONLY | O_CREAT | O_TRUNC)
    }

    /// Creates a file that was not there: never one found at the path, nor what a symlink there points to.
    public static func createNew(_ text: String, at path: String) throws {
        try write(text, to: path, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW)
    }

    private static func write(_ text: String, to path: String, flags: Int32) throws {
        let fd = open(path, flags | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SandboxError("open \(path)", errno: errno) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw SandboxError("write \(path)", errno: written < 0 ? errno : EIO) }
    }

    /// The lines of a host file's text, split as bytes: split as Characters (grapheme breaking), the 1.4 KB
    /// of /proc/self/status or the 1.6 KB of mountinfo cost a start 0.05 to 0.3 ms.
    public static func lines(_ text: String) -> [Substring] {
        text.utf8.split(separator: UInt8(ascii: "\n")).map(Substring.init)
    }

    /// The names in a directory, without "." and ".."; only directories with `directoriesOnly`. Empty if it
    /// cannot be read.
    public static func entries(of path: String, directoriesOnly: Bool = false) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            if directoriesOnly && entry.pointee.d_type != UInt8(DT_DIR) { continue }
            let name = String(cArray: entry.pointee.d_name)
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// uname(2)'s node name (the hostname) and kernel release.
    public static func kernel() -> (nodename: String, release: String) {
        var name = utsname()
        uname(&name)
        return (String(cArray: name.nodename), String(cArray: name.release))
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// getcwd(3): where relative paths the user gave are.
    public static func currentDirectory() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { throw SandboxError("the current directory", errno: errno) }
        return buffer.withUnsafeBytes { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

extension String {
    /// A NUL-terminated C array that Swift imports as a tuple (d_name, utsname's fields, a record's detail).
    init<T>(cArray: T) {
        self = withUnsafeBytes(of: cArray) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
