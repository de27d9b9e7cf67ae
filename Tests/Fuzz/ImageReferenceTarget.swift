import Glibc
import SandboxPolicy

extension FuzzTarget {
    /// An image reference: accepted exactly when distribution/reference's regular expressions accept it
    /// (`DockerReferenceGrammar`, built from regexp.go's patterns), read as the same parts they capture, and
    /// written, in full or familiar, as a reference that reads back as itself.
    static let imageReference = FuzzTarget(name: "image-reference") { bytes in
        let text = FuzzInput.text(bytes)
        let expected = DockerReferenceGrammar.parse(text)
        let reference: ImageReference
        do {
            reference = try ImageReference(parsing: text)
        } catch let error as SandboxError {
            guard expected == nil else { fatalError("image-reference: \"\(text)\" is refused (\(error)), Docker reads it as \(expected!)") }
            throw error
        }
        let parts = (reference.domain, reference.path, reference.tag, reference.digest?.description)
        guard let expected, expected == parts else {
            fatalError("image-reference: \"\(text)\" reads as \(parts), Docker reads it as \(String(describing: expected))")
        }
        for written in [reference.description, reference.familiarDescription] {
            guard (try? ImageReference(parsing: written)) == reference else {
                fatalError("image-reference: \"\(text)\" is written \"\(written)\", which does not read back as it")
            }
        }
    }
}

/// distribution/reference's `ParseDockerRef`, with its regular expressions, as the fuzzer's oracle: the parts
/// of a reference it accepts, nil for one it refuses. Two differences are sandbox's, and are kept here: of the
/// digests go-digest accepts, only sha256 and sha512 (the image spec's); and a first component that is no
/// valid registry but a valid repository component (`a_b.c/d`), which Docker reads as a name with no registry
/// at all, is refused.
///
/// The expressions run on glibc's POSIX engine, whose time grows with the input polynomially: Swift's
/// backtracking one took minutes on a 300-byte name of dotted words. POSIX groups all capture, so each
/// capture's index is counted; POSIX takes the longest match of a group where Go takes the first, which for
/// these expressions splits a reference the same way (a name holds no `:` or `@`, a domain no `/`).
enum DockerReferenceGrammar {
    static let alphanumeric = "[a-z0-9]+"
    static let separator = "([._]|__|[-]+)"
    static let domainNameComponent = "([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
    static let optionalPort = "(:[0-9]+)?"
    static let tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
    static let digest = "[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}"
    static let ipv6 = "\\[([a-fA-F0-9:]+)\\]"
    static let domainName = domainNameComponent + "(\\." + domainNameComponent + ")*"
    static let domainAndPort = "(" + domainName + "|" + ipv6 + ")" + optionalPort
    static let pathComponent = alphanumeric + "(" + separator + alphanumeric + ")*"
    static let remoteName = pathComponent + "(/" + pathComponent + ")*"
    static let name = "(" + domainAndPort + "/)?" + remoteName
    static func groups(_ pattern: String) -> Int { pattern.count { $0 == "(" } }
    static let reference = POSIXRegex("^(" + name + ")(:(" + tag + "))?(@(" + digest + "))?$")
    static let (nameGroup, tagGroup, digestGroup) = (1, 3 + groups(name), 5 + groups(name))
    static let anchoredName = POSIXRegex("^((" + domainAndPort + ")/)?(" + remoteName + ")$")
    static let (domainGroup, pathGroup) = (2, 3 + groups(domainAndPort))
    static let identifier = POSIXRegex("^[a-f0-9]{64}$")
    static let encoded = POSIXRegex("^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$")

    static func parse(_ text: String) -> (String, String, String?, String?)? {
        guard !text.isEmpty, identifier.match(text) == nil else { return nil }
        // splitDockerDomain
        var domain = "docker.io", remainder = text
        if let slash = text.firstIndex(of: "/") {
            let first = text[..<slash]
            if first == "localhost" || first.contains(".") || first.contains(":") || first.lowercased() != first {
                domain = first == "index.docker.io" ? "docker.io" : String(first)
                remainder = String(text[text.index(after: slash)...])
            }
        }
        if domain == "docker.io" && !remainder.contains("/") { remainder = "library/" + remainder }
        let remote = remainder.prefix { $0 != ":" }
        guard remote.lowercased() == remote else { return nil }
        guard let match = reference.match(domain + "/" + remainder), let fullName = match[nameGroup],
              let nameMatch = anchoredName.match(fullName),
              let matchedDomain = nameMatch[domainGroup], let path = nameMatch[pathGroup], path.utf8.count <= 255
        else { return nil }
        let digest = match[digestGroup]
        if let digest, encoded.match(digest) == nil { return nil }
        let tag = match[tagGroup] ?? (digest == nil ? "latest" : nil)
        return (matchedDomain, path, tag, digest)
    }
}

/// A POSIX extended regular expression, compiled once by glibc.
final class POSIXRegex: @unchecked Sendable {
    private var compiled = regex_t()
    private let groups: Int

    init(_ pattern: String) {
        guard regcomp(&compiled, pattern, REG_EXTENDED) == 0 else { fatalError("regcomp failed for \(pattern)") }
        groups = Int(compiled.re_nsub)
    }

    /// Each group's text (0 the whole match), nil where the group took no part; nil when there is no match.
    func match(_ text: String) -> [String?]? {
        var matches = [regmatch_t](repeating: regmatch_t(), count: groups + 1)
        let bytes = Array(text.utf8)
        guard !bytes.contains(0), regexec(&compiled, text, matches.count, &matches, 0) == 0 else { return nil }
        return matches.map { $0.rm_so < 0 ? nil : String(decoding: bytes[Int($0.rm_so)..<Int($0.rm_eo)], as: UTF8.self) }
    }
}
