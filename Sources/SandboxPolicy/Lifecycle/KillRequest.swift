/// What a `kill` command line means. The one verb serves two callers: runc's `kill [--all] ID [SIGNAL]`, which
/// engines call (`kill ID 15`, then `kill ID 9`; SIGTERM unless named), and Docker's `kill [-s SIGNAL]
/// CONTAINER...` (SIGKILL unless named).
///
/// The rule, in order: `-s` makes it Docker's; `--all`, or the global `--root` or `--log` an engine passes,
/// make it runc's; two arguments the last of which reads as a signal (`9`, `KILL`, `sigterm`, `RTMIN+1`) make
/// it runc's; anything else is Docker's. So `kill web 9` sends SIGKILL to web, and two containers the second
/// of which is named like a signal are `kill -s KILL web 9`.
public enum KillRequest: Equatable, Sendable {
    /// runc's: one container, by id; with `all`, every process in its cgroup.
    case runtime(id: String, signal: Signal, all: Bool)
    /// Docker's: each container, by name, id or unique id prefix.
    case docker(containers: [String], signal: Signal)

    /// - Parameters:
    ///   - signal: `-s`, as given.
    ///   - engine: the global --root or --log was given.
    public init(arguments: [String], signal: String?, all: Bool, engine: Bool) throws {
        if let signal {
            if all { throw SandboxError("--all and -s cannot be used together: runc's kill takes the signal after the container's id") }
            self = .docker(containers: arguments, signal: try Signal(parsing: signal))
            return
        }
        let lastIsSignal = arguments.count == 2 && (try? Signal(parsing: arguments[1])) != nil
        guard all || engine || lastIsSignal else {
            self = .docker(containers: arguments, signal: .kill)
            return
        }
        guard let id = arguments.first, arguments.count <= 2 else {
            throw SandboxError("kill takes a container's id and at most one signal, as runc's (or -s SIGNAL and containers, as Docker's)")
        }
        self = .runtime(id: id, signal: try arguments.dropFirst().first.map(Signal.init(parsing:)) ?? .term, all: all)
    }
}
