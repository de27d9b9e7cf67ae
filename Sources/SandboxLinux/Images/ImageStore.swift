import CSandbox
import Glibc
import SandboxJSON
import SandboxOCI
import SandboxPolicy

/// The images on this host, one store for every container made from them: root's under
/// `/var/lib/sandbox/images`, a rootless user's under their own data directory (`DataDirectory`).
///
/// ```
/// blobs/sha256/HEX     documents by their digest (an image's config); written to `.tmp-*`, renamed once named
/// layers/HEX           each layer unpacked once, by its diff_id, shared read-only by every image and container
/// images/HEX.json      an image, by its ID (its config's digest): that it is whole, and its size
/// containers/ID/       a container's writable layer (upper, work) and which layers it stacks (`layers.json`)
/// names.json           references to image IDs, the one names table, written whole (temp file, rename)
/// lock                 flock, held while the tables change: commands at once take turns
/// busy                 flock, shared by every command making temporary files, taken alone to remove leftovers
/// ```
///
/// Nothing appears half made: a layer is unpacked under a hidden name and renamed into place, a blob is written
/// under a temporary one, and an image's record and name are written last, under the lock. A crash at any point
/// leaves only hidden names (`.tmp-*`, `.*.unpacking-*`, `.import-*`), which nothing takes for content and which
/// the next command that changes the store removes once no other one is making any (`collectLeftovers`).
public struct ImageStore: Sendable {
    public let path: String
    /// Opaque directories are marked with `user.*` xattrs, which an unprivileged user may set.
    public let rootless: Bool

    public init(path: String, rootless: Bool) {
        self.path = path
        self.rootless = rootless
    }

    /// The caller's store, made if missing (0700: a store holds what images hold, which is nobody else's).
    public static func open(for caller: Caller, environment: [String: String]) throws -> ImageStore {
        let store = ImageStore(path: try DataDirectory.root(for: caller, environment: environment, purpose: "images") + "/images",
                               rootless: !caller.isRoot)
        try store.prepare()
        return store
    }

    /// The caller's store if there is one, without making it: nil when no image was ever stored.
    public static func existing(for caller: Caller, environment: [String: String]) -> ImageStore? {
        guard let root = try? DataDirectory.root(for: caller, environment: environment, purpose: "images") else { return nil }
        let store = ImageStore(path: root + "/images", rootless: !caller.isRoot)
        return access(store.path + "/" + Self.namesFile, F_OK) == 0 ? store : nil
    }

    static let namesFile = "names.json"
    var blobs: String { path + "/blobs/sha256" }
    var layers: String { path + "/layers" }
    var images: String { path + "/images" }
    var containers: String { path + "/containers" }

    /// The directory of the layer whose uncompressed digest is `diffID`.
    public func layer(_ diffID: OCI.Image.Digest) -> String { layers + "/" + diffID.encoded }
    /// The file of the blob `digest`.
    public func blob(_ digest: OCI.Image.Digest) -> String { blobs + "/" + digest.encoded }

    /// Makes the store's directories, then removes what crashed commands left.
    public func prepare() throws {
        do {
            try StateDirectory.makeDirectories(path)
            for directory in [path + "/blobs", blobs, layers, images, containers] {
                guard mkdir(directory, 0o700) == 0 || errno == EEXIST else { throw SandboxError("create \(directory)", errno: errno) }
            }
        } catch let error as SandboxError {
            throw error.within("the image store")
        }
        collectLeftovers()
    }

    /// Runs `body` holding the store's lock: the names table, the image records and which layers are used change
    /// only under it.
    func locked<T>(_ body: () throws -> T) throws -> T {
        let lock = try StateDirectory.lock(path + "/lock")
        defer { close(lock) }
        return try body()
    }

    /// Runs `body`, which makes temporary files, holding `busy` shared: no other command removes them meanwhile.
    func making<T>(_ body: () throws -> T) throws -> T {
        let fd = Glibc.open(path + "/busy", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SandboxError("open \(path)/busy", errno: errno) }
        defer { close(fd) }
        while flock(fd, LOCK_SH) < 0 {
            guard errno == EINTR else { throw SandboxError("lock \(path)/busy", errno: errno) }
        }
        return try body()
    }

    /// Removes the temporary files and directories of commands that died making them: only when no command is
    /// making any (`busy` taken alone, without waiting); otherwise the next command will.
    public func collectLeftovers() {
        let fd = Glibc.open(path + "/busy", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return }
        for directory in [blobs, layers, images, path] {
            let parent = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard parent >= 0 else { continue }
            for name in HostFile.entries(of: directory) where Self.isTemporary(name) {
                _ = sbx_remove_tree(parent, name)
            }
            close(parent)
        }
    }

    /// A name only a command in progress gives: hidden, and made by one of the steps above.
    static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(".tmp-") || name.hasPrefix(".import-") || (name.hasPrefix(".") && name.contains(".unpacking-"))
    }

    /// Writes `text` to `name` in `directory` whole: a temporary file, then a rename, so that a reader sees the
    /// old text or the new, never a part.
    func replace(_ directory: String, _ name: String, with text: String) throws {
        let temporary = directory + "/.tmp-" + Self.randomHex()
        do {
            try HostFile.createNew(text, at: temporary)
            guard rename(temporary, directory + "/" + name) == 0 else { throw SandboxError("rename \(temporary) to \(name)", errno: errno) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Stores `bytes` as a blob, named by their sha256.
    @discardableResult
    func addBlob(_ text: String) throws -> OCI.Image.Digest {
        let digest = Self.digest(of: text)
        if access(blob(digest), F_OK) != 0 { try replace(blobs, digest.encoded, with: text) }
        return digest
    }

    /// `sha256:` and the hex digest of the text's UTF-8 bytes.
    public static func digest(of text: String) -> OCI.Image.Digest {
        var copy = text
        var bytes = [UInt8](repeating: 0, count: 32)
        copy.withUTF8 { buffer in bytes.withUnsafeMutableBufferPointer { sbx_sha256(buffer.baseAddress, buffer.count, $0.baseAddress) } }
        // Always well formed: 64 lowercase hexadecimal digits.
        return try! OCI.Image.Digest(parsing: "sha256:" + hex(bytes))
    }

    static func randomHex() -> String {
        var bytes = [UInt8](repeating: 0, count: 8)
        _ = bytes.withUnsafeMutableBytes { sbx_random($0.baseAddress, $0.count) }
        return hex(bytes)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xf)]] }, as: UTF8.self)
    }
}
