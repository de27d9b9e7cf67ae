import ArgumentParser
import Glibc
import SandboxLinux
import SandboxPolicy

/// How Docker's verbs on several containers (stop, kill, rm, restart) work and report, as the docker CLI does:
/// on every container at once (stopping ten takes one timeout, not ten), then, in the order given, each
/// container's reference printed as given once done, or the one line saying why it failed (also to --log);
/// exit status 1 when any failed.
enum EachContainer {
    static func run(_ containers: [String], global: GlobalOptions, printing: Bool = true,
                    _ body: (Runtime, String) throws -> Void) throws {
        var failed = false
        func report(_ message: String) {
            global.record(message, level: "error")
            printError(message)
            failed = true
        }
        do {
            let runtime = try Runtime(root: global.root, environment: RunOptions.hostEnvironment)
            let outcomes = containers.count == 1 ? [outcome(body, runtime, containers[0])] : together(containers, body, runtime)
            for (container, outcome) in zip(containers, outcomes) {
                if let outcome { report(outcome) } else if printing { print(container) }
            }
        } catch let error as SandboxError {
            report(error.description)
        }
        if failed { throw ExitCode(1) }
    }

    /// nil when it succeeded, else the line saying why not.
    private static func outcome(_ body: (Runtime, String) throws -> Void, _ runtime: Runtime, _ container: String) -> String? {
        do {
            try body(runtime, container)
            return nil
        } catch let error as SandboxError {
            return error.description
        } catch {
            return "\(error)"
        }
    }

    /// Each container in a process of its own, forked (sandbox has one thread here), which says on a pipe how it
    /// went and leaves with _exit: what the parent buffered is printed once, by the parent. Where no process
    /// can be made, the container is done here.
    private static func together(_ containers: [String], _ body: (Runtime, String) throws -> Void, _ runtime: Runtime) -> [String?] {
        let children = containers.map { container -> (pid: pid_t, fd: Int32, done: String??) in
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else { return (-1, -1, outcome(body, runtime, container)) }
            let pid = fork()
            if pid == 0 {
                close(fds[0])
                var word = outcome(body, runtime, container).map { "1" + $0 } ?? "0"
                word.withUTF8 { _ = write(fds[1], $0.baseAddress, $0.count) }
                _exit(0)
            }
            close(fds[1])
            guard pid > 0 else {
                close(fds[0])
                return (-1, -1, outcome(body, runtime, container))
            }
            return (pid, fds[0], nil)
        }
        return zip(containers, children).map { container, child in
            if let done = child.done { return done }
            var word: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(child.fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                word += chunk[..<count]
            }
            close(child.fd)
            var status: Int32 = 0
            while waitpid(child.pid, &status, 0) < 0 && errno == EINTR {}
            guard let first = word.first else { return "the command on \(container) ended without saying how it went" }
            return first == UInt8(ascii: "0") ? nil : String(decoding: word.dropFirst(), as: UTF8.self)
        }
    }
}
