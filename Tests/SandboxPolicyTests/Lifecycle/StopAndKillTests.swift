import PolicyFixtures
import Testing
@testable import SandboxPolicy

/// How `kill` reads a command line (runc's form or Docker's), and what `stop` sends and how long it waits.
struct StopAndKillTests {
    @Test(arguments: [
        // runc's: as engines call it, and two arguments the last of which is a signal.
        (["c1"], nil, false, true, KillRequest.runtime(id: "c1", signal: .term, all: false)),
        (["c1", "9"], nil, false, true, .runtime(id: "c1", signal: .kill, all: false)),
        (["c1", "KILL"], nil, false, false, .runtime(id: "c1", signal: .kill, all: false)),
        (["c1", "sigusr1"], nil, false, false, .runtime(id: "c1", signal: Signal(number: 10), all: false)),
        (["c1", "RTMIN+1"], nil, false, false, .runtime(id: "c1", signal: Signal(number: 35), all: false)),
        (["c1"], nil, true, false, .runtime(id: "c1", signal: .term, all: true)),
        // Docker's: SIGKILL unless -s; -s whatever follows.
        (["web"], nil, false, false, .docker(containers: ["web"], signal: .kill)),
        (["web", "db"], nil, false, false, .docker(containers: ["web", "db"], signal: .kill)),
        (["web", "db", "9"], nil, false, false, .docker(containers: ["web", "db", "9"], signal: .kill)),
        (["web", "9"], "KILL", false, false, .docker(containers: ["web", "9"], signal: .kill)),
        (["web"], "HUP", false, true, .docker(containers: ["web"], signal: Signal(number: 1))),
    ] as [([String], String?, Bool, Bool, KillRequest)])
    func killForms(arguments: [String], signal: String?, all: Bool, engine: Bool, expected: KillRequest) throws {
        #expect(try KillRequest(arguments: arguments, signal: signal, all: all, engine: engine) == expected)
    }

    @Test(arguments: [
        (["c1", "NOPE"], nil, false, true, "invalid signal \"NOPE\""),
        (["c1", "2", "3"], nil, true, false, "kill takes a container's id and at most one signal, as runc's (or -s SIGNAL and containers, as Docker's)"),
        (["c1"], "KILL", true, false, "--all and -s cannot be used together: runc's kill takes the signal after the container's id"),
        (["web"], "0", false, false, "invalid signal \"0\""),
    ] as [([String], String?, Bool, Bool, String)])
    func killRefusals(arguments: [String], signal: String?, all: Bool, engine: Bool, message: String) {
        #expect(throws: SandboxError(message)) { try KillRequest(arguments: arguments, signal: signal, all: all, engine: engine) }
    }

    @Test func stopTakesTheCommandLineThenTheContainerThenDockersDefaults() {
        #expect(StopPlan(signal: nil, timeout: nil, containerSignal: nil, containerTimeout: nil) == StopPlan(signal: .term, timeout: 10))
        #expect(StopPlan(signal: nil, timeout: nil, containerSignal: 2, containerTimeout: 30) == StopPlan(signal: Signal(number: 2), timeout: 30))
        #expect(StopPlan(signal: .kill, timeout: 1, containerSignal: 2, containerTimeout: 30) == StopPlan(signal: .kill, timeout: 1))
        #expect(StopPlan(signal: nil, timeout: -1, containerSignal: nil, containerTimeout: nil).timeout == nil)
        #expect(StopPlan(signal: nil, timeout: -1, containerSignal: nil, containerTimeout: nil).milliseconds == -1)
        #expect(StopPlan(signal: nil, timeout: 3, containerSignal: nil, containerTimeout: nil).milliseconds == 3000)
        #expect(StopPlan(signal: nil, timeout: Int.max, containerSignal: nil, containerTimeout: nil).milliseconds > 0)
    }

    /// Docker's `ExitOnNext`: which signals keep a restart policy from starting the container again.
    @Test func signalsThatEndRestarts() {
        #expect(Signal.kill.endsRestarts(containerSignal: 2))
        #expect(Signal(number: 2).endsRestarts(containerSignal: 2))
        #expect(!Signal.term.endsRestarts(containerSignal: 2))
        #expect(Signal(number: 10).endsRestarts(containerSignal: nil))
    }
}
