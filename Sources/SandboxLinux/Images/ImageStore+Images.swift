import Glibc
import SandboxJSON
import SandboxOCI
import SandboxPolicy

extension ImageStore {
    /// The names table; empty when none was written yet.
    func readNames() throws -> ImageNames {
        let file = path + "/" + Self.namesFile
        guard let text = try HostFile.readIfPresent(file) else { return ImageNames() }
        return try Self.decode(ImageNames.self, text, document: file)
    }

    /// One of the store's documents, read as strictly as any: what is wrong with it names it and its path. The
    /// store is on disk, which a crash or another program may have left anything in.
    static func decode<T: Decodable>(_ type: T.Type, _ text: String, document: String) throws -> T {
        do {
            return try JSON.decode(type, from: text, document: document)
        } catch {
            throw SandboxError(error.description + " (the image store)")
        }
    }

    /// Reads the store's three tables (`names.json`, an image's record, a container's `layers.json`) from the
    /// sections of `text`: for the fuzz target, which holds them to one clear line.
    public static func checkDocuments(_ names: String, _ record: String, _ use: String) throws {
        _ = try decode(ImageNames.self, names, document: namesFile)
        _ = try decode(StoredImage.Record.self, record, document: "record")
        _ = try decode(ContainerUse.self, use, document: useFile)
    }

    func write(_ names: ImageNames) throws {
        try replace(path, Self.namesFile, with: try JSON.encode(names))
    }

    /// The IDs of the whole images, by their records.
    func imageIDs() -> [OCI.Image.Digest] {
        HostFile.entries(of: images).compactMap { name in
            guard name.hasSuffix(".json"), !name.hasPrefix(".") else { return nil }
            return try? OCI.Image.Digest(parsing: "sha256:" + name.dropLast(5))
        }
    }

    /// The image `id` with its names; nil when it is not in the store.
    func image(_ id: OCI.Image.Digest, names: ImageNames) throws -> StoredImage? {
        let recordFile = images + "/" + id.encoded + ".json"
        guard let text = try HostFile.readIfPresent(recordFile) else { return nil }
        let record = try Self.decode(StoredImage.Record.self, text, document: recordFile)
        let configuration = try Self.decode(OCI.Image.Configuration.self, try HostFile.read(blob(id)), document: blob(id))
        return StoredImage(id: id, record: record, configuration: configuration,
                           names: names.names(of: id).compactMap { try? ImageReference(parsing: $0) })
    }

    /// Every image, newest first, as `docker images` lists them.
    public func list() throws -> [StoredImage] {
        let names = try readNames()
        return try imageIDs().compactMap { try image($0, names: names) }
            .sorted { ($0.configuration.created ?? $0.record.stored, $0.id.encoded) > ($1.configuration.created ?? $1.record.stored, $1.id.encoded) }
    }

    /// What `text` names, as Docker looks an image up: a reference in the names table (`busybox` is
    /// `docker.io/library/busybox:latest`), else an ID (`sha256:HEX`) or an unambiguous prefix of one (of `shortestPrefix` digits at least).
    /// - Returns: the image and the reference `text` was, when it was one of its names; nil when nothing matches.
    /// - Throws: for a prefix that several images' IDs share, and for a store it cannot read.
    public func find(_ text: String, shortestPrefix: Int = 1) throws -> (image: StoredImage, reference: ImageReference?)? {
        let names = try readNames()
        if let reference = try? ImageReference(parsing: text), let id = names.image(named: reference.description),
           let image = try image(id, names: names) {
            return (image, reference)
        }
        var prefix = Substring(text)
        if prefix.hasPrefix("sha256:") { prefix = prefix.dropFirst(7) }
        guard prefix.count >= shortestPrefix, !prefix.isEmpty, prefix.count <= 64, prefix.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        let matches = imageIDs().filter { $0.encoded.hasPrefix(prefix) }
        guard matches.count <= 1 else { throw SandboxError("multiple IDs found with provided prefix: \(text)", exitCode: 1) }
        return try matches.first.flatMap { try image($0, names: names) }.map { ($0, nil) }
    }
}
