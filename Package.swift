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
        .target(name: "CSandbox", dependencies: ["CLibseccomp", "CLibcap"]),
        // Model and policy (specs, id maps, mounts), and the host effects that carry them out.
        .target(name: "SandboxKit", dependencies: ["CSandbox", "CLibcap"]),
        // The command line, one file per subcommand.
        .executableTarget(
            name: "sandbox",
            dependencies: ["SandboxKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // libFuzzer targets for the parsers, built with libFuzzer by `make fuzz`; a plain build replays files
        // through them, and the unit tests replay their seed corpus.
        .executableTarget(name: "sandbox-fuzz", dependencies: ["SandboxKit"], path: "Tests/Fuzz", exclude: ["Corpus"]),
        .testTarget(name: "SandboxKitTests", dependencies: ["SandboxKit", "sandbox-fuzz"]),
        .testTarget(name: "ContainerTests", dependencies: ["sandbox"], exclude: ["Profiles"]),
    ]
)
