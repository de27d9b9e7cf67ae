import Glibc
import SandboxJSON
import SandboxPolicy

/// A container's directory on the host, under the state root: its record (`state.json`), the socket it waits
/// on to be started, and its compiled seccomp program; a detached container's also its monitor's configuration
/// and a link to its log's directory. The container's filesystem is built on it, in the child's mount namespace
/// only, on a tmpfs that covers it there (`StateLayout`).
///
/// Nothing in it is for other users of the host: the record holds the container's environment. The state root
/// is 0700 and the files 0600, as runc's. The directory itself is 0711: the container's child, root of a user
/// namespace whose ids are not the host's root, enters it by an fd, which needs search permission on it alone.
///
/// It holds no data (the writable layer is on that tmpfs), so removing it
/// is removing a few files. Its name is the container's, which makes names unique. Two locks: `lock`, held
/// by any command while it reads and changes the container (briefly); and a flock on the directory itself,
/// held for the container's whole life by the `sandbox run` that owns it: a `run`'s container whose owner is
/// gone and whose process is gone is collected by the next create.
public final class StateDirectory {
    public let path: String
    /// The directory, open: names in it are reached through it, and its flock marks a living owner.
    public let fd: Int32
    /// The record's text as this process last wrote it: another command's write since shows as a difference.
    private var written: String?

    /// /run/sandbox for root; for anyone else $XDG_RUNTIME_DIR/sandbox, or /tmp/sandbox-UID.
    public static func base(for caller: Caller, environment: [String: String]) -> String {
        if caller.isRoot { return "/run/sandbox" }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { return runtime + "/sandbox" }
        return "/tmp/sandbox-\(caller.uid)"
    }

