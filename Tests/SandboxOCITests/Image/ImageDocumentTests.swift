import SandboxJSON
import Testing
@testable import SandboxOCI

/// The image documents as buildah wrote them, read strictly: what each says, what is refused and how.
struct ImageDocumentTests {
    typealias Image = OCI.Image

    static func digest(_ hex: Character) -> Image.Digest {
        try! Image.Digest(parsing: "sha256:" + String(repeating: hex, count: 64))
    }

    @Test func dockerManifest() throws {
        let manifest = try Image.Manifest.read(ImageDocuments.dockerManifest, document: "manifest.json")
        #expect(manifest.mediaType == Image.MediaType.dockerManifest.name)
        #expect(manifest.config.mediaType == Image.MediaType.dockerConfig.name)
        #expect(manifest.config.size == 1540)
        #expect(manifest.config.digest.description == "sha256:c46ff2f00e6708171be18c4609fed00079ac9e17e670dc4c71fd2e3ee95ecb03")
        #expect(manifest.layers.map(\.mediaType) == [Image.MediaType.dockerLayerGzip.name])
        #expect(Image.MediaType.named(manifest.layers[0].mediaType)?.kind == .layer(.gzip))
        #expect(!manifest.layers[0].isForeignLayer)
    }

    /// Every member of a Dockerfile's config, Docker's extensions included.
    @Test func dockerConfig() throws {
        let image = try Image.Configuration.read(ImageDocuments.dockerConfig, document: "config")
        #expect(image.platform == Image.Platform(os: "linux", architecture: "amd64"))
        #expect(image.created == "2026-12-08T00:42:47.752855562Z")
        #expect(image.rootfs.type == .layers)
        #expect(image.rootfs.diffIDs.map(\.description) == ["sha256:66b7fe01b5e24fb5448fd76c6dbdf7a22e701729d47143a99da4478b7fdde8f4"])
        #expect(image.history?.first?.createdBy == "/bin/bash -c")
        let config = try #require(image.config)
        #expect(config.user == "1000:1000")
        #expect(config.exposedPorts?.keys.sorted() == ["80/tcp"])
        #expect(config.env == ["A=1", "PATH=/usr/bin:/bin"])
        #expect(config.entrypoint == ["/bin/sh", "-c"])
        #expect(config.cmd == ["echo", "hi"])
        #expect(config.volumes?.keys.sorted() == ["/data"])
        #expect(config.workingDir == "/app")
        #expect(config.labels == ["io.buildah.version": "1.28.2", "org.example.a": "b"])
        #expect(config.stopSignal == "SIGQUIT")
        #expect(config.onBuild == [])
        #expect(config.shell == ["/bin/bash", "-c"])
        var health = Image.Configuration.HealthConfig(test: ["CMD-SHELL", "true"])
        (health.interval, health.timeout, health.startPeriod, health.retries) = (5_000_000_000, 3_000_000_000, 2_000_000_000, 4)
        #expect(config.healthcheck == health)
    }

    @Test func ociLayout() throws {
        let index = try Image.Index.read(ImageDocuments.ociLayoutIndex, document: "index.json")
        #expect(index.mediaType == nil)
        #expect(index.manifests.count == 1 && index.manifests[0].platform == nil)
        let manifest = try Image.Manifest.read(ImageDocuments.ociManifest, document: "manifest")
        #expect(manifest.mediaType == Image.MediaType.ociManifest.name)
        #expect(manifest.annotations?["org.opencontainers.image.base.name"] == "")
        #expect(Image.MediaType.named(manifest.layers[0].mediaType)?.kind == .layer(.gzip))
        let image = try Image.Configuration.read(ImageDocuments.ociConfig, document: "config")
        #expect(image.config?.healthcheck == nil && image.config?.shell == nil)
        #expect(image.config?.cmd == ["echo", "hi"])
    }

    @Test func lists() throws {
        for text in [ImageDocuments.dockerManifestList, ImageDocuments.ociIndex] {
            let index = try Image.Index.read(text, document: "list")
            #expect(index.manifests.map { $0.platform?.description } == ["linux/amd64", "linux/arm64/v8", "linux/arm/v7", "linux/s390x"])
        }
        let index = try Image.Index.read(ImageDocuments.ociIndexWithAttestation, document: "list")
        #expect(index.manifests.map(\.isAttestation) == [true, false, false, false, false])
    }

