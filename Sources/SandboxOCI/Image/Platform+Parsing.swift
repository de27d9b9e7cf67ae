extension OCI.Image.Platform {
    /// `--platform`: `os[/architecture[/variant]]`, or an OS or an architecture alone, read as containerd's
    /// `platforms.Parse` reads it; the part not given is the host's (`host`). Windows' OS versions and features
    /// (`windows(10.0.17763)`) are nothing a Linux runtime runs, and are refused.
    public init(parsing text: String, host: Self) throws(OCI.Image.Refusal) {
        let quoted = OCI.Image.Refusal.quote(text)
        guard !text.contains("*") else { throw OCI.Image.Refusal("invalid platform \(quoted): wildcards not yet supported") }
        let parts = text.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            let allowed: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || (index > 0 && $0 == ".")) }
            guard !part.isEmpty, part.allSatisfy(allowed) else {
                let what = index == 0 ? "OS" : "platform"
                let rule = index == 0 ? "letters, digits, '_' and '-'" : "letters, digits, '_', '.' and '-'"
                throw OCI.Image.Refusal("invalid platform \(quoted): \(OCI.Image.Refusal.quote(String(part))) is not a valid \(what) component (\(rule))")
            }
        }
        let os = parts[0].lowercased() == "macos" ? "darwin" : parts[0].lowercased()
        switch parts.count {
        case 1:
            if Self.knownOperatingSystems.contains(os) {
                self = Self(os: os, architecture: host.architecture, variant: host.architecture == "arm" && host.variant != "v7" ? host.variant : nil)
                return
            }
            self = Self(os: host.os, architecture: String(parts[0]))
            (architecture, variant) = Self.normalize(architecture: String(parts[0]), variant: "")
            if architecture == "arm" && variant == "v7" { variant = nil }
            guard Self.knownArchitectures.contains(architecture) else {
                throw OCI.Image.Refusal("invalid platform \(quoted): unknown operating system or architecture")
            }
        case 2:
            self = Self(os: os, architecture: "")
            (architecture, variant) = Self.normalize(architecture: String(parts[1]), variant: "")
            if architecture == "arm" && variant == "v7" { variant = nil }
        case 3:
            self = Self(os: os, architecture: "")
            (architecture, variant) = Self.normalize(architecture: String(parts[1]), variant: String(parts[2]))
            if architecture == "arm64" && variant == nil { variant = "v8" }
        default:
            throw OCI.Image.Refusal("invalid platform \(quoted): expected OS[/ARCHITECTURE[/VARIANT]], such as linux/amd64")
        }
    }

    /// Go's `GOOS` values (go/build/syslist.go), as containerd knows them.
    static let knownOperatingSystems = [
        "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl", "netbsd",
        "openbsd", "plan9", "solaris", "windows", "zos",
    ]

    /// Go's `GOARCH` values, as containerd knows them.
    static let knownArchitectures = [
        "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "ppc64", "ppc64le", "loong64", "mips", "mipsle",
        "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
    ]
}
