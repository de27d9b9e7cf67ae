import CSandbox
import Glibc
import SandboxPolicy

/// Compiled filters kept between runs: libseccomp takes about 14 ms to compile Docker's profile for x86_64
/// and its two sub-architectures, several times the rest of a container's start.
///
/// An entry is found by a hash of its inputs (the profile's text, the bounding set, the architecture, the
/// kernel and libseccomp's version) but trusted only if it holds those inputs byte for byte: a hash collision
/// can cost a compile, never load another filter. Only successful compiles are kept, so a hit skips the
/// parsing and checking too. Entries live in sandbox's state directory, writable by its owner alone.
public struct SeccompCache {
    public let directory: String

    public init(base: String) {
        directory = base + "/.seccomp"
    }

    /// The program for the profile `text` (named `source` in messages), from the cache or compiled (and then kept).
    /// - Returns: the program, and the entry that holds it (nil when it could not be kept).
    public func program(profile text: String, source: String, bounding: CapabilityMask, host: SeccompFilter.Host,
                        compile: (SeccompProfile) throws -> SeccompProgram) throws -> (program: SeccompProgram, entry: String?) {
        let key = Self.key(text: text, bounding: bounding, host: host)
        let path = directory + "/" + Self.hash(key) + ".bpf"
        if let program = Self.read(path, key: key) { return (program, path) }
        let program = try compile(try SeccompProfileFile.parse(text, source: source))
        return (program, store(program, key: key, at: path) ? path : nil)
    }

    static func key(text: String, bounding: CapabilityMask, host: SeccompFilter.Host) -> [UInt8] {
        var major: UInt32 = 0, minor: UInt32 = 0, micro: UInt32 = 0
        sbx_seccomp_version(&major, &minor, &micro)
        let header = "sandbox seccomp cache 2\n\(host.architecture) \(host.kernel.major).\(host.kernel.minor) "
            + "libseccomp \(major).\(minor).\(micro) bounding \(bounding.rawValue)\n"
        return Array(header.utf8) + Array(text.utf8)
    }

    /// FNV-1a, 64 bits: a file name, not a guarantee (see the type's documentation).
    static func hash(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// An entry: flags (4 bytes), key length (8 bytes), the key, then the BPF instructions. Trusted only if
    /// it is the caller's own file and holds `key`; nil: whatever key it holds (a container's own copy).
    static func read(_ path: String, key wanted: [UInt8]?) -> SeccompProgram? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_uid == getuid(), status.st_size >= 12 + (wanted?.count ?? 0) else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        guard bytes.withUnsafeMutableBytes({ pread(fd, $0.baseAddress, $0.count, 0) }) == bytes.count else { return nil }
        let flags = bytes[0..<4].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        let keyLength = bytes[4..<12].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        guard keyLength <= UInt64(bytes.count - 12) else { return nil }
        let key = bytes[12..<(12 + Int(keyLength))], program = bytes[(12 + Int(keyLength))...]
        guard wanted.map({ Self.same(key, $0) }) ?? true, program.count % 8 == 0 else { return nil }
        let instructions = program.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
        return SeccompProgram(instructions: instructions, flags: flags, listener: false)
    }

    /// memcmp: the generic comparison of two collections took longer than reading the file.
    private static func same(_ key: ArraySlice<UInt8>, _ wanted: [UInt8]) -> Bool {
        key.count == wanted.count && key.withUnsafeBytes { a in
            wanted.withUnsafeBytes { b in a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
        }
    }

    /// A container's program, kept beside its record for `exec`: a link to the cache's entry when there is
    /// one, else a copy (an entry without a key). A link writes nothing and, removed, frees no block: on a /run
    /// mounted with discard (this machine's ext4) each block freed is a discard the removal waits for.
    static func keep(_ program: SeccompProgram, entry: String?, at path: String) throws {
        if let entry, link(entry, path) == 0 { return }
        guard write(program, key: [], at: path) else { throw SandboxError("write \(path)", errno: errno) }
    }

    /// Written beside, then renamed into place: a reader sees a whole entry or none. A failure only costs
    /// the next run a compile.
    private func store(_ program: SeccompProgram, key: [UInt8], at path: String) -> Bool {
        guard mkdir(directory, 0o700) == 0 || errno == EEXIST else { return false }
        return Self.write(program, key: key, at: path)
    }

    private static func write(_ program: SeccompProgram, key: [UInt8], at path: String) -> Bool {
        var bytes = withUnsafeBytes(of: program.flags) { Array($0) } + withUnsafeBytes(of: UInt64(key.count)) { Array($0) } + key
        bytes += program.instructions.withUnsafeBytes { Array($0) }
        let temporary = path + ".\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }
}
