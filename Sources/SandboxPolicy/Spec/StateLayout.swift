/// Where a container's filesystem is built in its state directory: in the child's mount namespace only, on a
/// tmpfs that covers the directory there. The child enters the directory by an fd, never by its path (the state
/// root is root's alone, and the container's root may not search it), so the names are relative to it.
public struct StateLayout: Equatable, Sendable {
    /// The state directory, as messages name it.
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// The mount point that becomes the container's /.
    public var rootfs: String { "rootfs" }
    /// The directory holding the overlay's upper and work directories.
    public var layer: String { "layer" }
    /// Where the idmapped image is attached, in the child's mount namespace only.
    public var lower: String { "lower" }
    /// Where an image's layer `index` (top first) is attached: `lower`, `lower1`, `lower2`...
    public func lower(_ index: Int) -> String { index == 0 ? lower : lower + String(index) }
}
