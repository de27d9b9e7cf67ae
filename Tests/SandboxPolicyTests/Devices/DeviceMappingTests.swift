import Testing
@testable import SandboxPolicy

/// `--device HOST[:CONTAINER][:PERMISSIONS]`, read as Docker reads it.
struct DeviceMappingTests {
    @Test(arguments: [
        ("/dev/loop0", DeviceMapping(hostPath: "/dev/loop0", containerPath: "/dev/loop0")),
        ("/dev/loop0:/dev/disk", DeviceMapping(hostPath: "/dev/loop0", containerPath: "/dev/disk")),
        ("/dev/loop0:/dev/disk:r", DeviceMapping(hostPath: "/dev/loop0", containerPath: "/dev/disk", access: .read)),
        ("/dev/loop0:/dev/disk:mw", DeviceMapping(hostPath: "/dev/loop0", containerPath: "/dev/disk", access: [.write, .mknod])),
        // A second field that is a permission string is the permissions, as in Docker.
        ("/dev/loop0:rw", DeviceMapping(hostPath: "/dev/loop0", containerPath: "/dev/loop0", access: [.read, .write])),
        ("/dev/loop0:mrw", DeviceMapping(hostPath: "/dev/loop0", containerPath: "/dev/loop0")),
        // The container path is cleaned; the host path is the kernel's to resolve (a symlink is followed).
        ("/dev/disk/by-id/x:/dev//x/../disk/", DeviceMapping(hostPath: "/dev/disk/by-id/x", containerPath: "/dev/disk")),
    ])
    func parses(text: String, expected: DeviceMapping) throws {
        #expect(try DeviceMapping(parsing: text) == expected)
    }

    static let format = "expected HOST[:CONTAINER][:PERMISSIONS]"

    @Test(arguments: [
        ("", format), (":/dev/x", format), ("/dev/a:/dev/b:r:w", format),
        ("/dev/loop0:/dev/x:rwx", "bad permissions \"rwx\" (some of r, w and m, each once)"),
        ("/dev/loop0:/dev/x:rr", "bad permissions \"rr\" (some of r, w and m, each once)"),
        ("/dev/loop0:/dev/x:", "bad permissions \"\" (some of r, w and m, each once)"),
        ("/dev/loop0:/dev/x:R", "bad permissions \"R\" (some of r, w and m, each once)"),
        // Not permissions, so a container path, and not an absolute one.
        ("/dev/loop0:rx", "\"rx\" is not an absolute path"),
        ("/dev/loop0::r", "\"\" is not an absolute path"),
        ("loop0", "\"loop0\" is not an absolute path"),
        ("loop0:/dev/loop0", "\"loop0\" is not an absolute path"),
        ("/dev/loop0:/", "the container path cannot be /"),
    ])
    func refused(text: String, reason: String) {
        let error = #expect(throws: SandboxError.self) { try DeviceMapping(parsing: text) }
        #expect(error?.message == "invalid --device \"\(text)\": \(reason)")
    }

    @Test(arguments: [("r", DeviceAccess.read), ("w", .write), ("m", .mknod), ("wr", [.read, .write]), ("mwr", .all)] as [(String, DeviceAccess)])
    func permissionsReadBackInTheKernelsOrder(text: String, access: DeviceAccess) throws {
        #expect(DeviceAccess(parsing: text) == access)
        #expect(access.description == String("rwm".filter(text.contains)))
    }
}
