import FoundationEssentials
import Glibc

/// `sandbox-fuzz TARGET ARGUMENTS...`, one binary for every target.
///
/// Built by `make fuzz` (`-sanitize=fuzzer -DFUZZING`), it hands ARGUMENTS to libFuzzer, which fuzzes TARGET
/// from the corpus directories they name. In a plain build it runs the files ARGUMENTS names through TARGET,
/// so that a crash `make fuzz` saved can be followed in a debugger; the unit tests replay the seed corpus.
@main
struct FuzzMain {
    static func main() {
        var arguments = CommandLine.arguments
        // libFuzzer starts itself again without TARGET (-fork, -merge, -minimize_crash): the environment keeps it.
        if arguments.count > 1, let target = FuzzTarget.named(arguments[1]) {
            setenv("FUZZ_TARGET", target.name, 1)
            arguments.remove(at: 1)
        }
        guard let name = getenv("FUZZ_TARGET").map({ String(cString: $0) }), let target = FuzzTarget.named(name) else {
            print("usage: sandbox-fuzz TARGET ARGUMENTS...")
            print("targets: " + FuzzTarget.all.map(\.name).joined(separator: " "))
            exit(2)
        }
        #if FUZZING
        exit(Fuzzing.run(arguments))
        #else
        for path in arguments.dropFirst() {
            guard let bytes = try? Data(contentsOf: URL(filePath: path)) else {
                print("\(path): cannot be read")
                exit(1)
            }
            target.run(Array(bytes))
            print("\(path): ok")
        }
        #endif
    }
}

#if FUZZING
/// SwiftPM links an executable's entry point as `main` on Linux, in place of the one libFuzzer brings, so
/// sandbox-fuzz starts libFuzzer's driver itself. `@_extern(c)` declares it without a C header; `make fuzz`
/// enables the feature.
enum Fuzzing {
    /// What `main` chose: libFuzzer calls back with the input alone.
    static let target = getenv("FUZZ_TARGET").flatMap { FuzzTarget.named(String(cString: $0)) }

    static func run(_ arguments: [String]) -> CInt {
        var strings = arguments.map { strdup($0) } + [nil]
        var argc = CInt(arguments.count)
        return strings.withUnsafeMutableBufferPointer { buffer in
            var argv = buffer.baseAddress
            return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput)
        }
    }
}

@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// libFuzzer's runtime refers to this name even though its own `main` is not used.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    Fuzzing.target?.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
#endif