    /// The base directory, made if missing, and refused unless it is the caller's own: a real directory (not a
    /// symlink), owned by the caller, writable by nobody else; 0700, tightened if it was not. In /tmp anyone could
    /// have made it first, to read or plant what sandbox keeps there.
    /// - Returns: its path.
    public static func prepareBase(for caller: Caller, environment: [String: String]) throws -> String {
        let path = base(for: caller, environment: environment)
        let mode: mode_t = 0o700
        try makeDirectory(path, mode: mode, existing: true)
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ELOOP || errno == ENOTDIR {
                throw SandboxError("state directory \(path) is a symlink or a file, not a directory: refusing it; remove it")
            }
            throw SandboxError("state directory \(path)", errno: errno)
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw SandboxError("state directory \(path)", errno: errno) }
        guard status.st_uid == caller.uid else {
            throw SandboxError("state directory \(path) belongs to uid \(status.st_uid), not to you (uid \(caller.uid)): refusing it; remove it, or set XDG_RUNTIME_DIR")
        }
        // Writable by others, it may hold anything; only readable, it is the caller's own to tighten.
        guard status.st_mode & 0o022 == 0 else {
            throw SandboxError("state directory \(path) has mode \(String(status.st_mode & 0o7777, radix: 8)), writable by others: refusing it; remove it")
        }
        if status.st_mode & 0o777 & ~mode != 0, fchmod(fd, mode) != 0 {
            throw SandboxError("state directory \(path): chmod \(String(mode, radix: 8))", errno: errno)
        }
        return path
    }

    /// The socket a created container waits on until `start` connects, in this directory.
    public static let startSocket = "start"
    static let recordFile = "state.json"
    /// The container's compiled seccomp program, which `exec` loads for the processes it adds.
    public static let seccompFile = "seccomp.bpf"
    /// The link to a detached container's log directory (`ContainerLog.directory`): whatever removes the
    /// container removes its log.
    static let logLink = "log"
    /// The link to an image's container's writable layer in the image store: whatever removes the container
    /// removes its writable layer.
    static let writableLink = "writable"
    /// The mount point of the filesystem of a container that shares the host's mount namespace.
    static let hostMounts = "mounts"
    /// The file `locked` takes turns on; made with the directory, never again, so that a command waiting to
    /// change a container that is being removed cannot bring a file back into the directory.
    static let lockFile = "lock"

    public var layout: StateLayout { StateLayout(path: path) }
    public var name: String { String(path.split(separator: "/").last ?? "") }

    init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Creates `base/name` and its record, after collecting what killed
    /// runs left. With `owned`, this process holds the directory for the container's life.
    /// - Parameters:
    ///   - base: from `prepareBase`.
    ///   - record: nil for a foreground run, which writes its first record once its process runs: the encoding
    ///     of a cold record was a twentieth of its start. Its lock says it is alive meanwhile; killed before that
    ///     record, it is collected with the cgroups at its name's default path, the only ones it makes.
    public static func create(base: String, name: String, record: ContainerRecord?, owned: Bool) throws -> StateDirectory {
        precondition(record != nil || owned, "a directory without a record is its owner's")
        // Encoded before the lock that every create takes in turn: the encoding is most of a record's write.
        let text = try record.map { try JSON.encode($0) }
        // Creating (mkdir, record) and collecting (flock, record, remove) must not interleave.
        let registry = try Self.lock(base + "/.lock")
        defer { close(registry) }
        collect(in: base)

        let path = base + "/" + name
        guard mkdir(path, 0o711) == 0 else {
            if errno == EEXIST { throw SandboxError("the container name \"\(name)\" is already in use by another container") }
            throw SandboxError("create \(path)", errno: errno)
        }
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0, !owned || flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            if fd >= 0 { close(fd) }
            rmdir(path)
            throw SandboxError("lock \(path)", errno: code)
        }
        let directory = StateDirectory(path: path, fd: fd)
        do {
            // mkdir's mode passes the caller's umask: the container's root must enter the directory to cover it, whatever it is.
            guard fchmod(fd, 0o711) == 0 else { throw SandboxError("chmod \(path)", errno: errno) }
            let lock = openat(fd, Self.lockFile, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard lock >= 0 else { throw SandboxError("create \(path)/\(Self.lockFile)", errno: errno) }
            close(lock)
            if let text { try directory.write(encoded: text) }
        } catch {
            directory.remove()
            throw error
        }
        return directory
    }

    /// The directory of the container `reference` names: its name, its id, or a prefix of its id that only it
    /// has, as Docker takes them.
    public static func open(base: String, reference: String) throws -> StateDirectory {
        if !reference.isEmpty, !reference.contains("/"), !reference.hasPrefix("."),
           let directory = openExisting(base + "/" + reference) {
            return directory
        }
        let matches = names(in: base).filter { name in
            (try? StateDirectory.openExisting(base + "/" + name)?.readRecord().id.hasPrefix(reference)) == true
        }
        guard !reference.isEmpty, let name = matches.first else {
            throw SandboxError("container \"\(reference)\" does not exist")
        }
        guard matches.count == 1 else {
            throw SandboxError("container \"\(reference)\" is ambiguous: it begins the ids of \(matches.count) containers")
        }
        guard let directory = openExisting(base + "/" + name) else { throw SandboxError("container \"\(reference)\" does not exist") }
        return directory
    }

    /// Every container directory's name under `base`.
    public static func names(in base: String) -> [String] {
        HostFile.entries(of: base, directoriesOnly: true).filter { !$0.hasPrefix(".") }.sorted()
    }

    static func openExisting(_ path: String) -> StateDirectory? {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        return fd < 0 ? nil : StateDirectory(path: path, fd: fd)
    }

    public func readRecord() throws -> ContainerRecord {
        let text = try HostFile.read(path + "/" + Self.recordFile)
        do {
            return try JSON.decode(ContainerRecord.self, from: text, document: path + "/" + Self.recordFile)
        } catch {
            throw SandboxError(error.description)
        }
    }

    /// Replaces the record: written beside, then renamed over it.
    public func write(_ record: ContainerRecord) throws {
        try write(encoded: JSON.encode(record))
    }

    /// Replaces the record with one encoded beforehand (`JSON.encode`).
    func write(encoded text: String) throws {
        let temporary = "." + Self.recordFile
        // Made anew: one a killed writer left keeps the mode it was made with.
        unlinkat(fd, temporary, 0)
        try write(text, to: temporary, flags: O_EXCL)
        defer { written = text }
        guard renameat(fd, temporary, fd, Self.recordFile) == 0 else {
            throw SandboxError("write \(path)/\(Self.recordFile)", errno: errno)
        }
    }

    /// Creates the file `name` in the directory, holding `text`; it must not exist.
    func create(_ name: String, text: String) throws {
        try write(text, to: name, flags: O_EXCL)
    }

    /// 0600: a record holds the container's environment.
    private func write(_ text: String, to name: String, flags: Int32) throws {
        let file = openat(fd, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | flags, 0o600)
        guard file >= 0 else { throw SandboxError("open \(path)/\(name)", errno: errno) }
        defer { close(file) }
        var text = text
        let written = text.withUTF8 { Glibc.write(file, $0.baseAddress, $0.count) }
        guard written == text.utf8.count else { throw SandboxError("write \(path)/\(name)", errno: written < 0 ? errno : EIO) }
    }

    /// Links the directory to its container's log directory; a link already there (a restart's) stays.
    func link(logDirectory: String) throws {
        guard symlinkat(logDirectory, fd, Self.logLink) == 0 || errno == EEXIST else {
            throw SandboxError("link \(path)/\(Self.logLink) to \(logDirectory)", errno: errno)
        }
    }

    /// Links the directory to its container's writable layer; a link already there (a restart's) stays.
    func link(writableLayer: String) throws {
        guard symlinkat(writableLayer, fd, Self.writableLink) == 0 || errno == EEXIST else {
            throw SandboxError("link \(path)/\(Self.writableLink) to \(writableLayer)", errno: errno)
        }
    }

    /// The log directory the container directory at `path` links to; nil for a container that keeps no log.
    static func logDirectory(of path: String) -> String? {
        target(of: path + "/" + logLink)
    }

    private static func target(of link: String) -> String? {
        var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(link, &target, target.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: target[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Runs `body` holding the container's lock: commands on one container take turns.
    /// - Throws: that the container does not exist, once it was removed.
    public func locked<T>(_ body: () throws -> T) throws -> T {
        let lock: Int32
        do {
            lock = try Self.lock(path + "/" + Self.lockFile, create: false)
        } catch let error as SandboxError where error.errno == ENOENT {
            throw SandboxError("container \"\(name)\" does not exist")
        }
        defer { close(lock) }
        return try body()
    }

    /// Reads the record, changes it and writes it back holding the container's lock: what another command
    /// changed meanwhile (a `stop`'s mark, a monitor's exit status) is never written over.
    /// - Returns: the record as written.
    @discardableResult
    public func update(_ change: (inout ContainerRecord) throws -> Void) throws -> ContainerRecord {
        try locked {
            var record = try readRecord()
            try change(&record)
            try write(record)
            return record
        }
    }

    /// As `update`, with the change encoded beforehand from the record this process last wrote: written as
    /// it is unless another command wrote the record since (compared as text, which spares the decoding of
    /// the record); else `change` is applied to the latest. With no record yet and none written, the
    /// prepared one is the first.
    func update(prepared: (record: ContainerRecord, text: String), change: (inout ContainerRecord) throws -> Void) throws -> ContainerRecord {
        try locked {
            if (try? HostFile.read(path + "/" + Self.recordFile)) == written {
                try write(encoded: prepared.text)
                return prepared.record
            }
            var record = try readRecord()
            try change(&record)
            try write(record)
            return record
        }
    }

    /// Whether a living process holds the directory as its owner (a `sandbox run`).
    public var isOwned: Bool {
        let probe = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard probe >= 0 else { return false }
        defer { close(probe) }
        if flock(probe, LOCK_EX | LOCK_NB) == 0 { return false }
        return errno == EWOULDBLOCK
    }

    /// Removes the directory, its record, lock, socket and seccomp program, and the log and writable layer it
    /// links to; rmdir never descends into a mount still attached.
    public func remove() {
        if let log = Self.logDirectory(of: path) { Self.removeTree(log) }
        if let writable = Self.target(of: path + "/" + Self.writableLink) { ImageStore.removeWritableLayer(writable) }
        Self.removeTree(path)
    }

    /// An exclusive flock on `path`, created if missing (unless `create` is false), held until the returned fd
    /// is closed.
    static func lock(_ path: String, create: Bool = true) throws -> Int32 {
        let fd = Glibc.open(path, (create ? O_RDWR | O_CREAT : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SandboxError("open \(path)", errno: errno) }
        while flock(fd, LOCK_EX) < 0 {
            guard errno == EINTR else { close(fd); throw SandboxError("lock \(path)", errno: errno) }
        }
        return fd
    }

    /// Removes what `sandbox run`s that were killed left: a directory no owner holds, whose record is gone (a
    /// create that died half way) or says it is to be removed once its process is gone, and it is. Their
    /// cgroups go with them. An engine's containers stay until it deletes them, and so does a record this
    /// version cannot read (another version's): its process may well be alive.
    private static func collect(in base: String) {
        for name in names(in: base) {
            guard let directory = openExisting(base + "/" + name), !directory.isOwned else { continue }
            // An engine's container is never collected: known by its JSON, it is not decoded at each create
            // (a cold decoder costs half a millisecond, and an engine may keep many).
            let path = directory.path + "/" + Self.recordFile
            let text: String
            do {
                text = try HostFile.read(path)
            } catch let error as SandboxError {
                // A foreground run killed before its first record (see `create`).
                if error.errno == ENOENT {
                    if let hierarchy = try? CgroupHierarchy.host() {
                        ContainerCgroup.remove(directories: ContainerCgroup.directories(path: ContainerCgroup.defaultPath(name: name),
                                                                                        hierarchy: hierarchy))
                    }
                    directory.remove()
                }
                continue
            } catch {
                continue
            }
            guard case .bool(true)? = (try? JSONValue(parsing: text))?["engine"]?["settings"]?["autoRemove"] else { continue }
            guard let record = try? JSON.decode(ContainerRecord.self, from: text, document: path), !record.isAlive else {
                continue
            }
            ContainerCgroup.remove(directories: record.cgroups)
            directory.remove()
        }
    }

    /// The files and empty mount points; rmdir never descends into a mount still attached, nor follows a link.
    /// The one mount the host sees here, `hostMounts`, is detached first.
    private static func removeTree(_ path: String) {
        for entry in HostFile.entries(of: path) where unlink(path + "/" + entry) != 0 && errno == EISDIR {
            if rmdir(path + "/" + entry) != 0 && errno == EBUSY && umount2(path + "/" + entry, Int32(MNT_DETACH | UMOUNT_NOFOLLOW)) == 0 {
                rmdir(path + "/" + entry)
            }
        }
        rmdir(path)
    }

    /// `--root`: made with its parents if missing, 0700, as runc makes its root; one already there is left as it is.
    static func makeDirectories(_ path: String) throws {
        var made = ""
        for component in path.split(separator: "/") {
            made += "/" + component
            try makeDirectory(made, mode: 0o700, existing: true)
        }
    }

    /// With `mode` exactly, past the caller's umask.
    static func makeDirectory(_ path: String, mode: mode_t, existing: Bool) throws {
        if mkdir(path, mode) == 0 {
            guard chmod(path, mode) == 0 else { throw SandboxError("chmod \(path)", errno: errno) }
            return
        }
        if existing && errno == EEXIST { return }
        throw SandboxError("create \(path)", errno: errno)
    }
}

extension ContainerRecord {
    /// Whether its process is the one the record names and still lives.
    public var isAlive: Bool { identity?.isAlive ?? false }
}
