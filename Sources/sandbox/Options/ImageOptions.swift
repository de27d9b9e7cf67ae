import ArgumentParser
import SandboxPolicy

/// What `docker run` does with an image, which sandbox does not have: --rootfs names a directory that runs as it
/// is. What these ask is taken where it is what sandbox does anyway, and refused where it is not.
struct ImageOptions: ParsableArguments {
    @Option(help: ArgumentHelp("never: the image is not pulled, which it never is (always and missing are not supported).",
                               valueName: "policy"))
    var pull: String?

    @Flag(name: [.customShort("q"), .long], help: "No pull output: sandbox pulls nothing, so prints none.")
    var quiet = false

    @Flag(help: "Do not verify the image's signature: sandbox verifies none.")
    var disableContentTrust = false

    func check() throws {
        switch pull {
        case nil, "never"?: return
        case "always"?, "missing"?: throw Unsupported.refuse("--pull \(pull!)", Unsupported.images)
        case let other?: throw SandboxError("invalid pull option: '\(other)': must be one of \"always\", \"missing\" or \"never\"")
        }
    }
}
