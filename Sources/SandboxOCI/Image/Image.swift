extension OCI {
    /// The OCI image specification's documents, and Docker's image manifest v2 schema 2 that they grew from: a
    /// digest and the descriptors that name blobs by it, the index (or manifest list) that names one manifest a
    /// platform, the manifest that names an image's config and layers, and the config, which says how the
    /// image runs. Pure data, read as strictly as the runtime's documents (`OCI`): the JSON path of every
    /// wrong value in the message, unknown members ignored as the spec asks.
    ///
    /// Docker's and OCI's forms of one document are one type: they differ in their media type, never in their
    /// members. What a document is, is decided once (`Document.read`), from the media type it was served or
    /// named with, or its own `mediaType`.
    public enum Image {
        /// The only `schemaVersion` of an index and a manifest (version 1 was Docker's signed schema 1, gone).
        public static let schemaVersion = 2
    }
}
