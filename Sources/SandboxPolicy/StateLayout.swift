/// The paths of a container's state directory on the host: the empty mount points its filesystem is built on.
public struct StateLayout: Equatable, Sendable {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// The mount point that becomes the container's /.
    public var rootfs: String { path + "/rootfs" }
    /// The tmpfs holding the overlay's upper and work directories.
    public var layer: String { path + "/layer" }
    /// Where the idmapped image is attached, in the child's mount namespace only.
    public var lower: String { path + "/lower" }
    /// Where the `index`th idmapped volume is attached, likewise.
    public func volume(_ index: Int) -> String { path + "/volume-\(index)" }
}
