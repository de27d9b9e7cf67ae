import SandboxJSON
import SandboxOCI
import SandboxPolicy

extension FuzzTarget {
    /// A manifest document as a registry serves it, read as each kind (served as nothing, as an index, as a
    /// manifest); an index's choice for three platforms, a manifest's layers looked up; and what was read
    /// written back, which must read back as the same.
    static let imageManifest = FuzzTarget(name: "image-manifest") { bytes in
        let text = FuzzInput.text(bytes)
        var failure: SandboxError?
        for served in [nil, OCI.Image.MediaType.ociIndex.name, OCI.Image.MediaType.dockerManifest.name] {
            do {
                switch try OCI.Image.ManifestDocument.read(text, mediaType: served, document: "manifest") {
                case .index(let index):
                    for platform in ["linux/amd64", "linux/arm64", "linux/arm/v6"] {
                        _ = try? index.manifest(for: OCI.Image.Platform(parsing: platform, host: .init(os: "linux", architecture: "amd64")))
                    }
                    guard try OCI.Image.Index.read(JSON.encode(index), document: "again") == index else {
                        fatalError("image-manifest: an index does not read back as written: \(index)")
                    }
                case .manifest(let manifest):
                    for layer in manifest.layers { _ = (layer.isForeignLayer, OCI.Image.MediaType.named(layer.mediaType)) }
                    guard try OCI.Image.Manifest.read(JSON.encode(manifest), document: "again") == manifest else {
                        fatalError("image-manifest: a manifest does not read back as written: \(manifest)")
                    }
                }
            } catch let error as JSON.DocumentError {
                failure = SandboxError(error.description)
            }
        }
        if let failure { throw failure }
    }
}
