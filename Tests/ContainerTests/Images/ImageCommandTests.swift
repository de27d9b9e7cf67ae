import Foundation
import Testing

extension ContainerTests {
    /// Images by name, as Docker's verbs handle them: the busybox root filesystem imported, listed, tagged, run,
    /// and removed, with real containers on the real store (root's, /var/lib/sandbox/images). Every name has a
    /// random suffix, and every test removes what it made. One at a time: the leftovers test needs no import
    /// in progress.
    @Suite(.serialized) struct ImageCommands {
        static let store = "/var/lib/sandbox/images"

        static func unique(_ prefix: String) -> String { prefix + "-" + UUID().uuidString.prefix(8).lowercased() }

        static func sandbox(_ arguments: [String], input: String? = nil) throws -> SandboxProcess.Result {
            try SandboxProcess.run(arguments, input: input)
        }

        /// The busybox root filesystem imported as `name`: its ID.
        static func importBusybox(as name: String) throws -> String {
            let result = try sandbox(["import", SandboxProcess.rootfs, name])
            try #require(result.status == 0, "import: \(result.stderr)")
            #expect(result.output.hasPrefix("sha256:") && result.output.count == 71)
            return result.output
        }

        static func entries(_ path: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        }

        /// Each file's path, owner and contents' digest beneath `directory`: a layer that must not change.
        static func listing(_ directory: String) throws -> String {
            try SandboxProcess.execute("/bin/sh", ["-c", "cd \"$0\" && find . -exec stat -c '%n %u %g %a %s' {} + | sort", directory]).stdout
        }

        @Test func anImportedRootfsIsListedInspectedAndRunByName() throws {
            let name = Self.unique("import"), id = try Self.importBusybox(as: name + ":v1")
            defer { _ = try? Self.sandbox(["rmi", "-f", id]) }
            let short = String(id.dropFirst(7).prefix(12))

            let listed = try Self.sandbox(["images"])
            let row = try #require(listed.stdout.split(separator: "\n").first { $0.hasPrefix(name + " ") })
            let header = listed.stdout.prefix { $0 != "\n" }.components(separatedBy: "   ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            #expect(header == ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"])
            #expect(row.split(separator: " ", omittingEmptySubsequences: true).prefix(3) == [Substring(name), "v1", Substring(short)])
            #expect(row.hasSuffix("MB"))
            #expect(try Self.sandbox(["images", "-q", name]).output == short)
            #expect(try Self.sandbox(["images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}} {{.Digest}}", name]).output
                == "\(name):v1 \(id) <none>")
            let inspected = try Self.sandbox(["image", "inspect", "--format", "{{.Id}} {{.Os}} {{.RootFS.Type}} {{.Comment}}", name + ":v1"])
            #expect(inspected.output == "\(id) linux layers Imported from \(SandboxProcess.rootfs)")

            let run = try Self.sandbox(["run", "--rm", name + ":v1", "sh", "-c", "cat /etc/passwd | head -1; echo written > /new; cat /new"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "root:x:0:0:root:/root:/bin/sh\nwritten\n")
            let readOnly = try Self.sandbox(["run", "--rm", "--read-only", id, "touch", "/new"])
            #expect(readOnly.status == 1 && readOnly.stderr.contains("Read-only file system"), "\(readOnly.stderr)")
            #expect(Self.entries(Self.store + "/containers").allSatisfy { !FileManager.default.fileExists(atPath: Self.store + "/containers/\($0)/upper/new") })
        }