    /// Written back as read: members in the spec's order, nothing lost of what the types know.
    @Test func roundTrip() throws {
        let image = try Image.Configuration.read(ImageDocuments.dockerConfig, document: "config")
        #expect(try Image.Configuration.read(JSON.encode(image), document: "again") == image)
        let index = try Image.Index.read(ImageDocuments.ociIndexWithAttestation, document: "list")
        #expect(try Image.Index.read(JSON.encode(index), document: "again") == index)
        let manifest = Image.Manifest(config: .init(mediaType: Image.MediaType.ociConfig.name, digest: Self.digest("a"), size: 2),
                                      layers: [.init(mediaType: Image.MediaType.ociLayerZstd.name, digest: Self.digest("b"), size: 3)])
        #expect(try Image.Manifest.read(JSON.encode(manifest), document: "new") == manifest)
    }

    @Test(arguments: [
        ("application/vnd.oci.image.index.v1+json", Image.MediaType.Kind.index),
        ("application/vnd.docker.distribution.manifest.v2+json; charset=utf-8", .manifest),
        (" application/vnd.docker.container.image.v1+json ", .config),
        ("application/vnd.oci.image.layer.v1.tar", .layer(.none)),
        ("application/vnd.docker.image.rootfs.diff.tar.zstd", .layer(.zstd)),
        ("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", .foreignLayer(.gzip)),
        ("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", .foreignLayer(.zstd)),
        ("application/vnd.docker.distribution.manifest.v1+prettyjws", .schema1Manifest),
    ])
    func mediaTypes(name: String, kind: Image.MediaType.Kind) {
        #expect(Image.MediaType.named(name)?.kind == kind)
    }

    @Test func unknownMediaTypes() {
        #expect(Image.MediaType.named("application/json") == nil)
        #expect(Image.MediaType.named("application/vnd.oci.image.layer.v1.tar+gzip+encrypted") == nil)
        #expect(Image.MediaType.named("APPLICATION/VND.OCI.IMAGE.INDEX.V1+JSON") == nil)
        // One table: every name once.
        #expect(Set(Image.MediaType.all.map(\.name)).count == Image.MediaType.all.count)
    }

    /// Foreign layers by media type, or by the `urls` any layer may carry.
    @Test func foreignLayers() {
        var layer = Image.Descriptor(mediaType: Image.MediaType.dockerForeignLayerGzip.name, digest: Self.digest("a"), size: 1)
        #expect(layer.isForeignLayer)
        layer.mediaType = Image.MediaType.ociLayerGzip.name
        #expect(!layer.isForeignLayer)
        layer.urls = ["https://example.com/layer"]
        #expect(layer.isForeignLayer)
        layer.urls = []
        #expect(!layer.isForeignLayer)
    }

    /// What a registry serves is read as what it says it is, and checked against its members.
    @Test func documentsByMediaType() throws {
        let list = try Image.ManifestDocument.read(ImageDocuments.dockerManifestList, mediaType: nil, document: "list")
        guard case .index(let index) = list else { Issue.record("not an index: \(list)"); return }
        #expect(index.manifests.count == 4)
        let manifest = try Image.ManifestDocument.read(ImageDocuments.dockerManifest, mediaType: "application/json", document: "m")
        guard case .manifest = manifest else { Issue.record("not a manifest: \(manifest)"); return }
        // No mediaType of its own (an OCI layout's index): its members say.
        guard case .index = try Image.ManifestDocument.read(ImageDocuments.ociLayoutIndex, mediaType: nil, document: "index.json") else {
            Issue.record("index.json is not read as an index"); return
        }
        guard case .index = try Image.ManifestDocument.read(ImageDocuments.ociLayoutIndex, mediaType: Image.MediaType.ociIndex.name,
                                                             document: "index.json") else {
            Issue.record("index.json is not read as an index"); return
        }
    }

    @Test(arguments: [
        (ImageDocuments.dockerManifest, Image.MediaType.ociIndex.name,
         "m: mediaType: \"application/vnd.docker.distribution.manifest.v2+json\" is not the kind of document it was served as (application/vnd.oci.image.index.v1+json)"),
        (ImageDocuments.ociLayoutIndex, Image.MediaType.ociManifest.name, "m: expected a manifest, found an index's manifests"),
        (#"{"schemaVersion": 2, "manifests": [], "config": {}, "layers": []}"#, Image.MediaType.ociIndex.name,
         "m: expected an index, found a manifest's config and layers"),
        (#"{"schemaVersion": 1, "name": "x", "fsLayers": []}"#, Image.MediaType.dockerSchema1SignedManifest.name,
         "m: Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has been removed. More information at https://docs.docker.com/go/deprecated-image-specs/"),
        (#"{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.config.v1+json"}"#, nil,
         "m: mediaType: \"application/vnd.oci.image.config.v1+json\" is not an image index or manifest (config)"),
        ("{\"schemaVersion\": 2,", nil, "m: invalid JSON at line 1, column 21: expected a member name in double quotes"),
        ("[]", nil, "m: expected an object, found an array"),
    ] as [(String, String?, String)])
    func documentsRefused(text: String, mediaType: String?, message: String) {
        let error = #expect(throws: JSON.DocumentError.self) { try Image.ManifestDocument.read(text, mediaType: mediaType, document: "m") }
        #expect(error?.description == message)
    }

