extension OCI {
    /// One entry of `mounts`: a filesystem or a bind mount, with mount(8)'s options.
    public struct Mount: Codable, Equatable, Sendable {
        /// The path inside the container; absolute (relative paths are deprecated, read as relative to `/`).
        public var destination: String
        /// The filesystem type; for a bind mount a dummy, often `none` or `bind`.
        public var type: String?
        /// A device, a dummy name (`proc`, `tmpfs`), or for a bind mount a path, absolute or relative to the bundle.
        public var source: String?
        /// mount(8)'s option strings; `bind` or `rbind` makes a bind mount, `idmap` or `ridmap` an idmapped one,
        /// and strings a runtime does not know go to the filesystem as its data.
        public var options: [String]?
        /// The idmapped mount's maps: both or neither.
        public var uidMappings: [IDMapping]?
        public var gidMappings: [IDMapping]?

        public init(destination: String, type: String? = nil, source: String? = nil, options: [String]? = nil) {
            self.destination = destination
            self.type = type
            self.source = source
            self.options = options
        }
    }

    /// A range of ids: `size` ids from `containerID` inside are `hostID` onward outside (a user namespace's
    /// map, or an idmapped mount's).
    public struct IDMapping: Codable, Equatable, Sendable {
        public var containerID: UInt32
        public var hostID: UInt32
        public var size: UInt32

        public init(containerID: UInt32, hostID: UInt32, size: UInt32) {
            self.containerID = containerID
            self.hostID = hostID
            self.size = size
        }
    }
}
