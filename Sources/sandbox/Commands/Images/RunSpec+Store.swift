import Glibc
import SandboxLinux
import SandboxPolicy

extension RunSpec {
    /// `run IMAGE [CMD]`: without `--rootfs`, the first word is an image when the store has one by that name
    /// or ID (12 digits at least), and the image's config gives the defaults the flags leave unsaid. Otherwise
    /// it is a command on the host's `/`, as ever, unless no program of that name is on the host: then it was
    /// meant for an image, and Docker's words say it is missing. A `--rootfs` run never looks at the store.
    /// - Returns: the spec, and the image found, which the launch then takes as it is rather than look it up again.
    func resolvingImage() throws -> (run: RunSpec, image: ImageRun?) {
        guard rootfs == nil, image == nil, let first = command.first else { return (self, nil) }
        if let found = try ImageRun.find(first, caller: .current(), environment: RunOptions.hostEnvironment) {
            var run = self
            run.command = Array(command.dropFirst())
            run.image = first
            return (try run.applying(image: found.image.configuration), found)
        }
        guard !first.contains("/"), !Self.isHostProgram(first), let reference = try? ImageReference(parsing: first) else {
            return (self, nil)
        }
        printError("Unable to find image '\(reference.familiarDescription)' locally", prefix: "")
        throw SandboxError("\(reference.familiarDescription) is not in the image store, and sandbox cannot pull images yet: make it with sandbox import TARBALL|DIR \(reference.familiarDescription)")
    }

    /// Whether the default PATH of a container on the host's `/` finds `name`.
    private static func isHostProgram(_ name: String) -> Bool {
        ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"].contains { access($0 + "/" + name, X_OK) == 0 }
    }
}
