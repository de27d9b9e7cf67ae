/// Flags added to a mount with `mount_setattr` (never removed: a bind keeps what the kernel locked on it).
public struct MountAttributes: OptionSet, Codable, Hashable, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let readOnly = MountAttributes(rawValue: 1 << 0)
    public static let noSetuid = MountAttributes(rawValue: 1 << 1)
    public static let noDevices = MountAttributes(rawValue: 1 << 2)
    public static let noExec = MountAttributes(rawValue: 1 << 3)
    public static let noAccessTime = MountAttributes(rawValue: 1 << 4)
    public static let strictAccessTime = MountAttributes(rawValue: 1 << 5)
    public static let noDirectoryAccessTime = MountAttributes(rawValue: 1 << 6)
    public static let noSymlinks = MountAttributes(rawValue: 1 << 7)

    /// nosuid, nodev, noexec: what Docker puts on every pseudo-filesystem.
    public static let restricted: MountAttributes = [.noSetuid, .noDevices, .noExec]
}

/// One step of a container's mount table; the child performs them in order, inside the new root.
public struct MountEntry: Codable, Equatable, Sendable {
    public enum Kind: Codable, Equatable, Sendable {
        /// A new filesystem instance: proc, tmpfs, devpts, ...; `source` is what it is made from (a block
        /// device, a server's share; a name for the others), the type's name when nil.
        case filesystem(type: String, data: String?, source: String? = nil)
        /// A bind of a host path (as the child sees it before `pivot_root`). `idmapped`: shifted by the
        /// container's id map (podman's `idmap`), through a tree the parent makes and the child attaches.
        /// `recursive`: with the mounts beneath the source (`rbind`, what Docker's volumes are), or the source's
        /// own mount alone (OCI's `bind`).
        case bind(source: String, idmapped: Bool = false, recursive: Bool = true)
        /// The pty the container's process has as its terminal, bound here (`/dev/console`).
        case console
        /// A node made with mknod (owned by `uid`:`gid`, mode `mode`). A device only without a user namespace;
        /// in one, a device is a `.bind` of the host's. A FIFO anywhere: making one takes no privilege, and it
        /// has no numbers (0, 0).
        case device(Node, major: UInt32, minor: UInt32, mode: UInt32, uid: UInt32, gid: UInt32)
        /// Hidden: `/dev/null` over a file, an empty read-only tmpfs over a directory. The target is found
        /// beneath the mount made at `within` (/proc or /sys), never through the image.
        case mask(within: String)
        /// Bound onto itself read-only; found as a mask is.
        case readOnly(within: String)
        /// A symbolic link to `destination`.
        case symlink(destination: String)
        /// The container's own cgroup in every hierarchy the host mounts, laid out as the host lays out its
        /// /sys/fs/cgroup (Docker's `cgroup` mount): what limits `free`, language runtimes and `sandbox probe`
        /// read. The attributes apply to every part; no `release_agent` is ever in reach, for only a
        /// hierarchy's root has one.
        case cgroup
    }

    /// What a `.device` entry makes, by the letter of OCI's `linux.devices[].type`.
    public enum Node: Character, LetterCoded, Sendable {
        case character = "c"
        case block = "b"
        case fifo = "p"
    }

    public var kind: Kind
    /// A path inside the container.
    public var target: String
    public var attributes: MountAttributes
    /// Skipped when the target does not exist, rather than made. Masked and read-only paths the kernel may not
    /// have are always skipped, decided beneath their mount.
    public var optional: Bool
    /// The image's target must be a real directory, never a symlink or a file: proc and sysfs, whose masks
    /// an image could otherwise move out of the way (runc since CVE-2019-19921).
    public var realDirectory: Bool
    /// Set on the mount after it is made; nil: left as it is (private, since the root is made private).
    public var propagation: MountPropagation?

    public init(_ kind: Kind, at target: String, attributes: MountAttributes = [], optional: Bool = false,
                realDirectory: Bool = false) {
        self.kind = kind
        self.target = target
        self.attributes = attributes
        self.optional = optional
        self.realDirectory = realDirectory
    }
}
