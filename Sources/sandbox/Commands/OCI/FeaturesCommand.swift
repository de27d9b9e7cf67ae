import ArgumentParser
import SandboxJSON
import SandboxLinux
import SandboxOCI

/// `features`: what this runtime implements, as the runtime spec's features.json.
struct FeaturesCommand: RuntimeCommand {
    static let configuration = CommandConfiguration(commandName: "features", abstract: "Print what sandbox implements, as JSON (OCI).")

    @ParentCommand var parent: Sandbox

    func execute(_ runtime: Runtime) throws {
        print(try JSON.encode(OCI.Features.sandbox), terminator: "")
    }
}
