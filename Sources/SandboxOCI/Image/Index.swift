extension OCI.Image {
    /// An OCI image index or a Docker manifest list (`application/vnd.oci.image.index.v1+json`,
    /// `application/vnd.docker.distribution.manifest.list.v2+json`): the manifests of one image, one a
    /// platform, and BuildKit's attestations beside them.
    public struct Index: Codable, Equatable, Sendable {
        /// 2, the only version.
        public var schemaVersion: Int
        /// Required by Docker's manifest list and by OCI since 1.1; either of the two index types.
        public var mediaType: String?
        public var manifests: [Descriptor]
        public var annotations: [String: String]?

        public init(mediaType: String? = MediaType.ociIndex.name, manifests: [Descriptor]) {
            schemaVersion = OCI.Image.schemaVersion
            self.mediaType = mediaType
            self.manifests = manifests
        }
    }
}
