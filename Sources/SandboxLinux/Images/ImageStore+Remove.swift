import Glibc
import SandboxJSON
import SandboxOCI
import SandboxPolicy

extension ImageStore {
    /// `docker tag SOURCE TARGET`: `target` names the image `source` names; the image it named before loses it.
    public func tag(_ source: String, as target: ImageReference) throws {
        try locked {
            guard let (image, _) = try find(source) else { throw Self.noSuchImage(source) }
            var names = try readNames()
            names.set(target.description, to: image.id)
            try write(names)
        }
    }

    /// `docker rmi`, as moby's `ImageDelete`: given a name the image has others besides, the name goes
    /// (`Untagged:`); given its last name or its ID, the image goes (`Deleted:`), with its names, unless a
    /// container uses it: refused then, except with `force` for a stopped container's (the container keeps its
    /// layers). A running container's image is never deleted: by name and with `force`, its name goes alone.
    /// - Parameter isRunning: whether a container using an image is running.
    /// - Returns: the lines `docker rmi` prints.
    public func remove(_ text: String, force: Bool, isRunning: (ContainerUse) -> Bool) throws -> [String] {
        try locked {
            guard let (image, reference) = try find(text) else { throw Self.noSuchImage(text) }
            var names = try readNames()
            let short = DockerFormat.shortID(image.id.encoded)
            let users = containerUses().filter { $0.image == image.id }
            if let reference {
                let untagged = ["Untagged: " + reference.familiarDescription]
                if image.names.count > 1 || (force && users.contains(where: isRunning)) {
                    names.references.removeAll { $0.name == reference.description }
                    try write(names)
                    return untagged
                }
                if let user = users.first, !force {
                    throw SandboxError("conflict: unable to remove repository reference \"\(text)\" (must force) - container \(DockerFormat.shortID(user.id)) is using its referenced image \(short)", exitCode: 1)
                }
            } else if image.names.count > 1 && !force {
                throw SandboxError("conflict: unable to delete \(short) (must be forced) - image is referenced in multiple repositories", exitCode: 1)
            }
            if let running = users.first(where: isRunning) {
                throw SandboxError("conflict: unable to delete \(short) (cannot be forced) - image is being used by running container \(DockerFormat.shortID(running.id))", exitCode: 1)
            }
            if let stopped = users.first, !force {
                throw SandboxError("conflict: unable to delete \(short) (must be forced) - image is being used by stopped container \(DockerFormat.shortID(stopped.id))", exitCode: 1)
            }
            return try delete(image, names: &names)
        }
    }

    /// `docker image prune`: the dangling images (every image no container uses, with `all`), deleted.
    /// - Returns: the lines of the images deleted, and the bytes their layers held that no other image or
    ///   container stacks.
    public func prune(all: Bool) throws -> (lines: [String], reclaimed: UInt64) {
        try locked {
            var names = try readNames()
            let used = containerUses().map(\.image)
            let before = layerSizes()
            var lines: [String] = []
            for image in try list() where (all || image.names.isEmpty) && !used.contains(image.id) {
                lines += try delete(image, names: &names).map { $0.replacingFirst("Untagged:", "untagged:").replacingFirst("Deleted:", "deleted:") }
            }
            let after = layerSizes()
            let reclaimed = before.filter { layer in !after.contains { $0.name == layer.name } }.reduce(0) { $0 + $1.size }
            return (lines, reclaimed)
        }
    }

    /// Deletes `image`: its names, record and config, then the layers nothing uses any more. Under the lock.
    private func delete(_ image: StoredImage, names: inout ImageNames) throws -> [String] {
        let untagged = image.names.map { "Untagged: " + $0.familiarDescription }
        names.references.removeAll { $0.image == image.id }
        try write(names)
        guard unlink(images + "/" + image.id.encoded + ".json") == 0 || errno == ENOENT else {
            throw SandboxError("remove the record of \(image.id)", errno: errno)
        }
        unlink(blob(image.id))
        try collectLayers()
        return untagged + ["Deleted: " + image.id.description]
    }

    /// Each layer's size as the records of the images that have it say (a layer's first image's).
    private func layerSizes() -> [(name: String, size: UInt64)] {
        let sizes = (try? list())?.filter { $0.configuration.rootfs.diffIDs.count == 1 }
            .map { (name: $0.configuration.rootfs.diffIDs[0].encoded, size: $0.record.size) } ?? []
        return HostFile.entries(of: layers).filter { !$0.hasPrefix(".") }.map { name in
            (name, sizes.first { $0.name == name }?.size ?? 0)
        }
    }

    /// Docker's words, with the tag a bare name means: `No such image: busybox:latest`.
    public static func noSuchImage(_ text: String) -> SandboxError {
        let last = text.split(separator: "/").last ?? ""
        let tagged = (try? ImageReference(parsing: text)) != nil && !text.contains("@") && !last.contains(":")
        return SandboxError("No such image: " + text + (tagged ? ":" + ImageReference.DockerHub.defaultTag : ""), exitCode: 1)
    }
}

private extension String {
    func replacingFirst(_ prefix: String, _ replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
