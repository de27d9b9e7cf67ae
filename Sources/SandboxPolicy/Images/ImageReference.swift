import SandboxOCI

/// An image's name as Docker reads one (distribution/reference's `ParseDockerRef`): `busybox` is
/// `docker.io/library/busybox:latest`; `user/app` is `docker.io/user/app:latest`; `host:5000/a/b:tag` names its
/// registry; `name@sha256:...` pins the content, and may keep a tag beside it.
///
/// The first component is the registry when it has a `.` or a `:`, is `localhost`, or has an uppercase letter
/// (repositories are lowercase); otherwise the image is Docker Hub's. The grammar is distribution/reference's,
/// byte for byte, read without a regular expression; a malformed reference is refused with one line that names
/// the part that is wrong, in Docker's words where Docker has words.
public struct ImageReference: Equatable, Sendable, CustomStringConvertible {
    /// The registry: `docker.io`, `localhost:5000`, `[::1]:5000`, `ghcr.io`.
    public var domain: String
    /// The repository in it: `library/busybox`.
    public var path: String
    /// `latest` when neither a tag nor a digest was given; nil when only a digest was.
    public var tag: String?
    public var digest: OCI.Image.Digest?

    /// Docker Hub's names, and the defaults of a reference that gives no registry or tag.
    public enum DockerHub {
        public static let domain = "docker.io"
        /// The Hub's old name, read as `docker.io`.
        static let legacyDomain = "index.docker.io"
        /// The host its registry API answers on.
        public static let registryHost = "registry-1.docker.io"
        /// The key of its credentials in `~/.docker/config.json`, as `docker login` writes them.
        public static let credentialKey = "https://index.docker.io/v1/"
        /// The namespace of its official images, which a one-component name is in.
        static let officialNamespace = "library/"
        public static let defaultTag = "latest"
    }

    /// The longest repository path Docker accepts, and the longest tag.
    static let maximumPathLength = 255
    static let maximumTagLength = 128

    public init(parsing text: String) throws {
        func refuse(_ problem: String) -> SandboxError { SandboxError("invalid reference \"\(text)\": \(problem)") }
        guard !text.isEmpty else { throw refuse("repository name must have at least one component") }
        if text.utf8.count == 64, text.utf8.allSatisfy(Self.isLowercaseHexadecimal) {
            throw refuse("cannot specify 64-byte hexadecimal strings (an image ID is no repository name)")
        }
        let (domain, remainder) = Self.splitDomain(text)
        var name = remainder[...], tag: Substring?, digest: Substring?
        if let at = name.firstIndex(of: "@") {
            digest = name[name.index(after: at)...]
            name = name[..<at]
        }
        if let colon = name.firstIndex(of: ":") {
            tag = name[name.index(after: colon)...]
            name = name[..<colon]
        }
        if name.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) {
            throw refuse("repository name must be lowercase")
        }
        if domain != DockerHub.domain, !Self.isDomain(domain[...].utf8) {
            throw refuse("registry \"\(domain)\" is not a host name, IPv4 address or [IPv6 address] with an optional :port")
        }
        for component in name.split(separator: "/", omittingEmptySubsequences: false) {
            guard !component.isEmpty else { throw refuse("repository name has an empty component") }
            guard Self.isPathComponent(component.utf8) else {
                throw refuse("repository name component \"\(component)\" is invalid: lowercase letters and digits, separated by one '.', one or two '_' or any '-'s")
            }
        }
        guard name.utf8.count <= Self.maximumPathLength else {
            throw refuse("repository name must not be more than \(Self.maximumPathLength) characters")
        }
        if let tag {
            guard !tag.isEmpty else { throw refuse("invalid tag format: the tag after ':' is empty") }
            guard tag.utf8.count <= Self.maximumTagLength else {
                throw refuse("invalid tag format: a tag has at most \(Self.maximumTagLength) characters, this one \(tag.utf8.count)")
            }
            guard Self.isTag(tag.utf8) else {
                throw refuse("invalid tag format: \"\(tag)\" (letters, digits, '_', '.' and '-', not starting with '.' or '-')")
            }
        }
        if let digest {
            do {
                self.digest = try OCI.Image.Digest(parsing: String(digest))
            } catch {
                throw refuse(error.description)
            }
        }
        self.domain = domain
        path = String(name)
        self.tag = tag.map(String.init) ?? (digest == nil ? DockerHub.defaultTag : nil)
    }

    /// `docker.io/library/busybox`: the registry and the repository.
    public var name: String { domain + "/" + path }

    /// `docker.io/library/busybox:latest`, `docker.io/library/busybox@sha256:...`, or with both.
    public var description: String { name + suffix }

    /// The repository as `docker images` shows it: `busybox`, `user/app`, `localhost:5000/a/b`. Docker Hub's
    /// name is left out, and its `library/` of an official image; but not where the rest would read as another
    /// registry's (`docker.io/example.com/app`), which Docker shows as `example.com/app`.
    public var familiarName: String {
        guard domain == DockerHub.domain else { return name }
        let official = path.dropFirst(DockerHub.officialNamespace.count)
        if path.hasPrefix(DockerHub.officialNamespace) && !official.contains("/") { return String(official) }
        let first = path.prefix { $0 != "/" }
        return first == "localhost" || first.contains(".") ? name : path
    }

    /// The familiar name with the tag and digest: `busybox:latest`, as `docker` prints a reference.
    public var familiarDescription: String { familiarName + suffix }

    /// The host its registry's API answers on: `registry-1.docker.io` for Docker Hub, the domain otherwise.
    public var registryHost: String { domain == DockerHub.domain ? DockerHub.registryHost : domain }

    /// The key of its registry's credentials in `~/.docker/config.json`.
    public var credentialKey: String { domain == DockerHub.domain ? DockerHub.credentialKey : domain }

    private var suffix: String {
        (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0.description } ?? "")
    }
}

