import Testing
@testable import SandboxPolicy

/// References as distribution/reference reads them (`ParseDockerRef`), its own tests' cases first.
struct ImageReferenceTests {
    static let hex = String(repeating: "f", count: 64)
    static let digest = "sha256:" + hex

    /// `TestValidateReferenceName` and `TestValidateRemoteName`'s valid names.
    @Test(arguments: [
        "docker/docker", "library/debian", "debian", "localhost/library/debian", "localhost/debian", "LOCALDOMAIN/library/debian",
        "LOCALDOMAIN/debian", "docker.io/docker/docker", "docker.io/library/debian", "docker.io/debian", "index.docker.io/docker/docker",
        "index.docker.io/library/debian", "index.docker.io/debian", "127.0.0.1:5000/docker/docker", "127.0.0.1:5000/library/debian",
        "127.0.0.1:5000/debian", "192.168.0.1", "192.168.0.1:80", "192.168.0.1:8/debian", "192.168.0.2:25000/debian",
        "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", "[fc00::1]:5000/docker", "[fc00::1]:5000/docker/docker",
        "[fc00:1:2:3:4:5:6:7]:5000/library/debian", "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
        "Docker/docker", "DOCKER/docker", "docker-rules/docker", "docker---rules/docker", "doc/docker", "d/docker", "jess/t",
        "dock__er/docker", "example.com/" + String(repeating: "a", count: 255) + ":tag",
        String(repeating: "a/", count: 127) + "a:tag-puts-this-over-max", "busybox:" + String(repeating: "t", count: 128),
    ])
    func valid(text: String) throws {
        _ = try ImageReference(parsing: text)
    }

    /// Their invalid names, each refused with a line that names the part that is wrong.
    @Test(arguments: [
        ("https://github.com/docker/docker", "registry \"https:\" is not a host name, IPv4 address or [IPv6 address] with an optional :port"),
        ("docker/Docker", "repository name must be lowercase"),
        ("Busybox", "repository name must be lowercase"),
        ("Uppercase:tag", "repository name must be lowercase"),
        ("test:5000/Uppercase/lowercase:tag", "repository name must be lowercase"),
        ("docker.io/docker/Docker", "repository name must be lowercase"),
        ("-docker", "repository name component \"-docker\" is invalid: lowercase letters and digits, separated by one '.', one or two '_' or any '-'s"),
        ("-docker/docker", "repository name component \"-docker\" is invalid: lowercase letters and digits, separated by one '.', one or two '_' or any '-'s"),
        ("-docker.io/docker/docker", "registry \"-docker.io\" is not a host name, IPv4 address or [IPv6 address] with an optional :port"),
        ("docker///docker", "repository name has an empty component"),
        ("docker.io/docker///docker", "repository name has an empty component"),
        ("docker/", "repository name has an empty component"),
        (":justtag", "repository name has an empty component"),
        ("@" + digest, "repository name has an empty component"),
        ("[fc00::1]", "repository name component \"[fc00\" is invalid: lowercase letters and digits, separated by one '.', one or two '_' or any '-'s"),
        ("[fc00::1]:5000", "repository name component \"[fc00\" is invalid: lowercase letters and digits, separated by one '.', one or two '_' or any '-'s"),
        ("fc00::1:5000/debian", "registry \"fc00::1:5000\" is not a host name, IPv4 address or [IPv6 address] with an optional :port"),
        ("[fe80::1%eth0]:5000/debian", "registry \"[fe80::1%eth0]:5000\" is not a host name, IPv4 address or [IPv6 address] with an optional :port"),
        ("[2001:db8:3:4::192.0.2.33]:5000/debian", "registry \"[2001:db8:3:4::192.0.2.33]:5000\" is not a host name, IPv4 address or [IPv6 address] with an optional :port"),
        ("1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", "cannot specify 64-byte hexadecimal strings (an image ID is no repository name)"),
        ("docker-/docker", "repository name component \"docker-\" is invalid: lowercase letters and digits, separated by one '.', one or two '_' or any '-'s"),
        ("____/____", "repository name component \"____\" is invalid: lowercase letters and digits, separated by one '.', one or two '_' or any '-'s"),
        ("_docker/_docker", "repository name component \"_docker\" is invalid: lowercase letters and digits, separated by one '.', one or two '_' or any '-'s"),
        ("dock..er/docker", "registry \"dock..er\" is not a host name, IPv4 address or [IPv6 address] with an optional :port"),
        ("dock_.er/docker", "registry \"dock_.er\" is not a host name, IPv4 address or [IPv6 address] with an optional :port"),
        ("dock___er/docker", "repository name component \"dock___er\" is invalid: lowercase letters and digits, separated by one '.', one or two '_' or any '-'s"),
        ("aa/asdf$$^/aa", "repository name component \"asdf$$^\" is invalid: lowercase letters and digits, separated by one '.', one or two '_' or any '-'s"),
        ("domain/" + String(repeating: "a", count: 256) + ":tag", "repository name must not be more than 255 characters"),
        ("busybox:", "invalid tag format: the tag after ':' is empty"),
        ("busybox:" + String(repeating: "t", count: 129), "invalid tag format: a tag has at most 128 characters, this one 129"),
        ("busybox:-x", "invalid tag format: \"-x\" (letters, digits, '_', '.' and '-', not starting with '.' or '-')"),
        ("busybox:a+b", "invalid tag format: \"a+b\" (letters, digits, '_', '.' and '-', not starting with '.' or '-')"),
        ("busybox:a:b", "invalid tag format: \"a:b\" (letters, digits, '_', '.' and '-', not starting with '.' or '-')"),
        ("repo@sha256:ffffffffffffffffffffffffffffffffff", "invalid checksum digest length: sha256 has 64 hexadecimal digits, \"sha256:ffffffffffffffffffffffffffffffffff\" has 34"),
        ("validname@invaliddigest:" + hex, "unsupported digest algorithm in \"invaliddigest:\(hex)\" (supported: sha256, sha512)"),
        ("busybox@sha256:" + hex.uppercased(), "invalid checksum digest format \"sha256:\(hex.uppercased())\": lowercase hexadecimal digits only"),
        ("busybox@", "invalid checksum digest format \"\": expected ALGORITHM:HEX, such as sha256: and 64 hexadecimal digits"),
        ("", "repository name must have at least one component"),
        // Docker reads this as a repository with no registry at all, which no pull can reach.
        ("a_b.c/d", "registry \"a_b.c\" is not a host name, IPv4 address or [IPv6 address] with an optional :port"),
    ])
    func refused(text: String, problem: String) {
        let error = #expect(throws: SandboxError.self) { try ImageReference(parsing: text) }
        #expect(error?.message == "invalid reference \"\(text)\": \(problem)")
    }

