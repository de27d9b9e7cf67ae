import ArgumentParser

/// `image`, Docker's management command for images: `sandbox image ls` is `sandbox images`.
struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Manage images: import, ls, inspect, tag, rm, prune.",
        subcommands: [ImportCommand.self, ImageListCommand.self, ImageInspectCommand.self, TagCommand.self,
                      ImageRemoveCommand.self, ImagePruneCommand.self])
}

/// `image ls`: `images` by Docker's management name.
struct ImageListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the images in the store.", aliases: ["list"])
    @OptionGroup var images: ImagesCommand

    func run() throws { try images.run() }
}

/// `image rm`: `rmi` by Docker's management name.
struct ImageRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove images.", aliases: ["remove"])
    @OptionGroup var rmi: RmiCommand

    func run() throws {
        try rmi.validate()
        try rmi.run()
    }
}
