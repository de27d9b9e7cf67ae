import ArgumentParser
import Glibc
import SandboxLinux
import SandboxPolicy

@main
struct Sandbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a command in real isolation: namespaces, a remapped root, its own filesystem.",
        subcommands: [RunCommand.self, ProbeCommand.self, SeccompCommand.self]
    )

    /// As `docker run`: every failure of sandbox itself, a bad flag included, is one line and exit 125.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as SandboxError {
            fail(error.description, status: error.exitCode)
        } catch let exit as ExitCode {
            Glibc.exit(exit.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            fail(message(for: error).split(separator: "\n").joined(separator: "; ") + " (see sandbox --help)", status: 125)
        }
    }

    private static func fail(_ message: String, status: Int32) -> Never {
        printError(message)
        Glibc.exit(status)
    }
}
