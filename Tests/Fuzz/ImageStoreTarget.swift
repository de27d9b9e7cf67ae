import SandboxLinux

extension FuzzTarget {
    /// The image store's tables, as a crash or another program may leave them on disk: the names table, an
    /// image's record and a container's `layers.json`, in three sections split at `--` lines.
    static let imageStore = FuzzTarget(name: "image-store") { bytes in
        let sections = FuzzInput.sections(bytes) + ["", "", ""]
        try ImageStore.checkDocuments(sections[0], sections[1], sections[2])
    }
}
