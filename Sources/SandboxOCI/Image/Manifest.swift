extension OCI.Image {
    /// An OCI image manifest or a Docker image manifest v2 schema 2 (`application/vnd.oci.image.manifest.v1+json`,
    /// `application/vnd.docker.distribution.manifest.v2+json`): an image's config and its layers, bottom first.
    public struct Manifest: Codable, Equatable, Sendable {
        /// 2, the only version.
        public var schemaVersion: Int
        /// Required by Docker's manifest, recommended by OCI's; either of the two manifest types.
        public var mediaType: String?
        public var config: Descriptor
        public var layers: [Descriptor]
        public var annotations: [String: String]?

        public init(mediaType: String? = MediaType.ociManifest.name, config: Descriptor, layers: [Descriptor]) {
            schemaVersion = OCI.Image.schemaVersion
            self.mediaType = mediaType
            self.config = config
            self.layers = layers
        }
    }
}
