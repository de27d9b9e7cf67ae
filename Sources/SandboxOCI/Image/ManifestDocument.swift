import SandboxJSON

extension OCI.Image {
    /// What a registry or an archive serves for a reference: an index, or one image's manifest.
    public enum ManifestDocument: Equatable, Sendable {
        case index(Index)
        case manifest(Manifest)

        /// Reads a manifest document, deciding what it is as containerd does: by the media type it was served or
        /// named with (`Content-Type`, a descriptor's `mediaType`), else by its own `mediaType`, else by its
        /// members (`manifests` makes an index; `config` or `layers` a manifest). An index that has a manifest's
        /// members, or the reverse, is refused: a document read as the other kind could pass for it.
        ///
        /// - Parameter mediaType: what it was served as; nil or a generic type (`application/json`) when unknown.
        public static func read(_ text: String, mediaType: String?, document: String) throws(JSON.DocumentError) -> Self {
            func refuse(_ detail: String) -> JSON.DocumentError { JSON.DocumentError(document: document, detail: detail) }
            guard case .object(let members)? = try? JSONValue(parsing: text) else {
                // Broken JSON, or not an object: the typed reader says where.
                return .manifest(try Manifest.read(text, document: document))
            }
            let has = { (name: String) in members.contains { $0.key == name } }
            let own: String? = if case .string(let type)? = members.last(where: { $0.key == "mediaType" })?.value { type } else { nil }
            var kind: MediaType.Kind?
            for type in [mediaType, own] {
                guard let type, let known = MediaType.named(type)?.kind else { continue }
                if known == .schema1Manifest {
                    throw refuse("Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has been removed. More information at https://docs.docker.com/go/deprecated-image-specs/")
                }
                if let kind, kind != known { throw refuse("mediaType: \"\(type)\" is not the kind of document it was served as (\(mediaType ?? ""))") }
                kind = known
            }
            switch kind ?? (has("manifests") ? .index : .manifest) {
            case .index:
                guard !has("config"), !has("layers") else { throw refuse("expected an index, found a manifest's config and layers") }
                return .index(try Index.read(text, document: document))
            case .manifest:
                guard !has("manifests") else { throw refuse("expected a manifest, found an index's manifests") }
                return .manifest(try Manifest.read(text, document: document))
            case let other:
                throw refuse("mediaType: \"\(mediaType ?? own ?? "")\" is not an image index or manifest (\(other))")
            }
        }
    }
}

extension OCI.Image.Index {
    /// Reads an index strictly: version 2, and if it says its media type, one of an index.
    public static func read(_ text: String, document: String) throws(JSON.DocumentError) -> Self {
        let index = try JSON.decode(Self.self, from: text, document: document)
        try OCI.Image.check(index.schemaVersion, index.mediaType, is: .index, document: document)
        return index
    }
}

extension OCI.Image.Manifest {
    /// Reads an image manifest strictly: version 2, its own media type (if it says one) a manifest's, its
    /// config an image config (not an artifact's), its layers of media types sandbox can unpack.
    public static func read(_ text: String, document: String) throws(JSON.DocumentError) -> Self {
        let manifest = try JSON.decode(Self.self, from: text, document: document)
        try OCI.Image.check(manifest.schemaVersion, manifest.mediaType, is: .manifest, document: document)
        guard OCI.Image.MediaType.named(manifest.config.mediaType)?.kind == .config else {
            throw JSON.DocumentError(document: document, detail: "config.mediaType: \"\(manifest.config.mediaType)\" is not an image config (this is an artifact, not an image)")
        }
        for (index, layer) in manifest.layers.enumerated() {
            switch OCI.Image.MediaType.named(layer.mediaType)?.kind {
            case .layer?, .foreignLayer?: continue
            default: throw JSON.DocumentError(document: document, detail: "layers[\(index)].mediaType: unsupported layer media type \"\(layer.mediaType)\"")
            }
        }
        return manifest
    }
}

extension OCI.Image.Configuration {
    /// Reads an image config strictly.
    public static func read(_ text: String, document: String) throws(JSON.DocumentError) -> Self {
        try JSON.decode(Self.self, from: text, document: document)
    }
}

extension OCI.Image {
    static func check(_ version: Int, _ mediaType: String?, is kind: MediaType.Kind, document: String) throws(JSON.DocumentError) {
        guard version == schemaVersion else {
            throw JSON.DocumentError(document: document, detail: "schemaVersion: expected \(schemaVersion), found \(version)")
        }
        if let mediaType, MediaType.named(mediaType)?.kind != kind {
            let expected = kind == .index ? "an image index or manifest list" : "an image manifest"
            throw JSON.DocumentError(document: document, detail: "mediaType: expected \(expected), found \"\(mediaType)\"")
        }
    }
}
