import ArgumentParser

/// `container`, Docker's management command: `sandbox container update --cpus=2.5 test` is `docker container
/// update ...` with sandbox in docker's place, the same verbs as at the top, for fingers and scripts that type it.
struct ContainerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "container",
        abstract: "Manage containers: Docker's verbs, as docker container names them.",
        subcommands: [RunCommand.self, ExecCommand.self, PsCommand.self, LogsCommand.self, InspectCommand.self, TopCommand.self,
                      StatsCommand.self, WaitCommand.self, UpdateCommand.self, PauseCommand.self, ResumeCommand.self,
                      StopCommand.self, RestartCommand.self, RemoveCommand.self, KillCommand.self])
}
