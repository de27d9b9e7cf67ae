import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// How Docker's verbs on several containers (stop, kill, rm, restart) report, as the docker CLI does: each
/// container in turn, its reference printed as given once done, a failure one line on standard error (and in
/// --log) without stopping the others, and exit status 1 when any failed.
enum EachContainer {
    static func run(_ containers: [String], global: GlobalOptions, printing: Bool = true,
                    _ body: (Runtime, String) throws -> Void) throws {
        var failed = false
        func report(_ error: SandboxError) {
            global.record(error.description, level: "error")
            printError(error.description)
            failed = true
        }
        do {
            let runtime = try Runtime(root: global.root, environment: RunOptions.hostEnvironment)
            for container in containers {
                do {
                    try body(runtime, container)
                    if printing { print(container) }
                } catch let error as SandboxError {
                    report(error)
                }
            }
        } catch let error as SandboxError {
            report(error)
        }
        if failed { throw ExitCode(1) }
    }
}