        @Test func twoContainersShareTheLayerAndEachHasItsOwnWritableLayer() throws {
            let name = Self.unique("shared"), id = try Self.importBusybox(as: name)
            let first = Self.unique("img-a"), second = Self.unique("img-b")
            defer {
                _ = try? Self.sandbox(["rm", "-f", first, second])
                _ = try? Self.sandbox(["rmi", "-f", id])
            }
            let layer = try #require(try Self.sandbox(["image", "inspect", "--format", "{{.GraphDriver.Data.LowerDir}}", name]).output.split(separator: ":").first)
            let before = try Self.listing(String(layer))
            for container in [first, second] {
                let started = try Self.sandbox(["run", "-d", "--name", container, name, "sleep", "1000"])
                try #require(started.status == 0, "\(started.stderr)")
            }
            #expect(try Self.sandbox(["exec", first, "sh", "-c", "echo mine > /etc/only-in-a"]).status == 0)
            #expect(try Self.sandbox(["exec", first, "cat", "/etc/only-in-a"]).output == "mine")
            #expect(try Self.sandbox(["exec", second, "cat", "/etc/only-in-a"]).status == 1)
            #expect(try Self.listing(String(layer)) == before, "the image's layer is never written")
            #expect(try Self.sandbox(["ps", "--format", "{{.Names}} {{.Image}}"]).stdout.contains("\(first) \(name)\n"))
            #expect(try Self.sandbox(["inspect", "--format", "{{.Image}} {{.Config.Image}}", first]).output == "\(id) \(name)")

            // Written as the container's root, stored as the image's (root is 0 on disk: the mount is idmapped).
            let containerID = try Self.sandbox(["inspect", "--format", "{{.Id}}", first]).output
            let written = Self.store + "/containers/\(containerID)/upper/etc/only-in-a"
            let owner = try FileManager.default.attributesOfItem(atPath: written)[.ownerAccountID] as? NSNumber
            #expect(owner == 0)

            #expect(try Self.sandbox(["restart", first]).status == 0)
            #expect(try Self.sandbox(["exec", first, "cat", "/etc/only-in-a"]).output == "mine", "kept across a restart")
            #expect(try Self.sandbox(["rm", "-f", first]).status == 0)
            #expect(!FileManager.default.fileExists(atPath: Self.store + "/containers/\(containerID)"), "gone with rm")
            #expect(FileManager.default.fileExists(atPath: String(layer)), "the other container and the image still have it")
        }

        @Test func rmiIsRefusedWhileAContainerUsesTheImageUnlessForced() throws {
            let name = Self.unique("rmi"), id = try Self.importBusybox(as: name)
            let container = Self.unique("rmi-c")
            defer {
                _ = try? Self.sandbox(["rm", "-f", container])
                _ = try? Self.sandbox(["rmi", "-f", id])
            }
            let short = String(id.dropFirst(7).prefix(12))
            let layer = try Self.sandbox(["image", "inspect", "--format", "{{.GraphDriver.Data.LowerDir}}", name]).output
            let started = try Self.sandbox(["run", "-d", "--name", container, name, "sleep", "1000"])
            try #require(started.status == 0, "\(started.stderr)")
            let containerShort = String(started.output.prefix(12))

            let byName = try Self.sandbox(["rmi", name])
            #expect(byName.status == 1)
            #expect(byName.stderr == "Error response from daemon: conflict: unable to remove repository reference \"\(name)\" (must force) - container \(containerShort) is using its referenced image \(short)\n")
            let byID = try Self.sandbox(["rmi", "-f", id])
            #expect(byID.status == 1)
            #expect(byID.stderr == "Error response from daemon: conflict: unable to delete \(short) (cannot be forced) - image is being used by running container \(containerShort)\n")

            #expect(try Self.sandbox(["stop", container]).status == 0)
            let forced = try Self.sandbox(["rmi", "-f", name])
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(forced.stdout == "Untagged: \(name):latest\nDeleted: \(id)\n")
            #expect(FileManager.default.fileExists(atPath: layer), "the stopped container still stacks the layer")
            #expect(try Self.sandbox(["rm", container]).status == 0)
            // The same rootfs, tarred alike, is the same layer: another image of it (another test's) keeps it.
            let others = try Self.sandbox(["images", "-q", "--no-trunc"]).stdout.split(separator: "\n").map(String.init)
            let shared = try others.contains { try Self.sandbox(["image", "inspect", "--format", "{{.GraphDriver.Data.LowerDir}}", $0]).output == layer }
            #expect(FileManager.default.fileExists(atPath: layer) == shared, "the last user gone, the layer goes")
        }

