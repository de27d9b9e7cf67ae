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
enum DockerReferenceGrammar {
    static let alphanumeric = "[a-z0-9]+"
    static let separator = "(?:[._]|__|[-]+)"
    static let domainNameComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
    static let optionalPort = "(?::[0-9]+)?"
    static let tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
    static let digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}"
    static let ipv6 = "\\[(?:[a-fA-F0-9:]+)\\]"
    static let domainName = domainNameComponent + "(?:\\." + domainNameComponent + ")*"
    static let domainAndPort = "(?:" + domainName + "|" + ipv6 + ")" + optionalPort
    static let pathComponent = alphanumeric + "(?:" + separator + alphanumeric + ")*"
    static let remoteName = pathComponent + "(?:/" + pathComponent + ")*"
    static let name = "(?:" + domainAndPort + "/)?" + remoteName
    nonisolated(unsafe) static let reference = try! Regex("^(" + name + ")(?::(" + tag + "))?(?:@(" + digest + "))?$")
    nonisolated(unsafe) static let anchoredName = try! Regex("^(?:(" + domainAndPort + ")/)?(" + remoteName + ")$")
    nonisolated(unsafe) static let identifier = try! Regex("^[a-f0-9]{64}$")
    nonisolated(unsafe) static let encoded = try! Regex("^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$")

    static func parse(_ text: String) -> (String, String, String?, String?)? {
        guard !text.isEmpty, (try? identifier.wholeMatch(in: text)) == nil else { return nil }
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
        guard let match = try? reference.wholeMatch(in: domain + "/" + remainder),
              let fullName = match.output[1].substring,
              let nameMatch = try? anchoredName.wholeMatch(in: String(fullName)),
              let matchedDomain = nameMatch.output[1].substring, let path = nameMatch.output[2].substring,
              path.utf8.count <= 255
        else { return nil }
        let digest = match.output[3].substring.map(String.init)
        if let digest, (try? encoded.wholeMatch(in: digest)) == nil { return nil }
        let tag = match.output[2].substring.map(String.init) ?? (digest == nil ? "latest" : nil)
        return (String(matchedDomain), String(path), tag, digest)
    }
}
