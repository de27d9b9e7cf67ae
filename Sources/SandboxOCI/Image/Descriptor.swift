extension OCI.Image {
    /// What names a blob: its media type, digest and size, which a reader checks the bytes against, and where
    /// an index names a manifest, its platform.
    public struct Descriptor: Codable, Equatable, Sendable {
        public var mediaType: String
        public var digest: Digest
        /// Bytes; a reader stops at this many, so it is never negative.
        public var size: Int64
        /// Where else the blob may be fetched: a foreign layer's only source.
        public var urls: [String]?
        public var annotations: [String: String]?
        /// In an index: the platform the manifest runs on.
        public var platform: Platform?

        public init(mediaType: String, digest: Digest, size: Int64, platform: Platform? = nil) {
            self.mediaType = mediaType
            self.digest = digest
            self.size = size
            self.platform = platform
        }

        private enum CodingKeys: String, CodingKey {
            case mediaType, digest, size, urls, annotations, platform
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            mediaType = try container.decode(String.self, forKey: .mediaType)
            digest = try container.decode(Digest.self, forKey: .digest)
            size = try container.decode(Int64.self, forKey: .size)
            guard size >= 0 else {
                throw DecodingError.dataCorruptedError(forKey: .size, in: container, debugDescription: "expected a size in bytes, found \(size)")
            }
            urls = try container.decodeIfPresent([String].self, forKey: .urls)
            annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations)
            platform = try container.decodeIfPresent(Platform.self, forKey: .platform)
        }

        /// A layer a registry does not serve, to be fetched from `urls` instead: sandbox refuses these, as
        /// Docker does unless told otherwise (`allow-nondistributable-artifacts`).
        public var isForeignLayer: Bool {
            if case .foreignLayer? = MediaType.named(mediaType)?.kind { return true }
            return !(urls ?? []).isEmpty
        }

        /// The annotation BuildKit marks an attestation's manifest with in an index, beside the image's.
        public static let referenceTypeAnnotation = "vnd.docker.reference.type"

        /// An index's entry for BuildKit's attestations (provenance, SBOM): a manifest of in-toto documents
        /// for the image beside it, with the platform `unknown/unknown`, never an image to run.
        public var isAttestation: Bool {
            annotations?[Self.referenceTypeAnnotation] == "attestation-manifest"
        }
    }

    /// The platform an image's binaries run on, as an index names it for each manifest and a config for its image.
    public struct Platform: Codable, Hashable, Sendable, CustomStringConvertible {
        /// `GOARCH`'s values: `amd64`, `arm64`, `arm`, `386`, `ppc64le`, `s390x`, `riscv64`.
        public var architecture: String
        /// `GOOS`'s values: `linux`, `windows`.
        public var os: String
        /// Windows' build (`10.0.17763.1234`); nothing on Linux.
        public var osVersion: String?
        public var osFeatures: [String]?
        /// The CPU's variant: `v7` for arm, `v8` for arm64, `v2` and `v3` for amd64's microarchitecture levels.
        public var variant: String?

        public init(os: String, architecture: String, variant: String? = nil) {
            self.os = os
            self.architecture = architecture
            self.variant = variant
        }

        private enum CodingKeys: String, CodingKey {
            case architecture, os
            case osVersion = "os.version", osFeatures = "os.features"
            case variant
        }

        /// `os/architecture[/variant]`, as containerd's `platforms.Format` writes it and Docker's messages show it.
        public var description: String {
            [os, architecture, variant ?? ""].filter { !$0.isEmpty }.joined(separator: "/")
        }
    }
}
