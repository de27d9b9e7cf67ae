import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// `docker tag SOURCE TARGET`.
struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tag", abstract: "Give an image another name.")

    @Argument(help: ArgumentHelp("The image, by name or ID.", valueName: "source"))
    var source: String

    @Argument(help: ArgumentHelp("Its new name: REPOSITORY[:TAG].", valueName: "target"))
    var target: String

    func run() throws {
        let reference: ImageReference
        do {
            reference = try ImageReference(parsing: target)
        } catch {
            throw SandboxError("\(error)", exitCode: 1)
        }
        guard reference.digest == nil else { throw SandboxError("refusing to create a tag with a digest reference", exitCode: 1) }
        try ImageStore.forCaller().tag(source, as: reference)
    }
}
