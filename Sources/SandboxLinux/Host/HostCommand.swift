import CSandbox
import Glibc
import SandboxPolicy

/// Runs a host program (useradd, newuidmap, ps) to completion with posix_spawn: no threads, no shell.
enum HostCommand {
    /// - Throws: with the last line of the program's standard error when it fails.
    static func run(_ arguments: [String]) throws {
        _ = try output(arguments)
    }

    /// - Returns: what the program wrote on its standard output.
    /// - Throws: with the last line of its standard error when it fails.
    static func output(_ arguments: [String]) throws -> String {
        var output: [Int32] = [0, 0], errors: [Int32] = [0, 0]
        let made = sbx_pipe(&output)
        guard made == 0 else { throw SandboxError("pipe", errno: -made) }
        let madeToo = sbx_pipe(&errors)
        guard madeToo == 0 else {
            output.forEach { close($0) }
            throw SandboxError("pipe", errno: -madeToo)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)

        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
        close(output[1])
        close(errors[1])
        defer { close(output[0]); close(errors[0]) }
        guard spawned == 0 else { throw SandboxError("run \(arguments[0])", errno: spawned) }

        let (standardOutput, standardError) = drain(output[0], errors[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            let message = String(decoding: standardError, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "exit status \(status)"
            throw SandboxError("\(arguments.joined(separator: " ")): \(message)")
        }
        return String(decoding: standardOutput, as: UTF8.self)
    }

    /// Both streams to their ends at once: a program that fills one pipe while sandbox waits on the other
    /// would never end.
    private static func drain(_ first: Int32, _ second: Int32) -> ([UInt8], [UInt8]) {
        var collected: [[UInt8]] = [[], []]
        var open = [first, second]
        var chunk = [UInt8](repeating: 0, count: 65536)
        while open.contains(where: { $0 >= 0 }) {
            var polled = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if poll(&polled, nfds_t(polled.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for (index, entry) in polled.enumerated() where entry.fd >= 0 && entry.revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { open[index] = -1 } else { collected[index] += chunk[..<count] }
            }
        }
        return (collected[0], collected[1])
    }
}
