import CSandbox
import Glibc
import SandboxJSON
import SandboxOCI
import SandboxPolicy

extension ImageStore {
    /// `docker import`: the root filesystem in the tar stream read from `source` becomes a one-layer image, named
    /// `reference` if given (the image that had the name before keeps its others, or becomes dangling).
    ///
    /// The layer is unpacked under a hidden name outside the lock (the long part, which other commands need not
    /// wait for), then, under the lock, renamed to its diff_id unless an image already has that layer (then ours
    /// goes: a layer is on disk once), and the image's config, record and name are written.
    /// - Parameter comment: the history's comment, as Docker's: `Imported from -`.
    /// - Returns: the image's ID.
    public func importLayer(from source: Int32, reference: ImageReference?, comment: String) throws -> OCI.Image.Digest {
        try making {
            let temporary = ".import-" + Self.randomHex()
            let unpacked: UnpackedLayer
            do {
                unpacked = try LayerUnpacker(rootless: rootless).unpack(blob: source, into: layers + "/" + temporary)
            } catch let error as SandboxError {
                throw error.within("import")
            }
            do {
                let diffID = try OCI.Image.Digest(parsing: unpacked.diffID)
                let created = Timestamp.now()
                var configuration = OCI.Image.Configuration(os: "linux", architecture: Self.hostArchitecture(), rootfs: .init(diffIDs: [diffID]))
                configuration.created = created
                var history = OCI.Image.Configuration.History()
                history.created = created
                history.comment = comment
                configuration.history = [history]
                let record = StoredImage.Record(manifest: nil, size: unpacked.size, stored: created)
                return try locked {
                    if access(layer(diffID), F_OK) == 0 {
                        try removeTree(layers, temporary)
                    } else if rename(layers + "/" + temporary, layer(diffID)) != 0 {
                        throw SandboxError("rename the layer into \(layer(diffID))", errno: errno)
                    }
                    let id = try addBlob(try JSON.encode(configuration))
                    try replace(images, id.encoded + ".json", with: try JSON.encode(record))
                    if let reference {
                        var names = try readNames()
                        names.set(reference.description, to: id)
                        try write(names)
                    }
                    return id
                }
            } catch {
                try? removeTree(layers, temporary)
                throw error
            }
        }
    }

    /// Removes `name` in `directory` and all beneath it, following no link.
    func removeTree(_ directory: String, _ name: String) throws {
        let parent = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard parent >= 0 else { throw SandboxError("open \(directory)", errno: errno) }
        defer { close(parent) }
        let result = sbx_remove_tree(parent, name)
        guard result == 0 || result == -ENOENT else { throw SandboxError("remove \(directory)/\(name)", errno: -result) }
    }

    /// This machine's architecture as an image's config names it (`amd64`, `arm64`), as Docker's import writes it.
    static func hostArchitecture() -> String {
        var name = utsname()
        uname(&name)
        let machine = withUnsafeBytes(of: name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return OCI.Image.Platform(os: "linux", architecture: machine).normalized.architecture
    }
}