    /// `TestParseRepositoryInfo`: each of a repository's spellings reads as the same one.
    @Test(arguments: [
        (["localhost/fooo"], "localhost", "fooo", "localhost/fooo"),
        (["localhost/fooo/bar"], "localhost", "fooo/bar", "localhost/fooo/bar"),
        (["LOCALDOMAIN/fooo"], "LOCALDOMAIN", "fooo", "LOCALDOMAIN/fooo"),
        (["fooo/bar", "docker.io/fooo/bar", "index.docker.io/fooo/bar"], "docker.io", "fooo/bar", "fooo/bar"),
        (["ubuntu", "docker.io/library/ubuntu", "library/ubuntu"], "docker.io", "library/ubuntu", "ubuntu"),
        (["nonlibrary/ubuntu"], "docker.io", "nonlibrary/ubuntu", "nonlibrary/ubuntu"),
        (["other/library"], "docker.io", "other/library", "other/library"),
        (["127.0.0.1:8000/private/moonbase"], "127.0.0.1:8000", "private/moonbase", "127.0.0.1:8000/private/moonbase"),
        (["example.com:8000/privatebasee"], "example.com:8000", "privatebasee", "example.com:8000/privatebasee"),
        (["ubuntu-12.04-base", "index.docker.io/library/ubuntu-12.04-base"], "docker.io", "library/ubuntu-12.04-base", "ubuntu-12.04-base"),
        (["foo", "docker.io/foo"], "docker.io", "library/foo", "foo"),
        (["library/foo/bar"], "docker.io", "library/foo/bar", "library/foo/bar"),
        (["store/foo/bar"], "docker.io", "store/foo/bar", "store/foo/bar"),
        (["Foo/bar"], "Foo", "bar", "Foo/bar"),
        (["test_com/foo"], "docker.io", "test_com/foo", "test_com/foo"),
        (["test-com:8080/foo"], "test-com:8080", "foo", "test-com:8080/foo"),
        (["xn--n3h.com:18080/foo"], "xn--n3h.com:18080", "foo", "xn--n3h.com:18080/foo"),
        (["192.168.1.1"], "docker.io", "library/192.168.1.1", "192.168.1.1"),
        (["[2001:db8::1]/repo"], "[2001:db8::1]", "repo", "[2001:db8::1]/repo"),
        (["[::1]:5000/repo"], "[::1]:5000", "repo", "[::1]:5000/repo"),
    ])
    func repositories(spellings: [String], domain: String, path: String, familiar: String) throws {
        for text in spellings {
            let reference = try ImageReference(parsing: text)
            #expect(reference.domain == domain, "\(text)")
            #expect(reference.path == path, "\(text)")
            #expect(reference.name == domain + "/" + path, "\(text)")
            #expect(reference.familiarName == familiar, "\(text)")
            #expect(reference.tag == "latest" && reference.digest == nil, "\(text)")
        }
    }

