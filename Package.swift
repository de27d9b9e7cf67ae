// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "sandbox",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sandbox", targets: ["sandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CLibseccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        .systemLibrary(name: "CLibcap", pkgConfig: "libcap", providers: [.apt(["libcap-dev"])]),
        // Everything between clone and execve, and the few host calls Swift's Glibc module lacks.
        // child/ runs between clone and execve; host/ is the parent's. Their internal headers are found by name.
        .target(name: "CSandbox", dependencies: ["CLibseccomp", "CLibcap"],
                cSettings: [.headerSearchPath("child"), .headerSearchPath("host")]),
        // Every JSON document sandbox reads or writes: a strict parser that names the line and column of a
        // syntax error, Codable through a tree that keeps members in order, and one line naming the JSON path
        // of a wrong value.
        .target(name: "SandboxJSON"),
        // The OCI runtime spec's documents (config.json, state.json, features.json) as pure Codable values.
        .target(name: "SandboxOCI", dependencies: ["SandboxJSON"]),
        // What a container is, decided and touching nothing: specs and the mappings from Docker's flags and an
        // OCI config to them, id maps, mounts, capabilities, seccomp resolution, limits. It imports no system
        // module, so the compiler keeps it pure.
        .target(name: "SandboxPolicy", dependencies: ["SandboxOCI", "SandboxJSON"]),
        // The host effects that carry a spec out: state, id maps, cgroups, seccomp compiling, the launch.
        .target(name: "SandboxLinux", dependencies: ["SandboxPolicy", "SandboxOCI", "SandboxJSON", "CSandbox"]),
        // The command line, one file per subcommand.
        .executableTarget(
            name: "sandbox",
            dependencies: ["SandboxPolicy", "SandboxLinux", "SandboxOCI", "SandboxJSON", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Each target's tests, in the folders of its sources. SandboxPolicyTests import nothing of the host: the
        // compiler keeps the policy's tests pure, as it keeps the policy.
        .testTarget(name: "SandboxPolicyTests", dependencies: ["SandboxPolicy", "SandboxOCI", "SandboxJSON", "PolicyFixtures"]),
        // The effects, against fakes where a test cannot own the host's (a cgroup tree in a temporary directory),
        // and this machine's libseccomp.
        .testTarget(name: "SandboxLinuxTests", dependencies: ["SandboxLinux", "SandboxPolicy", "SandboxOCI", "SandboxJSON", "CSandbox", "PolicyFixtures"]),
        .testTarget(name: "SandboxJSONTests", dependencies: ["SandboxJSON"]),
        .testTarget(name: "SandboxOCITests", dependencies: ["SandboxOCI", "SandboxJSON"]),
        // Specs and hosts made up for the tests of both, decided by SandboxPolicy alone.
        .target(name: "PolicyFixtures", dependencies: ["SandboxPolicy", "SandboxOCI", "SandboxJSON"], path: "Tests/PolicyFixtures"),
        // Real containers: through the built binary, and through SandboxLinux for the fields no flag reaches.
        .testTarget(name: "ContainerTests", dependencies: ["sandbox", "SandboxLinux", "SandboxPolicy"], exclude: ["Profiles"]),
        // libFuzzer targets for the parsers, built with libFuzzer by `make fuzz`; a plain build replays files
        // through them, and FuzzCorpusTests replays their seed corpus.
        .executableTarget(name: "sandbox-fuzz", dependencies: ["SandboxPolicy", "SandboxLinux", "SandboxOCI", "SandboxJSON"], path: "Tests/Fuzz",
                          exclude: ["Corpus"]),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["sandbox-fuzz"]),
    ]
)
