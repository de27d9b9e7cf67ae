extension OCI.Image.Platform {
    /// The canonical form two platforms are compared in, as containerd's `platforms.Normalize`: lowercase;
    /// `x86_64` is `amd64`, `aarch64` is `arm64`, `i386` is `386`; arm64's `v8` and amd64's `v1` are no
    /// variant, arm's missing variant is `v7`; `armhf` is `arm/v7` and `armel` `arm/v6`.
    public var normalized: Self {
        var result = self
        result.os = os.lowercased() == "macos" ? "darwin" : os.lowercased()
        (result.architecture, result.variant) = Self.normalize(architecture: architecture, variant: variant ?? "")
        if let features = osFeatures, !features.isEmpty {
            result.osFeatures = features.sorted().reduce(into: []) { unique, feature in
                if unique.last != feature { unique.append(feature) }
            }
        }
        return result
    }

    static func normalize(architecture: String, variant: String) -> (String, String?) {
        let architecture = architecture.lowercased(), variant = variant.lowercased()
        let result: (String, String) = switch architecture {
        case "i386": ("386", "")
        case "x86_64", "x86-64", "amd64": ("amd64", variant == "v1" ? "" : variant)
        case "aarch64", "arm64":
            switch variant {
            case "8", "v8", "v8.0": ("arm64", "")
            case "9", "9.0", "v9.0": ("arm64", "v9")
            default: ("arm64", variant)
            }
        case "armhf": ("arm", "v7")
        case "armel": ("arm", "v6")
        case "arm":
            switch variant {
            case "", "7": ("arm", "v7")
            case "5", "6", "8": ("arm", "v" + variant)
            default: ("arm", variant)
            }
        default: (architecture, variant)
        }
        return (result.0, result.1.isEmpty ? nil : result.1)
    }

    /// The platforms whose images run here, best first, as containerd's `platforms.Only` orders them: amd64
    /// runs its lower microarchitecture levels and 386; arm runs its older variants down to v5; arm64 runs its
    /// older minor versions (v9.x also v8.(x+5)), then 32-bit arm from v8 down. A variant past the last there
    /// is (amd64 v4, arm v8) is followed by the real ones only.
    public var compatible: [Self] {
        let wanted = normalized
        func with(architecture: String, variant: String?) -> Self {
            var platform = wanted
            platform.architecture = architecture
            platform.variant = variant
            return platform
        }
        var vector = [wanted]
        switch wanted.architecture {
        case "amd64":
            if let level = Self.version(wanted.variant), level > 1 {
                vector += (1..<min(level, Self.amd64Levels + 1)).reversed().map { with(architecture: "amd64", variant: "v\($0)") }
            }
            vector.append(with(architecture: "386", variant: nil))
        case "arm":
            if let version = Self.version(wanted.variant), version > 5 {
                vector += (5..<min(version, Self.armVersions + 1)).reversed().map { with(architecture: "arm", variant: "v\($0)") }
            }
        case "arm64":
            let variant = wanted.variant ?? "v8"
            vector = []
            guard let versions = Self.arm64Versions(variant) else { break }
            for (major, newestMinor) in versions {
                for minor in (0...newestMinor).reversed() {
                    vector.append(with(architecture: "arm64", variant: minor == 0 ? "v\(major)" : "v\(major).\(minor)"))
                }
            }
            // Every arm64 runs 32-bit arm, v8 and below.
            vector += with(architecture: "arm", variant: "v8").compatible
        default:
            break
        }
        return vector
    }

    /// The highest amd64 microarchitecture level and 32-bit arm version there are. containerd lists every
    /// number below a variant, a billion of them for `arm/v1000000000`; sandbox lists those below these.
    static let amd64Levels = 4, armVersions = 8

    /// `vN` as N, as Go's `strconv.Atoi(strings.TrimPrefix(variant, "v"))` reads it.
    private static func version(_ variant: String?) -> Int? {
        guard let variant else { return nil }
        return Int(variant.hasPrefix("v") ? String(variant.dropFirst()) : variant)
    }

    /// containerd's `arm64variantToVersion`: for v8.0 to v8.9 their own minor versions; for v9.0 to v9.7 those
    /// of v9, then of v8 up to five minor versions on (at most v8.9). nil for any other variant.
    private static func arm64Versions(_ variant: String) -> [(major: Int, minor: Int)]? {
        let parts = variant.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        guard variant.hasPrefix("v"), (1...2).contains(parts.count), parts.allSatisfy({ $0.count == 1 }),
              let major = Int(parts[0]), let minor = parts.count == 2 ? Int(parts[1]) : 0
        else { return nil }
        switch (major, minor) {
        case (8, 0...9): return [(8, minor)]
        case (9, 0...7): return [(9, minor), (8, min(minor + 5, 9))]
        default: return nil
        }
    }

    /// Whether an image for `candidate` is one for this platform, normalized, as containerd's matcher compares
    /// them: the same OS, architecture and variant, and no OS feature this platform lacks. (Windows' OS
    /// versions, which containerd compares too, are nothing to a Linux runtime.)
    func matches(_ candidate: Self) -> Bool {
        let wanted = normalized, candidate = candidate.normalized
        return wanted.os == candidate.os && wanted.architecture == candidate.architecture && wanted.variant == candidate.variant
            && (candidate.osFeatures ?? []).allSatisfy { (wanted.osFeatures ?? []).contains($0) }
    }
}

extension OCI.Image.Index {
    /// The manifest to run on `platform`, chosen as Docker's pull chooses it (moby's `filterManifests` with
    /// containerd's `platforms.Only`): among the image manifests, the one whose platform comes first in
    /// `platform.compatible`, the index's order breaking ties; an entry without a platform only after all
    /// those with one. BuildKit's attestations and nested indexes are never chosen.
    ///
    /// - Throws: Docker's words, `no matching manifest for linux/amd64 in the manifest list entries`.
    public func manifest(for platform: OCI.Image.Platform) throws(OCI.Image.Refusal) -> OCI.Image.Descriptor {
        let order = platform.compatible
        var best: (rank: Int, descriptor: OCI.Image.Descriptor)?
        for descriptor in manifests where OCI.Image.MediaType.named(descriptor.mediaType)?.kind == .manifest && !descriptor.isAttestation {
            let rank = if let candidate = descriptor.platform {
                order.firstIndex { $0.matches(candidate) }
            } else {
                order.count
            }
            if let rank, rank < best?.rank ?? .max { best = (rank, descriptor) }
        }
        guard let best else {
            throw OCI.Image.Refusal("no matching manifest for \(platform.normalized) in the manifest list entries")
        }
        return best.descriptor
    }
}