    /// `TestParseDockerRef` and `TestReferenceParse`: tags and digests, the default tag only without either.
    @Test(arguments: [
        ("busybox", "docker.io/library/busybox:latest", "busybox:latest"),
        ("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36"),
        ("busybox@" + digest, "docker.io/library/busybox@" + digest, "busybox@" + digest),
        ("busybox:latest@" + digest, "docker.io/library/busybox:latest@" + digest, "busybox:latest@" + digest),
        ("docker.io/busybox:latest", "docker.io/library/busybox:latest", "busybox:latest"),
        ("user/app", "docker.io/user/app:latest", "user/app:latest"),
        ("gcr.io/library/busybox", "gcr.io/library/busybox:latest", "gcr.io/library/busybox:latest"),
        ("host:5000/a/b:tag", "host:5000/a/b:tag", "host:5000/a/b:tag"),
        ("test:5000/repo:tag@" + digest, "test:5000/repo:tag@" + digest, "test:5000/repo:tag@" + digest),
        ("test.com:5000", "docker.io/library/test.com:5000", "test.com:5000"),
        ("lowercase:Uppercase", "docker.io/library/lowercase:Uppercase", "lowercase:Uppercase"),
        ("b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io/test.example.com/my-app:test.example.com",
         "b.gcr.io/test.example.com/my-app:test.example.com"),
        ("foo/foo_bar.com:8080", "docker.io/foo/foo_bar.com:8080", "foo/foo_bar.com:8080"),
        ("[2001:db8::1]:5000/repo:tag@" + digest, "[2001:db8::1]:5000/repo:tag@" + digest, "[2001:db8::1]:5000/repo:tag@" + digest),
        ("localhost/x", "localhost/x:latest", "localhost/x:latest"),
        ("busybox@sha512:" + hex + hex, "docker.io/library/busybox@sha512:" + hex + hex, "busybox@sha512:" + hex + hex),
        // Where Docker's familiar form would name another registry's image, sandbox's keeps Docker Hub's name.
        ("docker.io/example.com/app", "docker.io/example.com/app:latest", "docker.io/example.com/app:latest"),
        ("docker.io/localhost/app:1", "docker.io/localhost/app:1", "docker.io/localhost/app:1"),
        ("docker.io/index.docker.io/app", "docker.io/index.docker.io/app:latest", "docker.io/index.docker.io/app:latest"),
    ])
    func written(text: String, canonical: String, familiar: String) throws {
        let reference = try ImageReference(parsing: text)
        #expect(reference.description == canonical)
        #expect(reference.familiarDescription == familiar)
        // Either form reads back as the same reference.
        #expect(try ImageReference(parsing: canonical) == reference)
        #expect(try ImageReference(parsing: familiar) == reference)
    }

    @Test func digestsPin() throws {
        let pinned = try ImageReference(parsing: "busybox@" + Self.digest)
        #expect(pinned.tag == nil)
        #expect(pinned.digest?.description == Self.digest)
        let both = try ImageReference(parsing: "busybox:1.36@" + Self.digest)
        #expect(both.tag == "1.36" && both.digest == pinned.digest)
    }

    /// Docker Hub's registry answers on its own host, and keeps its credentials under its old index's key.
    @Test func registries() throws {
        let hub = try ImageReference(parsing: "busybox")
        #expect(hub.registryHost == "registry-1.docker.io")
        #expect(hub.credentialKey == "https://index.docker.io/v1/")
        let local = try ImageReference(parsing: "localhost:5000/a/b")
        #expect(local.registryHost == "localhost:5000")
        #expect(local.credentialKey == "localhost:5000")
    }
}
