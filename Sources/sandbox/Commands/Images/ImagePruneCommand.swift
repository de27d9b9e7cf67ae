import ArgumentParser
import Glibc
import SandboxLinux
import SandboxPolicy

/// `docker image prune`: the dangling images no container uses (with `-a`, every image no container uses).
struct ImagePruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prune", abstract: "Remove unused images.")

    @Flag(name: .shortAndLong, help: "Every image no container uses, not only the dangling ones.")
    var all = false

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var force = false

    func run() throws {
        if !force {
            print(all ? "WARNING! This will remove all images without at least one container associated to them."
                      : "WARNING! This will remove all dangling images.")
            print("Are you sure you want to continue? [y/N] ", terminator: "")
            fflush(nil)
            guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else { return }
        }
        let (lines, reclaimed) = try ImageStore.forCaller().prune(all: all)
        if !lines.isEmpty {
            print("Deleted Images:")
            lines.forEach { print($0) }
            print("")
        }
        print("Total reclaimed space: " + DockerFormat.humanSize(Double(reclaimed)))
    }
}
