import CSandbox
import Glibc
import SandboxJSON
import SandboxOCI
import SandboxPolicy

/// Runs OCI hooks in sandbox's own namespaces (prestart, createRuntime, poststart, poststop), each given the
/// container's state on stdin; createContainer and startContainer run in the child (hooks.c), through the
/// same runner.
enum HookRunner {
    /// - Throws: for the first hook that fails or outlives its timeout, naming it and its kind.
    static func run(_ hooks: [Hook], kind: String, state: OCI.State) throws {
        guard !hooks.isEmpty else { return }
        let input = try JSON.encode(state)
        for hook in hooks {
            try run(hook, kind: kind, input: input)
        }
    }

    /// As `run`, but a failure is only a warning and the hooks after it still run: the spec's rule for
    /// poststart and poststop hooks, which must not stop the lifecycle.
    static func runWarning(_ hooks: [Hook], kind: String, state: OCI.State, warn: (String) -> Void) {
        guard !hooks.isEmpty else { return }
        let input: String
        do { input = try JSON.encode(state) } catch {
            warn("the \(kind) hooks were not run: \(error)")
            return
        }
        for hook in hooks {
            do { try run(hook, kind: kind, input: input) } catch { warn("\(error)") }
        }
    }

    private static func run(_ hook: Hook, kind: String, input: String) throws {
        let result = withCStrings(hook.args) { argv in
            withCStrings(hook.environment) { envp in
                input.withCString { sbx_hook_run(hook.path, argv, envp, Int32(hook.timeout ?? 0), $0, strlen($0)) }
            }
        }
        if result < 0 { throw SandboxError("run the \(kind) hook \(hook.path)", errno: -result) }
        if result > 0 {
            let how = result & 0x7f != 0 ? "was killed (it ran out of time, or by a signal)" : "exited with status \((result >> 8) & 0xff)"
            throw SandboxError("the \(kind) hook \(hook.path) \(how)")
        }
    }

    /// A NULL-terminated `char *const *` for execve, alive during `body`.
    static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { strdup($0) } + [nil]
        defer { copies.forEach { free($0) } }
        return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
