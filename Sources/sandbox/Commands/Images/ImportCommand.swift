import ArgumentParser
import Glibc
import SandboxLinux
import SandboxPolicy

/// `docker import`: a root filesystem, as a tarball (plain, gzip, zstd or xz), a directory or standard input,
/// becomes a one-layer image. A directory is tarred by the host's GNU tar (`--numeric-owner --xattrs`), run as a
/// subprocess whose output is unpacked as it comes: sandbox holds no tar writer of its own.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a root filesystem (a tarball, a directory or -) as an image.",
        discussion: "Prints the new image's ID, as docker import. A tar that is not one, or unsafe, is refused with one line; nothing of it is kept.")

    @Option(name: .shortAndLong, help: "The history's comment (default: Imported from SOURCE).")
    var message: String?

    @Argument(help: ArgumentHelp("A tarball, a directory, or - for standard input.", valueName: "file|dir|-"))
    var source: String

    @Argument(help: ArgumentHelp("The name to give it: REPOSITORY[:TAG].", valueName: "reference"))
    var reference: String?

    func run() throws {
        let reference = try self.reference.map { text in
            do {
                let parsed = try ImageReference(parsing: text)
                guard parsed.digest == nil else { throw SandboxError("refusing to create a tag with a digest reference") }
                return parsed
            } catch let error as SandboxError {
                throw error
            } catch {
                throw SandboxError("invalid reference format: \(error)")
            }
        }
        let store = try ImageStore.forCaller()
        let comment = message ?? "Imported from " + source
        let id: String
        if source == "-" {
            id = try store.importLayer(from: STDIN_FILENO, reference: reference, comment: comment).description
        } else {
            var status = stat()
            guard stat(source, &status) == 0 else { throw SandboxError("import \(source)", errno: errno) }
            if status.st_mode & S_IFMT == S_IFDIR {
                id = try TarProcess.withStream(of: source) { fd in
                    try store.importLayer(from: fd, reference: reference, comment: comment).description
                }
            } else {
                let fd = open(source, O_RDONLY | O_CLOEXEC | O_NOCTTY)
                guard fd >= 0 else { throw SandboxError("import \(source)", errno: errno) }
                defer { close(fd) }
                id = try store.importLayer(from: fd, reference: reference, comment: comment).description
            }
        }
        print(id)
    }
}