extension ImageReference {
    /// distribution/reference's `splitDockerDomain`: the registry, and what follows it (the repository, with
    /// Docker Hub's `library/` for a one-component name there).
    private static func splitDomain(_ text: String) -> (domain: String, remainder: String) {
        var domain = DockerHub.domain, remainder = text
        if let slash = text.firstIndex(of: "/") {
            let first = text[..<slash]
            if first == "localhost" || first.contains(where: { $0 == "." || $0 == ":" })
                || first.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) {
                domain = first == DockerHub.legacyDomain ? DockerHub.domain : String(first)
                remainder = String(text[text.index(after: slash)...])
            }
        }
        if domain == DockerHub.domain && !remainder.contains("/") {
            remainder = DockerHub.officialNamespace + remainder
        }
        return (domain, remainder)
    }

    /// `host[:port]`: a domain name of components (`[a-zA-Z0-9]`, or those with `-` inside), joined by `.`; or
    /// an IPv6 address in brackets (hexadecimal digits and `:`); then optionally `:` and digits.
    static func isDomain(_ text: Substring.UTF8View) -> Bool {
        var host = text[...], port: Substring.UTF8View.SubSequence?
        if host.first == UInt8(ascii: "[") {
            guard let close = host.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let address = host[host.index(after: host.startIndex)..<close]
            guard !address.isEmpty, address.allSatisfy({ isHexadecimal($0) || $0 == UInt8(ascii: ":") }) else { return false }
            let rest = host[host.index(after: close)...]
            guard rest.isEmpty || rest.first == UInt8(ascii: ":") else { return false }
            if !rest.isEmpty { port = rest.dropFirst() }
            host = address
        } else {
            if let colon = host.firstIndex(of: UInt8(ascii: ":")) {
                port = host[host.index(after: colon)...]
                host = host[..<colon]
            }
            let components = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            guard components.allSatisfy(isDomainComponent) else { return false }
        }
        if let port {
            guard !port.isEmpty, port.allSatisfy(isDigit) else { return false }
        }
        return true
    }

    private static func isDomainComponent(_ component: Substring.UTF8View.SubSequence) -> Bool {
        guard let first = component.first, let last = component.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return component.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// `[a-z0-9]+` runs joined by one separator each: `.`, `_`, `__`, or any number of `-`.
    static func isPathComponent(_ component: Substring.UTF8View) -> Bool {
        var index = component.startIndex
        func run() -> Bool {
            let start = index
            while index < component.endIndex, isLowercaseAlphanumeric(component[index]) { index = component.index(after: index) }
            return index > start
        }
        guard run() else { return false }
        while index < component.endIndex {
            let separator = component[index]
            index = component.index(after: index)
            switch separator {
            case UInt8(ascii: "."): break
            case UInt8(ascii: "_"):
                if index < component.endIndex, component[index] == UInt8(ascii: "_") { index = component.index(after: index) }
            case UInt8(ascii: "-"):
                while index < component.endIndex, component[index] == UInt8(ascii: "-") { index = component.index(after: index) }
            default: return false
            }
            guard run() else { return false }
        }
        return true
    }

    /// `[A-Za-z0-9_][A-Za-z0-9_.-]*`, the length checked apart.
    static func isTag(_ tag: Substring.UTF8View) -> Bool {
        guard let first = tag.first, isAlphanumeric(first) || first == UInt8(ascii: "_") else { return false }
        return tag.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    private static func isLowercaseAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
    private static func isAlphanumeric(_ byte: UInt8) -> Bool { isLowercaseAlphanumeric(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }
    private static func isHexadecimal(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
    private static func isLowercaseHexadecimal(_ byte: UInt8) -> Bool { isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) }
}
