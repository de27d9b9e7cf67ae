extension OCI {
    /// `config.json`: everything a runtime needs to create a container from a bundle.
    public struct Config: Codable, Equatable, Sendable {
        /// The spec version the document follows (SemVer), required.
        public var ociVersion: String
        public var process: Process?
        /// Required on Linux by the prose, though not by the schema.
        public var root: Root?
        public var hostname: String?
        public var domainname: String?
        /// Mounted in the listed order, after `root`.
        public var mounts: [Mount]?
        public var hooks: Hooks?
        /// Arbitrary metadata; keys are non-empty, reverse domain notation by convention.
        public var annotations: [String: String]?
        public var linux: Linux?

        public init(ociVersion: String = OCI.version) {
            self.ociVersion = ociVersion
        }
    }

    /// The container's root filesystem.
    public struct Root: Codable, Equatable, Sendable {
        /// Absolute, or relative to the bundle (conventionally `rootfs`).
        public var path: String
        /// Read-only inside the container; false when absent.
        public var readonly: Bool?

        public init(path: String, readonly: Bool? = nil) {
            self.path = path
            self.readonly = readonly
        }
    }
}
