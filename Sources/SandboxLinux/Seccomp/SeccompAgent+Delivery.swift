import CSandbox
import Glibc
import SandboxJSON
import SandboxOCI
import SandboxPolicy

/// The seccomp listener's way to an agent (`linux.seccomp.listenerPath`), as runc sends it: once the child
/// loaded its filter, sandbox connects to the agent's socket and sends the container's process state with the
/// listener attached. The child need not wait for it: a notifying syscall waits for the agent's answer anyway.
struct SeccompAgentDelivery {
    let agent: SeccompAgent
    /// The container's state while it is created; its pid is set once the child is cloned.
    var state: OCI.State

    /// Sends `listener` and closes it.
    func send(_ listener: Int32) throws {
        defer { close(listener) }
        let process = OCI.ContainerProcessState(fds: [OCI.ContainerProcessState.seccompFd], pid: state.pid ?? 0,
                                                metadata: agent.metadata, state: state)
        let sent = sbx_send_fd_to(agent.path, listener, try JSON.encode(process))
        guard sent == 0 else {
            throw SandboxError("send the seccomp listener to the agent at \(agent.path) (linux.seccomp.listenerPath)", errno: -sent)
        }
    }
}
