import SandboxOCI
import SandboxPolicy

/// An image in the store, as the views show it: its ID, its config, the names that point at it.
public struct StoredImage: Equatable, Sendable {
    /// The config's digest: Docker's image ID.
    public var id: OCI.Image.Digest
    public var record: Record
    public var configuration: OCI.Image.Configuration
    /// The references that name it, in the names table's order; none for a dangling image.
    public var names: [ImageReference]

    /// What the store keeps of an image beside its config: that it is whole (its layers are unpacked), and
    /// what its layers added up to.
    public struct Record: Codable, Equatable, Sendable {
        /// The manifest it came in, for a pulled or loaded image; nil for an imported one.
        public var manifest: OCI.Image.Digest?
        /// Its layers' regular files added up, as `docker images` counts SIZE.
        public var size: UInt64
        /// When it was stored (RFC 3339): `LastTagTime`'s neighbour, and the order of an image without `created`.
        public var stored: String

        public init(manifest: OCI.Image.Digest?, size: UInt64, stored: String) {
            self.manifest = manifest
            self.size = size
            self.stored = stored
        }
    }
}

/// The names table: each reference once, with the image it names.
struct ImageNames: Codable, Equatable, Sendable {
    struct Entry: Codable, Equatable, Sendable {
        /// The full reference: `docker.io/library/busybox:latest`.
        var name: String
        var image: OCI.Image.Digest
    }

    var references: [Entry] = []

    func image(named name: String) -> OCI.Image.Digest? {
        references.first { $0.name == name }?.image
    }

    func names(of image: OCI.Image.Digest) -> [String] {
        references.filter { $0.image == image }.map(\.name)
    }

    /// Points `name` at `image`; the image it named before, if any, loses it.
    mutating func set(_ name: String, to image: OCI.Image.Digest) {
        references.removeAll { $0.name == name }
        references.append(Entry(name: name, image: image))
        references.sort { $0.name < $1.name }
    }
}
