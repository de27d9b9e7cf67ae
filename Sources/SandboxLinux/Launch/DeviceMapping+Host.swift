import Glibc
import SandboxPolicy

extension DeviceMapping {
    /// The device-cgroup rule for the host's node: its type and numbers, with the access asked for. stat(2)
    /// follows a symlink (`/dev/disk/by-id/...`) to the node, as Docker does.
    func hostRule() throws -> DeviceRule {
        var status = stat()
        guard stat(hostPath, &status) == 0 else { throw SandboxError("--device \(hostPath)", errno: errno) }
        let kind: DeviceRule.Kind
        switch status.st_mode & S_IFMT {
        case S_IFCHR: kind = .character
        case S_IFBLK: kind = .block
        default: throw SandboxError("--device \(hostPath): not a device node (a character or block device)")
        }
        // glibc's major() and minor() are macros Swift does not import; this is their encoding of dev_t.
        let device = UInt64(status.st_rdev)
        let major = UInt32(truncatingIfNeeded: ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff))
        let minor = UInt32(truncatingIfNeeded: (device & 0xff) | ((device >> 12) & ~0xff))
        return DeviceRule(kind, major, minor, access)
    }
}