    static let config = #"{"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:\#(String(repeating: "a", count: 64))", "size": 2}"#
    static let layer = #"{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "sha256:\#(String(repeating: "b", count: 64))", "size": 3}"#

    @Test(arguments: [
        (#"{"schemaVersion": 1, "config": \#(config), "layers": []}"#, "schemaVersion: expected 2, found 1"),
        (#"{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "config": \#(config), "layers": []}"#,
         "mediaType: expected an image manifest, found \"application/vnd.oci.image.index.v1+json\""),
        (#"{"schemaVersion": 2, "config": {"mediaType": "application/vnd.cncf.helm.config.v1+json", "digest": "sha256:\#(String(repeating: "a", count: 64))", "size": 2}, "layers": []}"#,
         "config.mediaType: \"application/vnd.cncf.helm.config.v1+json\" is not an image config (this is an artifact, not an image)"),
        (#"{"schemaVersion": 2, "config": \#(config), "layers": [\#(layer), {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip+encrypted", "digest": "sha256:\#(String(repeating: "c", count: 64))", "size": 1}]}"#,
         "layers[1].mediaType: unsupported layer media type \"application/vnd.oci.image.layer.v1.tar+gzip+encrypted\""),
        (#"{"schemaVersion": 2, "config": \#(config), "layers": [{"mediaType": "x", "digest": "sha256:\#(String(repeating: "c", count: 64))", "size": -1}]}"#,
         "layers[0].size: expected a size in bytes, found -1"),
        (#"{"schemaVersion": 2, "config": \#(config)}"#, "layers: missing"),
        (#"{"schemaVersion": "2", "config": \#(config), "layers": []}"#, "schemaVersion: expected an integer, found a string"),
    ])
    func manifestsRefused(text: String, detail: String) {
        let error = #expect(throws: JSON.DocumentError.self) { try Image.Manifest.read(text, document: "manifest") }
        #expect(error?.detail == detail)
    }

    @Test(arguments: [
        (#"{"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers+base", "diff_ids": []}}"#,
         "rootfs.type: unknown rootfs type \"layers+base\" (known: layers)"),
        (#"{"architecture": "amd64", "os": "linux"}"#, "rootfs: missing"),
        (#"{"os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}"#, "architecture: missing"),
        (#"{"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": ["sha256:x"]}}"#,
         "rootfs.diff_ids[0]: invalid checksum digest length: sha256 has 64 hexadecimal digits, \"sha256:x\" has 1"),
        (#"{"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}, "config": {"Env": "A=1"}}"#,
         "config.Env: expected an array, found a string"),
        (#"{"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}, "config": {"Cmd": "sh"}}"#,
         "config.Cmd: expected an array, found a string"),
        (#"{"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}, "config": {"Volumes": {"/data": 1}}}"#,
         "config.Volumes[\"/data\"]: expected an object, found a number"),
        (#"{"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}, "config": {"Healthcheck": {"Interval": "5s"}}}"#,
         "config.Healthcheck.Interval: expected an integer, found a string"),
        (#"{"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}, "config": {"Labels": {"a": 1}}}"#,
         "config.Labels.a: expected a string, found a number"),
    ])
    func configsRefused(text: String, detail: String) {
        let error = #expect(throws: JSON.DocumentError.self) { try Image.Configuration.read(text, document: "config") }
        #expect(error?.detail == detail)
    }

    /// Go's `struct{}` takes any object, or null; absent and null sets are alike.
    @Test func emptyObjects() throws {
        let text = #"{"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}, "config": {"Volumes": {"/a": {"x": 1}, "/b": null}, "ExposedPorts": null}}"#
        let image = try Image.Configuration.read(text, document: "config")
        #expect(image.config?.volumes?.keys.sorted() == ["/a", "/b"])
        #expect(image.config?.exposedPorts == nil)
    }
}
