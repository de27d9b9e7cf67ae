import ArgumentParser
import SandboxJSON
import SandboxLinux
import SandboxPolicy

/// `docker images`: a row for each name of each image (one `<none>` row for a dangling one), newest first.
struct ImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "List the images in the store.",
        discussion: "SIZE is what the image's layers' files add up to; CREATED is when the image was made (for an import, when it was imported).")

    @Flag(name: .shortAndLong, help: "Only the images' IDs.")
    var quiet = false

    @Flag(help: "Show the digests.")
    var digests = false

    @Flag(help: "Do not shorten the IDs.")
    var noTrunc = false

    @Option(help: ArgumentHelp("table, json (an object a line, with Docker's keys), or a Go template ({{.Repository}}).", valueName: "format"))
    var format: String?

    @Argument(help: ArgumentHelp("Only the images of this repository (and tag).", valueName: "repository[:tag]"))
    var repository: String?

    func run() throws {
        let format = try ViewFormat(format)
        let rows = try ImageRow.rows(of: try ImageStore.forCaller().list(), noTrunc: noTrunc).filter(matches)
        if quiet {
            rows.forEach { print($0.id) }
            return
        }
        guard case .table = format else {
            rows.forEach { print(format.line($0.object)) }
            return
        }
        let header = ["REPOSITORY", "TAG"] + (digests ? ["DIGEST"] : []) + ["IMAGE ID", "CREATED", "SIZE"]
        let lines = rows.map { [$0.repository, $0.tag] + (digests ? [$0.digest] : []) + [$0.id, $0.created, $0.size] }
        print(Table.text([header] + lines, minimumWidth: 10), terminator: "")
    }

    /// docker images' argument: a repository, as it is shown or in full, and its tag if given.
    private func matches(_ row: ImageRow) -> Bool {
        guard let repository else { return true }
        guard let reference = try? ImageReference(parsing: repository), let name = row.reference else { return false }
        let tagged = repository.split(separator: "/").last?.contains(":") ?? false
        return reference.name == name.name && (!tagged || reference.tag == name.tag)
    }
}

/// One row of `docker images`, and the object its `--format` reads.
struct ImageRow {
    var reference: ImageReference?
    var repository: String
    var tag: String
    var digest: String
    var id: String
    var created: String
    var size: String
    var object: JSONValue

    static func rows(of images: [StoredImage], noTrunc: Bool) -> [ImageRow] {
        let now = DockerTime.parse(Timestamp.now()) ?? 0
        return images.flatMap { image -> [ImageRow] in
            let created = DockerTime.parse(image.configuration.created ?? image.record.stored) ?? 0
            let id = noTrunc ? image.id.description : DockerFormat.shortID(image.id.encoded)
            let since = DockerFormat.humanDuration(nanoseconds: now - created) + " ago"
            let size = DockerFormat.humanSize(Double(image.record.size))
            let digest = image.record.manifest?.description ?? "<none>"
            let references: [ImageReference?] = image.names.isEmpty ? [nil] : image.names
            return references.map { reference in
                let repository = reference?.familiarName ?? "<none>", tag = reference?.tag ?? "<none>"
                let object: JSONValue = .object([
                    ("Containers", .string("N/A")),
                    ("CreatedAt", .string(DockerTime.goString(created))),
                    ("CreatedSince", .string(since)),
                    ("Digest", .string(digest)),
                    ("ID", .string(id)),
                    ("Repository", .string(repository)),
                    ("SharedSize", .string("N/A")),
                    ("Size", .string(size)),
                    ("Tag", .string(tag)),
                    ("UniqueSize", .string("N/A")),
                    ("VirtualSize", .string(size)),
                ])
                return ImageRow(reference: reference, repository: repository, tag: tag, digest: digest, id: id, created: since, size: size, object: object)
            }
        }
    }
}
