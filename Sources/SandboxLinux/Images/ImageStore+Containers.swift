import Glibc
import SandboxJSON
import SandboxOCI
import SandboxPolicy

extension ImageStore {
    /// A container made from an image: which layers it stacks, kept beside its writable layer so that no layer
    /// it needs is removed while it exists, even once its image is (`rmi -f`).
    public struct ContainerUse: Codable, Equatable, Sendable {
        public var id: String
        public var name: String
        public var image: OCI.Image.Digest
        /// Bottom first, as the config lists them.
        public var layers: [OCI.Image.Digest]
    }

    static let useFile = "layers.json"

    /// The directory of container `id`'s writable layer: `upper` and `work` for overlayfs.
    public func writableLayer(of id: ContainerID) -> String { containers + "/" + id.value }

    /// Makes container `id`'s writable layer over `image`, under the lock so that the image's layers cannot go
    /// meanwhile. `upper` and `work` belong to `owner` (the host ids of the container's root when the layer is
    /// not shifted onto them by an idmapped mount).
    /// - Returns: its directory, and the image's layer directories, top first, as overlayfs's `lowerdir` lists them.
    public func makeWritableLayer(for id: ContainerID, name: String, image: StoredImage, owner: (uid: UInt32, gid: UInt32))
        throws -> (directory: String, lowers: [String]) {
        try locked {
            guard access(images + "/" + image.id.encoded + ".json", F_OK) == 0 else {
                throw SandboxError("image \(image.id) was removed meanwhile")
            }
            let directory = writableLayer(of: id)
            let use = ContainerUse(id: id.value, name: name, image: image.id, layers: image.configuration.rootfs.diffIDs)
            do {
                guard mkdir(directory, 0o700) == 0 else { throw SandboxError("create \(directory)", errno: errno) }
                for part in ["upper", "work"] {
                    let path = directory + "/" + part
                    guard mkdir(path, 0o755) == 0, chown(path, owner.uid, owner.gid) == 0 else { throw SandboxError("create \(path)", errno: errno) }
                }
                // The container's root must reach upper and work: its own, and searchable by it.
                guard chmod(directory, 0o711) == 0 else { throw SandboxError("chmod \(directory)", errno: errno) }
                try HostFile.createNew(try JSON.encode(use), at: directory + "/" + Self.useFile)
            } catch {
                try? removeTree(containers, id.value)
                throw error
            }
            return (directory, use.layers.reversed().map(layer))
        }
    }

    /// The containers made from images, by their writable layers.
    public func containerUses() -> [ContainerUse] {
        HostFile.entries(of: containers).compactMap { id in
            let file = containers + "/" + id + "/" + Self.useFile
            guard let text = try? HostFile.read(file) else { return nil }
            return try? JSON.decode(ContainerUse.self, from: text, document: file)
        }
    }

    /// Removes the writable layer `directory` (`STORE/containers/ID`) of a container; the layers no image nor
    /// container uses any more go with it.
    public static func removeWritableLayer(_ directory: String) {
        let parts = directory.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count > 3, parts[parts.count - 2] == "containers" else { return }
        let store = ImageStore(path: parts.dropLast(2).joined(separator: "/"), rootless: false)
        try? store.locked {
            let containers = store.containers, name = String(parts.last!)
            let file = containers + "/" + name + "/" + useFile
            let use = (try? HostFile.read(file)).flatMap { try? decode(ContainerUse.self, $0, document: file) }
            try store.removeTree(containers, name)
            // While its image is whole its layers stay: only an image removed with -f left them to this one.
            if let use, access(store.images + "/" + use.image.encoded + ".json", F_OK) == 0 { return }
            try store.collectLayers()
        }
    }

    /// Removes every layer no image and no container stacks. Under the lock.
    func collectLayers() throws {
        var used: [String] = []
        for id in imageIDs() {
            // An image whose config cannot be read keeps every layer: better a layer too many than one missing.
            let configuration = try Self.decode(OCI.Image.Configuration.self, try HostFile.read(blob(id)), document: blob(id))
            used += configuration.rootfs.diffIDs.map(\.encoded)
        }
        used += containerUses().flatMap { $0.layers.map(\.encoded) }
        for name in HostFile.entries(of: layers) where !name.hasPrefix(".") && !used.contains(name) {
            try removeTree(layers, name)
        }
    }
}

/// What a container made from an image records of it, among its annotations: `ps` and `inspect` show them.
public enum ImageAnnotation {
    /// The image as the user named it: `busybox`.
    public static let name = "sandbox.image"
    /// Its ID: `sha256:...`.
    public static let id = "sandbox.image.id"
}

extension ContainerRecord {
    /// What `ps` and `inspect` show as the container's image: the image's name as the user gave it, else the
    /// root filesystem it runs on (the `--rootfs` directory, `/`, an engine's bundle).
    public var image: String { annotations[ImageAnnotation.name] ?? bundle }
}
