import Foundation
import Glibc
import SandboxLinux
import SandboxPolicy
import Testing

/// The store against a directory of its own: a layer is on disk once however many images have it, names point
/// at images and move, removing the last image of a layer removes it, commands at once never corrupt the
/// tables, and what a crashed command left is removed by the next.
@Suite(.enabled(if: getuid() == 0, "unpacking chroots, and keeps the layer's owners: it takes root"))
struct ImageStoreTests {
    static let layerBody = """
        entry("bin/", tarfile.DIRTYPE, mode=0o755)
        entry("bin/tool", data=b"#!/bin/sh\\n", mode=0o755)
        entry("etc/", tarfile.DIRTYPE, mode=0o755)
        entry("etc/passwd", data=b"root:x:0:0:root:/root:/bin/sh\\n")
        """

    /// A store in a temporary directory, removed after `body`.
    static func withStore(_ body: (ImageStore, TestLayer) throws -> Void) throws {
        let layer = try TestLayer(layerBody)
        defer { layer.remove() }
        let store = ImageStore(path: layer.directory + "/store", rootless: false)
        try store.prepare()
        try body(store, layer)
    }

    static func importBlob(_ store: ImageStore, _ layer: TestLayer, as name: String?) throws -> String {
        let fd = open(layer.blob, O_RDONLY | O_CLOEXEC)
        defer { close(fd) }
        return try store.importLayer(from: fd, reference: name.map { try ImageReference(parsing: $0) }, comment: "test").description
    }

    static func entries(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    @Test func anImportIsAnImageWithOneLayerNamedByItsDiffID() throws {
        try Self.withStore { store, layer in
            let id = try Self.importBlob(store, layer, as: "example/tool:1")
            let images = try store.list()
            try #require(images.count == 1)
            #expect(images[0].id.description == id)
            #expect(images[0].names.map(\.familiarDescription) == ["example/tool:1"])
            #expect(images[0].configuration.rootfs.diffIDs.map(\.description) == [layer.diffID])
            #expect(images[0].configuration.history?.first?.comment == "test")
            #expect(Self.entries(store.path + "/layers") == [String(layer.diffID.dropFirst(7))])
            #expect(FileManager.default.fileExists(atPath: store.layer(images[0].configuration.rootfs.diffIDs[0]) + "/bin/tool"))
            #expect(try store.find("example/tool:1")?.image.id.description == id)
            #expect(try store.find(String(id.dropFirst(7).prefix(12)))?.image.id.description == id)
            #expect(try store.find("example/tool") == nil, "the tag latest names nothing")
        }
    }

    @Test func aLayerSharedByImagesIsOnDiskOnceAndGoesWithTheLast() throws {
        try Self.withStore { store, layer in
            let first = try Self.importBlob(store, layer, as: "one")
            sleep(1)  // another created time: another config, another image, the same layer
            let second = try Self.importBlob(store, layer, as: "two")
            #expect(first != second)
            #expect(Self.entries(store.path + "/layers").count == 1)
            #expect(try store.remove("one", force: false, isRunning: { _ in false }) == ["Untagged: one:latest", "Deleted: " + first])
            #expect(Self.entries(store.path + "/layers").count == 1, "two still has it")
            try store.tag("two", as: try ImageReference(parsing: "three:x"))
            #expect(try store.remove("two", force: false, isRunning: { _ in false }) == ["Untagged: two:latest"])
            #expect(try store.remove(second, force: false, isRunning: { _ in false }) == ["Untagged: three:x", "Deleted: " + second])
            #expect(Self.entries(store.path + "/layers").isEmpty)
            #expect(Self.entries(store.path + "/blobs/sha256").isEmpty)
            #expect(Self.entries(store.path + "/images").isEmpty)
        }
    }

    @Test func aContainerKeepsItsLayersAndItsImageUnlessForced() throws {
        try Self.withStore { store, layer in
            let id = try Self.importBlob(store, layer, as: "used")
            let image = try #require(try store.find("used")?.image)
            let container = ContainerID.random()
            let made = try store.makeWritableLayer(for: container, name: "c", image: image, owner: (0, 0))
            #expect(Self.entries(made.directory) == ["layers.json", "upper", "work"])
            #expect(made.lowers == [store.layer(image.configuration.rootfs.diffIDs[0])])
            let short = String(id.dropFirst(7).prefix(12))
            #expect(throws: SandboxError("conflict: unable to remove repository reference \"used\" (must force) - container \(container.short) is using its referenced image \(short)", exitCode: 1)) {
                try store.remove("used", force: false, isRunning: { _ in false })
            }
            #expect(throws: SandboxError("conflict: unable to delete \(short) (cannot be forced) - image is being used by running container \(container.short)", exitCode: 1)) {
                try store.remove(id, force: true, isRunning: { _ in true })
            }
            #expect(try store.remove("used", force: true, isRunning: { _ in false }) == ["Untagged: used:latest", "Deleted: " + id])
            #expect(Self.entries(store.path + "/layers").count == 1, "the container still stacks it")
            ImageStore.removeWritableLayer(made.directory)
            #expect(Self.entries(store.path + "/containers").isEmpty)
            #expect(Self.entries(store.path + "/layers").isEmpty)
        }
    }

    @Test func concurrentImportsShareOneLayerAndKeepEveryName() throws {
        try Self.withStore { store, layer in
            let count = 6
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: count) { index in
                do { _ = try Self.importBlob(store, layer, as: "many:\(index)") } catch { failures.add("\(error)") }
            }
            #expect(failures.all.isEmpty)
            #expect(Self.entries(store.path + "/layers").count == 1)
            let names = try store.list().flatMap(\.names).map(\.familiarDescription).sorted()
            #expect(names == (0..<count).map { "many:\($0)" }.sorted())
            #expect(!Self.entries(store.path + "/layers").contains { $0.hasPrefix(".") })
        }
    }

    @Test func whatACrashLeftIsRemovedByTheNextCommand() throws {
        try Self.withStore { store, layer in
            let leftovers = [store.path + "/layers/..import-0123.unpacking-abcd/etc", store.path + "/layers/.import-4567/bin"]
            for directory in leftovers { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            FileManager.default.createFile(atPath: store.path + "/blobs/sha256/.tmp-89ab", contents: Data("half a blob".utf8))
            FileManager.default.createFile(atPath: store.path + "/.tmp-cdef", contents: Data("half a table".utf8))
            try store.prepare()
            #expect(Self.entries(store.path + "/layers").isEmpty)
            #expect(Self.entries(store.path + "/blobs/sha256").isEmpty)
            #expect(!Self.entries(store.path).contains { $0.hasPrefix(".tmp-") })
        }
    }

    @Test func aStreamThatIsNotATarLeavesNothing() throws {
        try Self.withStore { store, layer in
            let path = layer.directory + "/not-a-tar"
            FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 10_000))
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            defer { close(fd) }
            #expect(throws: SandboxError.self) { try store.importLayer(from: fd, reference: nil, comment: "bad") }
            #expect(Self.entries(store.path + "/layers").isEmpty)
            #expect(Self.entries(store.path + "/images").isEmpty)
            #expect(Self.entries(store.path + "/blobs/sha256").isEmpty)
        }
    }
}

/// Errors gathered from concurrent work.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []
    func add(_ error: String) { lock.lock(); errors.append(error); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return errors }
}
