import Testing
@testable import SandboxOCI

/// Platforms as containerd's `platforms` package reads, normalizes, orders and matches them, and the manifest
/// Docker's pull takes from a list.
struct PlatformTests {
    typealias Image = OCI.Image
    typealias Platform = OCI.Image.Platform

    static let host = Platform(os: "linux", architecture: "amd64")

    /// containerd's `TestParseSelector` cases, on a linux/amd64 host (those with wildcards and Windows' OS
    /// versions aside).
    @Test(arguments: [
        ("linux/arm64", "linux/arm64"), ("linux/arm64/v8", "linux/arm64/v8"), ("linux/arm", "linux/arm"),
        ("linux/arm/v6", "linux/arm/v6"), ("linux/arm/v7", "linux/arm/v7"), ("arm", "linux/arm"), ("armel", "linux/arm/v6"),
        ("armhf", "linux/arm"), ("Aarch64", "linux/arm64"), ("x86_64", "linux/amd64"), ("Linux/x86_64", "linux/amd64"),
        ("i386", "linux/386"), ("linux", "linux/amd64"), ("s390x", "linux/s390x"), ("linux/s390x", "linux/s390x"),
        ("macOS", "darwin/amd64"), ("windows", "windows/amd64"), ("linux/amd64/v3", "linux/amd64/v3"),
        ("linux/aarch64/8", "linux/arm64/v8"), ("linux/arm/7", "linux/arm/v7"), ("freebsd/riscv64", "freebsd/riscv64"),
    ])
    func parsed(text: String, platform: String) throws {
        #expect(try Platform(parsing: text, host: Self.host).description == platform)
    }

    @Test(arguments: [
        ("", "invalid platform \"\": \"\" is not a valid OS component (letters, digits, '_' and '-')"),
        ("linux/", "invalid platform \"linux/\": \"\" is not a valid platform component (letters, digits, '_', '.' and '-')"),
        ("linux/*", "invalid platform \"linux/*\": wildcards not yet supported"),
        ("windows(10.0.17763)/amd64", "invalid platform \"windows(10.0.17763)/amd64\": \"windows(10.0.17763)\" is not a valid OS component (letters, digits, '_' and '-')"),
        ("linux.x/amd64", "invalid platform \"linux.x/amd64\": \"linux.x\" is not a valid OS component (letters, digits, '_' and '-')"),
        ("linux/amd64/v2/x", "invalid platform \"linux/amd64/v2/x\": expected OS[/ARCHITECTURE[/VARIANT]], such as linux/amd64"),
        ("linux/amd 64", "invalid platform \"linux/amd 64\": \"amd 64\" is not a valid platform component (letters, digits, '_', '.' and '-')"),
        ("linus", "invalid platform \"linus\": unknown operating system or architecture"),
        ("linux/émd64", "invalid platform \"linux/émd64\": \"émd64\" is not a valid platform component (letters, digits, '_', '.' and '-')"),
    ])
    func refused(text: String, message: String) {
        let error = #expect(throws: Image.Refusal.self) { try Platform(parsing: text, host: Self.host) }
        #expect(error?.description == message)
    }

    /// containerd's `normalizeArch`.
    @Test(arguments: [
        ("i386", "", "386", nil), ("x86_64", "", "amd64", nil), ("x86-64", "v1", "amd64", nil), ("AMD64", "V2", "amd64", "v2"),
        ("aarch64", "", "arm64", nil), ("arm64", "8", "arm64", nil), ("arm64", "v8.0", "arm64", nil), ("arm64", "9.0", "arm64", "v9"),
        ("arm64", "v8.2", "arm64", "v8.2"), ("armhf", "", "arm", "v7"), ("armel", "", "arm", "v6"), ("arm", "", "arm", "v7"),
        ("arm", "5", "arm", "v5"), ("arm", "v6", "arm", "v6"), ("ppc64le", "", "ppc64le", nil),
    ] as [(String, String, String, String?)])
    func normalized(architecture: String, variant: String, normalized: String, normalizedVariant: String?) {
        let platform = Platform(os: "Linux", architecture: architecture, variant: variant).normalized
        #expect(platform.os == "linux")
        #expect(platform.architecture == normalized)
        #expect(platform.variant == normalizedVariant)
    }

