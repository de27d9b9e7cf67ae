import Glibc
import SandboxPolicy

extension ContainerProcess {
    /// The OOM score, which the parent writes for the child it cloned before letting it go: in its user
    /// namespace the child could not lower it (that needs CAP_SYS_RESOURCE in the host's), and it is
    /// inherited across fork and execve.
    func applyOOMScore(to pid: pid_t) throws {
        guard let oomScoreAdj else { return }
        do {
            try HostFile.write(String(oomScoreAdj), to: "/proc/\(pid)/oom_score_adj")
        } catch let error as SandboxError {
            throw SandboxError("set oom_score_adj to \(oomScoreAdj)", errno: error.errno ?? EIO,
                               hint: error.errno == EACCES ? "a score below sandbox's own needs CAP_SYS_RESOURCE" : nil)
        }
    }
}
