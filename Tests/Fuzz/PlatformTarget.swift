import SandboxOCI
import SandboxPolicy

extension FuzzTarget {
    /// `--platform`, read on a linux/arm64 host: its normal form is its own normal form, it prints as a
    /// specifier that reads back as it, and a list's entry for it is chosen for it.
    static let platform = FuzzTarget(name: "platform") { bytes in
        let platform: OCI.Image.Platform
        do {
            platform = try OCI.Image.Platform(parsing: FuzzInput.text(bytes), host: .init(os: "linux", architecture: "arm64"))
        } catch let error as OCI.Image.Refusal {
            throw SandboxError(error.description)
        }
        guard platform.normalized.normalized == platform.normalized else {
            fatalError("platform: \(platform) normalizes to \(platform.normalized), which normalizes to \(platform.normalized.normalized)")
        }
        guard (try? OCI.Image.Platform(parsing: platform.description, host: .init(os: "linux", architecture: "arm64"))) == platform else {
            fatalError("platform: \(platform) prints as \"\(platform)\", which does not read back as it")
        }
        let digest = try! OCI.Image.Digest(parsing: "sha256:" + String(repeating: "0", count: 64))
        let list = OCI.Image.Index(manifests: [.init(mediaType: OCI.Image.MediaType.ociManifest.name, digest: digest, size: 1, platform: platform)])
        guard (try? list.manifest(for: platform)) != nil || platform.compatible.isEmpty else {
            fatalError("platform: a list's entry for \(platform) is not chosen for it")
        }
    }
}