    /// containerd's `platformVector`, the order `platforms.Only` prefers.
    @Test(arguments: [
        ("linux/amd64", ["linux/amd64", "linux/386"]),
        ("linux/amd64/v3", ["linux/amd64/v3", "linux/amd64/v2", "linux/amd64/v1", "linux/386"]),
        ("linux/arm/v7", ["linux/arm/v7", "linux/arm/v6", "linux/arm/v5"]),
        ("linux/arm/v5", ["linux/arm/v5"]),
        ("linux/arm64", ["linux/arm64/v8", "linux/arm/v8", "linux/arm/v7", "linux/arm/v6", "linux/arm/v5"]),
        ("linux/arm64/v8.2", ["linux/arm64/v8.2", "linux/arm64/v8.1", "linux/arm64/v8", "linux/arm/v8", "linux/arm/v7", "linux/arm/v6", "linux/arm/v5"]),
        ("linux/arm64/v9.1", ["linux/arm64/v9.1", "linux/arm64/v9", "linux/arm64/v8.6", "linux/arm64/v8.5", "linux/arm64/v8.4", "linux/arm64/v8.3",
                              "linux/arm64/v8.2", "linux/arm64/v8.1", "linux/arm64/v8", "linux/arm/v8", "linux/arm/v7", "linux/arm/v6", "linux/arm/v5"]),
        // An arm64 variant containerd does not know matches nothing, not even itself.
        ("linux/arm64/v10", []),
        ("linux/s390x", ["linux/s390x"]),
        // Past the last variant there is, the real ones follow, not every number below it.
        ("linux/arm/v1000000000", ["linux/arm/v1000000000", "linux/arm/v8", "linux/arm/v7", "linux/arm/v6", "linux/arm/v5"]),
        ("linux/amd64/v9", ["linux/amd64/v9", "linux/amd64/v4", "linux/amd64/v3", "linux/amd64/v2", "linux/amd64/v1", "linux/386"]),
    ])
    func compatible(text: String, order: [String]) throws {
        #expect(try Platform(parsing: text, host: Self.host).compatible.map(\.description) == order)
    }

    static func list(_ platforms: [Platform?], attestationFirst: Bool = false) -> Image.Index {
        var manifests = platforms.enumerated().map { index, platform in
            Image.Descriptor(mediaType: Image.MediaType.ociManifest.name,
                             digest: try! .init(parsing: "sha256:" + String(repeating: "\(index)", count: 64)), size: 1, platform: platform)
        }
        if attestationFirst {
            var attestation = Image.Descriptor(mediaType: Image.MediaType.ociManifest.name, digest: try! .init(parsing: "sha256:" + String(repeating: "f", count: 64)),
                                               size: 1, platform: Platform(os: "unknown", architecture: "unknown"))
            attestation.annotations = [Image.Descriptor.referenceTypeAnnotation: "attestation-manifest"]
            manifests.insert(attestation, at: 0)
        }
        return Image.Index(manifests: manifests)
    }

    /// The entry's position in the list `list` makes.
    static func chosen(_ index: Image.Index, for text: String) throws -> Character? {
        try index.manifest(for: Platform(parsing: text, host: host)).digest.encoded.first
    }

    @Test func theListsRealToolsWrote() throws {
        for text in [ImageDocuments.dockerManifestList, ImageDocuments.ociIndex, ImageDocuments.ociIndexWithAttestation] {
            let index = try Image.Index.read(text, document: "list")
            let wanted = ["linux/amd64": "linux/amd64", "linux/arm64": "linux/arm64/v8", "linux/arm64/v8": "linux/arm64/v8",
                          "linux/arm": "linux/arm/v7", "linux/arm/v7": "linux/arm/v7", "linux/s390x": "linux/s390x"]
            for (platform, entry) in wanted {
                #expect(try index.manifest(for: Platform(parsing: platform, host: Self.host)).platform?.description == entry)
            }
            let error = #expect(throws: Image.Refusal.self) { try index.manifest(for: Platform(os: "linux", architecture: "riscv64")) }
            #expect(error?.description == "no matching manifest for linux/riscv64 in the manifest list entries")
        }
    }

    @Test func choices() throws {
        let amd64 = Platform(os: "linux", architecture: "amd64"), i386 = Platform(os: "linux", architecture: "386")
        let arm64 = Platform(os: "linux", architecture: "aarch64"), arm7 = Platform(os: "linux", architecture: "arm", variant: "v7")
        // The best match, not the first.
        #expect(try Self.chosen(Self.list([i386, amd64]), for: "linux/amd64") == "1")
        // A lesser one when it is all there is; the list's order between equals.
        #expect(try Self.chosen(Self.list([arm7, i386]), for: "linux/amd64") == "1")
        #expect(try Self.chosen(Self.list([amd64, amd64]), for: "linux/amd64") == "0")
        #expect(try Self.chosen(Self.list([arm7]), for: "linux/arm64") == "0")
        #expect(try Self.chosen(Self.list([arm7, arm64]), for: "linux/arm64/v8") == "1")
        // An entry with no platform, only after those with one.
        #expect(try Self.chosen(Self.list([nil, amd64]), for: "linux/amd64") == "1")
        #expect(try Self.chosen(Self.list([nil]), for: "linux/amd64") == "0")
        // Attestations never, even with no platform of their own.
        #expect(try Self.chosen(Self.list([amd64], attestationFirst: true), for: "linux/amd64") == "0")
        var onlyAttestation = Self.list([], attestationFirst: true)
        onlyAttestation.manifests[0].platform = nil
        #expect(throws: Image.Refusal.self) { try onlyAttestation.manifest(for: amd64) }
        // An OS feature the wanted platform lacks does not match.
        var windows = Platform(os: "linux", architecture: "amd64")
        windows.osFeatures = ["win32k"]
        #expect(throws: Image.Refusal.self) { try Self.list([windows]).manifest(for: amd64) }
        // A nested index, or anything that is not an image manifest, is not chosen.
        var nested = Self.list([amd64])
        nested.manifests[0].mediaType = Image.MediaType.ociIndex.name
        #expect(throws: Image.Refusal.self) { try nested.manifest(for: amd64) }
    }
}
