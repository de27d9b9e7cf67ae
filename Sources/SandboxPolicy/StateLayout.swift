/// The paths of a container's state directory where its filesystem is built: in the child's mount namespace
/// only, on a tmpfs that covers the directory there.
public struct StateLayout: Equatable, Sendable {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// The mount point that becomes the container's /.
    public var rootfs: String { path + "/rootfs" }
    /// The directory holding the overlay's upper and work directories.
    public var layer: String { path + "/layer" }
    /// Where the idmapped image is attached, in the child's mount namespace only.
    public var lower: String { path + "/lower" }
    /// Where the `index`th idmapped volume is attached, likewise.
    public func volume(_ index: Int) -> String { path + "/volume-\(index)" }
}
