import Glibc
import SandboxPolicy

/// Where a detached container's log is kept: on disk, never beside its state on /run, which is a tmpfs on most
/// hosts (the host's memory); for root under /var/lib/sandbox, as Docker's under /var/lib/docker, and for anyone
/// else under their own data directory, as podman's rootless storage. The directory is the container's
/// (0700, its files 0600): its output is nobody else's to read.
extension ContainerLog {
    /// `/var/lib/sandbox/containers/ID` for root; else `$XDG_DATA_HOME/sandbox/containers/ID`, or
    /// `$HOME/.local/share/sandbox/containers/ID`.
    public static func directory(for caller: Caller, environment: [String: String], id: ContainerID) throws -> String {
        let root = try DataDirectory.root(for: caller, environment: environment, purpose: "a detached container's log")
        return root + "/containers/" + id.value
    }

    /// The current file of the log in `directory`, by Docker's name: `ID-json.log`; the rotated ones add `.1`, `.2`...
    static func file(in directory: String, id: String) -> String {
        directory + "/" + id + "-json.log"
    }

    /// Makes `directory` and its missing parents, 0700.
    static func make(_ directory: String) throws {
        do {
            try StateDirectory.makeDirectories(directory)
        } catch let error as SandboxError {
            throw error.within("the container's log directory")
        }
    }
}
