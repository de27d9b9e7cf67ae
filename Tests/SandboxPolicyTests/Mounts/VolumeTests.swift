import Testing
@testable import SandboxPolicy

/// `-v HOST:CONTAINER[:OPTIONS]`, as Docker's bind volumes, plus podman's `idmap`.
struct VolumeTests {
    @Test(arguments: [
        ("/srv/data:/data", Volume(source: "/srv/data", target: "/data")),
        ("/srv/data:/data:rw", Volume(source: "/srv/data", target: "/data")),
        ("/srv/data:/data:ro", Volume(source: "/srv/data", target: "/data", readOnly: true)),
        ("/srv/data:/data:idmap", Volume(source: "/srv/data", target: "/data", idmapped: true)),
        ("/srv/data:/data:ro,idmap", Volume(source: "/srv/data", target: "/data", readOnly: true, idmapped: true)),
        ("/srv/data:/data:idmap,rw", Volume(source: "/srv/data", target: "/data", idmapped: true)),
        // Saying the same thing twice is not a conflict.
        ("/srv/data:/data:ro,ro", Volume(source: "/srv/data", target: "/data", readOnly: true)),
        ("/etc/hosts:/etc/hosts:ro", Volume(source: "/etc/hosts", target: "/etc/hosts", readOnly: true)),
        // The container path is cleaned as Docker cleans it (the mount table sorts on its depth); ".." stays
        // inside the container. The host path is the kernel's to resolve.
        ("/srv/data/:/data/", Volume(source: "/srv/data/", target: "/data")),
        ("/srv/./data:/a//b/./c/../d", Volume(source: "/srv/./data", target: "/a/b/d")),
        ("/srv:/../../etc", Volume(source: "/srv", target: "/etc")),
    ])
    func parses(text: String, expected: Volume) throws {
        #expect(try Volume(parsing: text) == expected)
    }

    static let format = "expected HOST:CONTAINER[:OPTIONS]"

    @Test(arguments: [
        // Docker's anonymous volume: one path only.
        ("/data", format),
        ("", format),
        (":/data", format),
        ("/srv:", format),
        ("/srv:/data:ro:idmap", format),
        ("data:/data", "the host path \"data\" must be absolute (named volumes are not supported)"),
        ("./data:/data", "the host path \"./data\" must be absolute (named volumes are not supported)"),
        ("/srv:data", "the container path \"data\" must be absolute"),
        ("/srv:/data:bogus", "unknown option \"bogus\" (expected ro, rw or idmap)"),
        ("/srv:/data:RO", "unknown option \"RO\" (expected ro, rw or idmap)"),
        // Docker's propagation and SELinux options are refused, not silently dropped.
        ("/srv:/data:z", "unknown option \"z\" (expected ro, rw or idmap)"),
        ("/srv:/data:", "unknown option \"\" (expected ro, rw or idmap)"),
        ("/srv:/data:ro,", "unknown option \"\" (expected ro, rw or idmap)"),
        ("/srv:/data:ro,rw", "options \"ro\" and \"rw\" conflict"),
        ("/srv:/data:rw,idmap,ro", "options \"rw\" and \"ro\" conflict"),
        // Docker's "destination can't be '/'": it would cover the root and the default mounts made in it.
        ("/srv:/", "the container path cannot be /"),
        ("/srv://", "the container path cannot be /"),
        ("/srv:/data/..:ro", "the container path cannot be /"),
        ("/srv:/..", "the container path cannot be /"),
    ])
    func refuses(text: String, reason: String) {
        let error = #expect(throws: SandboxError.self) { try Volume(parsing: text) }
        #expect(error?.message == "invalid volume \"\(text)\": \(reason)")
    }
}
