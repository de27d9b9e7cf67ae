import Foundation
import SandboxLinux
import Testing

extension ContainerTests {
    /// A root filesystem as `docker import` takes one: the busybox image tarred and gzipped by GNU tar, unpacked
    /// by the store's unpacker, is the same tree (names, types, modes, owners, times, link targets, contents), and
    /// a container runs on it.
    @Suite struct UnpackedLayer {
        @Test func theBusyboxRootfsUnpacksToItselfAndRuns() throws {
            let directory = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let blob = directory + "/busybox.tar.gz", layer = directory + "/layer"
            let packed = try SandboxProcess.execute("/bin/sh", ["-c", "tar -C \"$0\" -czf \"$1\" .", SandboxProcess.rootfs, blob])
            try #require(packed.status == 0, "\(packed.stderr)")
            let unpacked = try LayerUnpacker().unpack(blob: blob, into: layer)
            let digest = try SandboxProcess.execute("/bin/sh", ["-c", "gzip -dc \"$0\" | sha256sum", blob])
            #expect(unpacked.diffID == "sha256:" + digest.stdout.prefix(64))

            // Times in whole seconds: GNU tar's default format keeps no more.
            let listing = "cd \"$0\" && find . -exec stat -c '%N %F %a %u %g %Y' {} + | sort && find . -type f -exec sha256sum {} + | sort"
            let original = try SandboxProcess.execute("/bin/sh", ["-c", listing, SandboxProcess.rootfs])
            let copy = try SandboxProcess.execute("/bin/sh", ["-c", listing, layer])
            #expect(!original.stdout.isEmpty && copy.stdout == original.stdout)

            let run = try SandboxProcess.run(["run", "--rm", "--rootfs", layer, "sh", "-c", "echo hello from the layer; ls /bin/sh"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "hello from the layer\n/bin/sh\n")
        }
    }
}
