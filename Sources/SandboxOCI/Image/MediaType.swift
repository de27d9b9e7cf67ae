extension OCI.Image {
    /// A media type sandbox knows, and what a document or blob of it is. Every one is in `all`: the one table
    /// of them, as containerd's `images/mediatypes.go` lists them.
    public struct MediaType: Equatable, Sendable {
        public let name: String
        public let kind: Kind

        public enum Kind: Equatable, Sendable {
            /// An OCI image index or a Docker manifest list: one manifest a platform.
            case index
            /// An OCI image manifest or a Docker image manifest v2 schema 2.
            case manifest
            /// Docker's image manifest v2 schema 1, signed, which Docker no longer pulls.
            case schema1Manifest
            /// The image's config, whose digest is the image's ID.
            case config
            /// A layer: a tar of the changes to the layers below it, compressed or not.
            case layer(Compression)
            /// A layer a registry does not serve: Docker's foreign layers (Windows base images) and OCI's
            /// deprecated non-distributable ones, fetched from their descriptor's `urls`.
            case foreignLayer(Compression)
        }

        public enum Compression: Equatable, Sendable {
            case none, gzip, zstd
        }

        init(_ name: String, _ kind: Kind) {
            self.name = name
            self.kind = kind
        }

        public static let ociIndex = MediaType("application/vnd.oci.image.index.v1+json", .index)
        public static let ociManifest = MediaType("application/vnd.oci.image.manifest.v1+json", .manifest)
        public static let ociConfig = MediaType("application/vnd.oci.image.config.v1+json", .config)
        public static let ociLayer = MediaType("application/vnd.oci.image.layer.v1.tar", .layer(.none))
        public static let ociLayerGzip = MediaType("application/vnd.oci.image.layer.v1.tar+gzip", .layer(.gzip))
        public static let ociLayerZstd = MediaType("application/vnd.oci.image.layer.v1.tar+zstd", .layer(.zstd))
        public static let ociForeignLayer = MediaType("application/vnd.oci.image.layer.nondistributable.v1.tar", .foreignLayer(.none))
        public static let ociForeignLayerGzip = MediaType("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", .foreignLayer(.gzip))
        public static let ociForeignLayerZstd = MediaType("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", .foreignLayer(.zstd))
        public static let dockerManifestList = MediaType("application/vnd.docker.distribution.manifest.list.v2+json", .index)
        public static let dockerManifest = MediaType("application/vnd.docker.distribution.manifest.v2+json", .manifest)
        public static let dockerSchema1Manifest = MediaType("application/vnd.docker.distribution.manifest.v1+json", .schema1Manifest)
        public static let dockerSchema1SignedManifest = MediaType("application/vnd.docker.distribution.manifest.v1+prettyjws", .schema1Manifest)
        public static let dockerConfig = MediaType("application/vnd.docker.container.image.v1+json", .config)
        public static let dockerLayer = MediaType("application/vnd.docker.image.rootfs.diff.tar", .layer(.none))
        public static let dockerLayerGzip = MediaType("application/vnd.docker.image.rootfs.diff.tar.gzip", .layer(.gzip))
        public static let dockerLayerZstd = MediaType("application/vnd.docker.image.rootfs.diff.tar.zstd", .layer(.zstd))
        public static let dockerForeignLayer = MediaType("application/vnd.docker.image.rootfs.foreign.diff.tar", .foreignLayer(.none))
        public static let dockerForeignLayerGzip = MediaType("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", .foreignLayer(.gzip))

        public static let all: [MediaType] = [
            ociIndex, ociManifest, ociConfig, ociLayer, ociLayerGzip, ociLayerZstd, ociForeignLayer, ociForeignLayerGzip,
            ociForeignLayerZstd, dockerManifestList, dockerManifest, dockerSchema1Manifest, dockerSchema1SignedManifest,
            dockerConfig, dockerLayer, dockerLayerGzip, dockerLayerZstd, dockerForeignLayer, dockerForeignLayerGzip,
        ]

        /// The media type of that name; nil for one sandbox does not know. Parameters (`; charset=utf-8`, as an
        /// HTTP Content-Type may carry) are ignored.
        public static func named(_ name: String) -> MediaType? {
            var bare = name.prefix { $0 != ";" }
            while bare.last == " " { bare.removeLast() }
            while bare.first == " " { bare.removeFirst() }
            return all.first { $0.name == bare }
        }
    }
}