        @Test func tagNamesTheImageAndPruneRemovesTheDangling() throws {
            let name = Self.unique("tag"), other = Self.unique("tag-other") + ":x"
            let id = try Self.importBusybox(as: name)
            defer { _ = try? Self.sandbox(["rmi", "-f", id]) }
            #expect(try Self.sandbox(["tag", name, other]).status == 0)
            #expect(try Self.sandbox(["images", "-q", other]).output == String(id.dropFirst(7).prefix(12)))
            #expect(try Self.sandbox(["rmi", other]).stdout == "Untagged: \(other)\n")
            #expect(try Self.sandbox(["tag", "no-such-image-" + name, other]).stderr == "sandbox: No such image: no-such-image-\(name):latest\n")


            let piped = try SandboxProcess.execute("/bin/sh", ["-c", "tar -C \"$0\" -cf - . | \"$1\" import -", SandboxProcess.rootfs, SandboxProcess.binary])
            try #require(piped.status == 0, "\(piped.stderr)")
            defer { _ = try? Self.sandbox(["rmi", piped.output]) }
            #expect(try Self.sandbox(["images", "--no-trunc", "--format", "{{.Repository}} {{.Tag}} {{.ID}}"]).stdout.contains("<none> <none> \(piped.output)\n"))
            let pruned = try Self.sandbox(["image", "prune", "-f"])
            #expect(pruned.stdout.contains("deleted: \(piped.output)\n") && pruned.stdout.contains("Total reclaimed space: "))
            #expect(!(try Self.sandbox(["images", "--no-trunc", "-q"]).stdout.contains(piped.output)))
            #expect(try Self.sandbox(["images", "-q", name]).status == 0, "a named image stays")
        }

        @Test func badInputIsOneLineExit125AndLeavesNothing() throws {
            let layersBefore = Self.entries(Self.store + "/layers"), imagesBefore = Self.entries(Self.store + "/images")
            let directory = NSTemporaryDirectory() + Self.unique("not-a-tar")
            FileManager.default.createFile(atPath: directory, contents: Data(repeating: 0x41, count: 4096))
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let cases: [([String], String)] = [
                (["import", directory, "x"], "sandbox: import: read: Unrecognized archive format\n"),
                (["import", SandboxProcess.rootfs, "Bad/Name"], "sandbox: invalid reference \"Bad/Name\": repository name must be lowercase\n"),
                (["import", "/no/such/file"], "sandbox: import /no/such/file: No such file or directory\n"),
            ]
            for (arguments, message) in cases {
                let result = try Self.sandbox(arguments)
                #expect(result.status == 125, "\(arguments)")
                #expect(result.stderr == message, "\(arguments)")
            }
            let missing = Self.unique("missing")
            let run = try Self.sandbox(["run", "--rm", missing, "true"])
            #expect(run.status == 125)
            #expect(run.stderr == "Unable to find image '\(missing):latest' locally\nsandbox: \(missing):latest is not in the image store, and sandbox cannot pull images yet: make it with sandbox import TARBALL|DIR \(missing):latest\n")
            #expect(Self.entries(Self.store + "/layers") == layersBefore)
            #expect(Self.entries(Self.store + "/images") == imagesBefore)
        }

        @Test func aCrashsLeftoversAreRemovedByTheNextCommand() throws {
            #expect(try Self.sandbox(["images", "-q"]).status == 0)
            let unpacking = Self.store + "/layers/." + Self.unique("import") + ".unpacking-0123/etc"
            let blob = Self.store + "/blobs/sha256/.tmp-" + Self.unique("blob")
            try FileManager.default.createDirectory(atPath: unpacking, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: blob, contents: Data("half".utf8))
            #expect(try Self.sandbox(["images", "-q"]).status == 0)
            #expect(!FileManager.default.fileExists(atPath: (unpacking as NSString).deletingLastPathComponent))
            #expect(!FileManager.default.fileExists(atPath: blob))
        }
    }
}
