import Testing
@testable import SandboxPolicy

/// `--tmpfs PATH[:OPTIONS]`: Docker's nosuid, nodev, noexec unless the options say otherwise; the size and
/// ownership options go to the kernel untouched.
struct TmpfsMountTests {
    @Test(arguments: [
        ("/run", "/run", nil, MountAttributes.restricted),
        ("/run:", "/run", nil, .restricted),
        ("/run:size=64m", "/run", "size=64m", .restricted),
        ("/run:size=64m,mode=1777,uid=1000,gid=1000,nr_inodes=100,nr_blocks=10", "/run",
         "size=64m,mode=1777,uid=1000,gid=1000,nr_inodes=100,nr_blocks=10", .restricted),
        ("/run:ro", "/run", nil, [.readOnly, .noSetuid, .noDevices, .noExec]),
        ("/run:rw", "/run", nil, .restricted),
        ("/run:exec", "/run", nil, [.noSetuid, .noDevices]),
        ("/run:suid,dev,exec", "/run", nil, []),
        ("/run:exec,size=1m,suid", "/run", "size=1m", .noDevices),
        // The last of two contrary options wins, as in mount(8).
        ("/run:exec,noexec", "/run", nil, .restricted),
        ("/run:noexec,exec", "/run", nil, [.noSetuid, .noDevices]),
        ("/run:ro,rw", "/run", nil, .restricted),
        // Empty options between commas are nothing.
        ("/run:size=1m,,mode=700", "/run", "size=1m,mode=700", .restricted),
        // The path is cleaned as a volume's is.
        ("/var//cache/./x/..:mode=755", "/var/cache", "mode=755", .restricted),
        ("/run/", "/run", nil, .restricted),
    ] as [(String, String, String?, MountAttributes)])
    func parses(text: String, target: String, data: String?, attributes: MountAttributes) throws {
        let tmpfs = try TmpfsMount(parsing: text)
        #expect(tmpfs.target == target)
        #expect(tmpfs.data == data)
        #expect(tmpfs.attributes == attributes)
    }

    @Test(arguments: [
        ("run", "the path \"run\" must be absolute"),
        ("", "the path \"\" must be absolute"),
        (":size=1m", "the path \"\" must be absolute"),
        ("/run:bogus", "unknown option \"bogus\""),
        // A kernel option without its value.
        ("/run:size", "unknown option \"size\""),
        ("/run:size=1m,colour=red", "unknown option \"colour=red\""),
        ("/run:noexec=1", "unknown option \"noexec=1\""),
        ("/run:NOEXEC", "unknown option \"NOEXEC\""),
    ])
    func refuses(text: String, reason: String) {
        let error = #expect(throws: SandboxError.self) { try TmpfsMount(parsing: text) }
        #expect(error?.message == "invalid tmpfs \"\(text)\": \(reason)")
    }

    /// Docker refuses `--tmpfs /` as it refuses `-v HOST:/` (ValidateTmpfsMountDestination: "destination
    /// can't be '/'"): a tmpfs there covers the image and the default mounts made in it.
    @Test(arguments: ["/", "/:size=1m", "/tmp/.."])
    func refusesTheContainerRoot(text: String) {
        let error = #expect(throws: SandboxError.self) { try TmpfsMount(parsing: text) }
        #expect(error?.message == "invalid tmpfs \"\(text)\": the path cannot be /")
    }
}
