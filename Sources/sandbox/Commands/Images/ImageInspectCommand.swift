import ArgumentParser
import SandboxJSON
import SandboxLinux
import SandboxOCI
import SandboxPolicy

/// `docker image inspect`: each image as Docker's API shows it, for the members a store of sandbox's has.
struct ImageInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Show images in Docker's JSON.")

    @Option(name: .shortAndLong, help: ArgumentHelp("A Go template ({{.Id}}) instead of the JSON.", valueName: "format"))
    var format: String?

    @Argument(help: ArgumentHelp("Images, by name or ID.", valueName: "image"))
    var images: [String]

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("\"sandbox image inspect\" requires at least 1 argument") }
    }

    func run() throws {
        let template = try format.map(GoTemplate.init(parsing:))
        let store = try ImageStore.forCaller()
        var documents: [JSONValue] = []
        var failed = false
        for text in images {
            guard let (image, _) = try store.find(text) else {
                printError("Error: No such image: \(text)", prefix: "")
                failed = true
                continue
            }
            documents.append(try Self.inspection(of: image, in: store))
        }
        if let template {
            documents.forEach { print(template.render($0)) }
        } else {
            print(JSONValue.array(documents).text, terminator: "")
        }
        if failed { throw ExitCode(1) }
    }

    static func inspection(of image: StoredImage, in store: ImageStore) throws -> JSONValue {
        let configuration = image.configuration
        let config = try configuration.config.map { try JSONValue(parsing: try JSON.encode($0)) } ?? .null
        let layers = configuration.rootfs.diffIDs
        let tags: [JSONValue] = image.names.compactMap { name in name.tag.map { .string(name.familiarName + ":" + $0) } }
        let digests: [JSONValue] = image.record.manifest.map { manifest in
            image.names.map { .string($0.familiarName + "@" + manifest.description) }
        } ?? []
        let lowers: String = layers.reversed().map { store.layer($0) }.joined(separator: ":")
        let graph: JSONValue = .object([("Data", .object([("LowerDir", .string(lowers))])), ("Name", .string("overlay"))])
        let rootfs: JSONValue = .object([("Type", .string("layers")), ("Layers", .array(layers.map { .string($0.description) }))])
        let members: [(key: String, value: JSONValue)] = [
            ("Id", .string(image.id.description)),
            ("RepoTags", .array(tags)),
            ("RepoDigests", .array(digests)),
            ("Parent", .string("")),
            ("Comment", .string(configuration.history?.last?.comment ?? "")),
            ("Created", .string(configuration.created ?? "")),
            ("DockerVersion", .string("")),
            ("Author", .string(configuration.author ?? "")),
            ("Config", config),
            ("Architecture", .string(configuration.architecture)),
            ("Variant", configuration.variant.map { .string($0) } ?? .null),
            ("Os", .string(configuration.os)),
            ("Size", .number(String(image.record.size))),
            ("GraphDriver", graph),
            ("RootFS", rootfs),
            ("Metadata", .object([("LastTagTime", .string(image.record.stored))])),
        ]
        return .object(members)
    }
}
