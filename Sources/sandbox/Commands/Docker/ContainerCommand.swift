import ArgumentParser

/// `container`, Docker's management command: `sandbox container update --cpus=2.5 test` is `docker container
/// update ...` with sandbox in docker's place, the same verbs as at the top, for fingers and scripts that type it.
struct ContainerCommand: ParsableCommand {
    /// Its name alone, for the reading of every command line: its configuration names every command type,
    /// and building it costs a start a tenth of a millisecond.
    static let name = "container"

    static let configuration = CommandConfiguration(
        commandName: name,
        abstract: "Docker's verbs (run, exec, ps or ls, ..., rm, kill), as docker container names them.",
        subcommands: [RunCommand.self, ExecCommand.self, PsCommand.self, LogsCommand.self, InspectCommand.self, TopCommand.self,
                      StatsCommand.self, WaitCommand.self, UpdateCommand.self, PauseCommand.self, ResumeCommand.self,
                      StopCommand.self, RestartCommand.self, RemoveCommand.self, KillCommand.self])
}
