import Glibc
import SandboxOCI
import SandboxPolicy

/// A container made from an image in the store: its layers stacked under a writable layer of its own, which
/// lives as long as the container (kept across stop and start, removed with it), as Docker's.
public struct ImageRun {
    public let store: ImageStore
    public let image: StoredImage
    /// As the user named it.
    public let name: String

    /// The image `name` names in the caller's store; nil when there is none (or no store). A short ID must have
    /// 12 digits at least: a command's name such as `dd` is no image's.
    public static func find(_ name: String, caller: Caller, environment: [String: String]) throws -> ImageRun? {
        guard let store = ImageStore.existing(for: caller, environment: environment),
              let (image, _) = try store.find(name, shortestPrefix: 12) else { return nil }
        return ImageRun(store: store, image: image, name: name)
    }

    /// The variables the store's place depends on, from this process's environment.
    public static var environment: [String: String] {
        var environment: [String: String] = [:]
        for name in ["XDG_DATA_HOME", "HOME"] { if let value = getenv(name) { environment[name] = String(cString: value) } }
        return environment
    }

    /// The container `run` describes on this image, with its writable layer made unless `keepsLayer` is false
    /// (`--print-spec`, which starts nothing). `run` has the image's config applied already.
    func spec(for run: RunSpec, id: ContainerID, caller: Caller, userNamespace: UserNamespacePlan?, keepsLayer: Bool) throws -> ContainerSpec {
        let lowers = image.configuration.rootfs.diffIDs.reversed().map(store.layer)
        guard let top = lowers.first else { throw SandboxError("image \(name) has no layers") }
        let context = try DockerRun.context(for: run, id: id, caller: caller, userNamespace: userNamespace,
                                            passwd: try Self.read("/etc/passwd", in: lowers), group: try Self.read("/etc/group", in: lowers))
        var run = run
        run.rootfs = top
        run.annotations[ImageAnnotation.name] = name
        run.annotations[ImageAnnotation.id] = image.id.description
        var spec = try ContainerSpec(docker: run, context: context)
        spec.root.layers = lowers
        if keepsLayer {
            // Mounted idmapped when root makes the container (its ids on disk are the image's, root 0); a
            // rootless container's root is its caller.
            let owner = caller.isRoot ? (uid: UInt32(0), gid: UInt32(0)) : (uid: caller.uid, gid: caller.gid)
            spec.root.writableLayer = try store.makeWritableLayer(for: id, name: run.name ?? id.short, image: image, owner: owner).directory
        }
        return spec
    }

    /// The file at `path` of the topmost layer that has it.
    private static func read(_ path: String, in layers: [String]) throws -> String? {
        for layer in layers {
            if let text = try HostFile.read(path, inRoot: layer) { return text }
        }
        return nil
    }
}
