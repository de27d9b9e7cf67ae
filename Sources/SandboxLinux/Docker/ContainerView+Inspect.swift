import SandboxJSON
import SandboxPolicy

extension Runtime.ContainerView {
    /// `inspect`'s document, in the shape of Docker's where sandbox has the same fact, with Docker's names and
    /// order: Id, Created, Path, Args, State, Image, LogPath, Name, RestartCount, HostConfig, Mounts, Config.
    /// What Docker has and sandbox does not (networks, graph drivers, images by digest) is left out rather
    /// than made up; the id maps, which Docker has no field for, are HostConfig.IDMappings, as podman's.
    public var inspection: JSONValue {
        let process = record.process
        let engine = self.engine
        let settings = record.settings
        let arguments = process?.args ?? []
        var members: [(key: String, value: JSONValue)] = [
            ("Id", .string(record.id)),
            ("Created", .string(record.created)),
            ("Path", .string(arguments.first ?? "")),
            ("Args", .array(arguments.dropFirst().map(JSONValue.string))),
            ("State", stateDocument),
            ("Image", .string(record.annotations[ImageAnnotation.id] ?? record.bundle)),
            ("LogPath", .string(logPath ?? "")),
            ("Name", .string("/" + record.name)),
            ("RestartCount", .number(String(engine.restartCount))),
        ]
        if let settings { members.append(("HostConfig", hostConfig(settings, process: process))) }
        members.append(("Mounts", .array((settings?.binds ?? []).map { bind in
            .object([("Type", .string("bind")), ("Source", .string(bind.source)), ("Destination", .string(bind.destination)),
                     ("Mode", .string(bind.readOnly ? "ro" : "")), ("RW", .bool(!bind.readOnly)), ("Propagation", .string("rprivate"))])
        })))
        members.append(("Config", config(settings, process: process)))
        return .object(members)
    }

    /// The engine's part of the record; an engine's container (`create`) shows Docker's defaults.
    private var engine: ContainerRecord.Engine {
        record.engine ?? ContainerRecord.Engine(settings: EngineSettings())
    }

    private var stateDocument: JSONValue {
        let live = state.status == .running || state.status == .paused
        var members: [(key: String, value: JSONValue)] = [
            ("Status", .string(state.status.rawValue)),
            ("Running", .bool(live)),
            ("Paused", .bool(state.status == .paused)),
            ("Restarting", .bool(state.status == .restarting)),
            ("OOMKilled", .bool(engine.oomKilled)),
            ("Dead", .bool(false)),
            ("Pid", .number(String(live ? record.pid ?? 0 : 0))),
            ("ExitCode", state.exitCode.map { .number(String($0)) } ?? .null),
            ("Error", .string("")),
            // Go's zero time, as Docker writes a time that never was.
            ("StartedAt", .string(record.started ?? "0001-01-01T00:00:00Z")),
            ("FinishedAt", .string(engine.finished ?? "0001-01-01T00:00:00Z")),
        ]
        if let health = engine.health {
            members.append(("Health", .object([
                ("Status", .string(health.status.rawValue)),
                ("FailingStreak", .number(String(health.failingStreak))),
                ("Log", .array(health.log.map { check in
                    .object([("Start", .string(check.start)), ("End", .string(check.end)),
                             ("ExitCode", .number(String(check.exitCode))), ("Output", .string(check.output))])
                })),
            ])))
        }
        return .object(members)
    }

    private func hostConfig(_ settings: ContainerSettings, process: ContainerProcess?) -> JSONValue {
        let limits = settings.limits
        func number(_ value: Int64?) -> JSONValue { .number(String(value ?? 0)) }
        func mode(_ namespace: Namespace, private privateName: String) -> JSONValue {
            let mode = settings.namespaces[namespace.procName] ?? "private"
            return .string(mode == "private" ? privateName : mode)
        }
        let bounding = process?.capabilities.bounding ?? CapabilityMask(rawValue: 0)
        let defaults = CapabilityMask(Capability.names.indices.map(Capability.init).filter { CapabilityPolicy.dockerDefaults.contains($0.name) })
        func names(_ mask: CapabilityMask) -> JSONValue {
            mask.capabilities.isEmpty ? .null : .array(mask.capabilities.map { .string("CAP_" + $0.name) })
        }
        // As Docker's, the default profile is not named; any other filter is.
        let seccomp = settings.seccomp == SeccompProfileFile.source(SeccompProfileFile.defaultName) ? [] : ["seccomp=" + settings.seccomp]
        let securityOptions = seccomp + (process?.noNewPrivileges == true ? ["no-new-privileges"] : [])
        let restart = engine.settings.restart
        let restartName = String(restart.description.prefix { $0 != ":" })
        let restartCount: Int = if case .onFailure(let maximum?) = restart { maximum } else { 0 }
        return .object([
            ("Binds", settings.binds.isEmpty ? .null : .array(settings.binds.map { .string("\($0.source):\($0.destination)" + ($0.readOnly ? ":ro" : "")) })),
            ("NetworkMode", mode(.network, private: "none")),
            ("RestartPolicy", .object([("Name", .string(restartName)), ("MaximumRetryCount", .number(String(restartCount)))])),
            ("AutoRemove", .bool(engine.settings.autoRemove)),
            ("CapAdd", names(bounding.subtracting(defaults))),
            ("CapDrop", names(defaults.subtracting(bounding))),
            ("CgroupnsMode", mode(.cgroup, private: "private")),
            ("IpcMode", mode(.ipc, private: "private")),
            ("PidMode", mode(.pid, private: "")),
            ("ReadonlyRootfs", .bool(settings.readOnlyRoot)),
            ("SecurityOpt", securityOptions.isEmpty ? .null : .array(securityOptions.map(JSONValue.string))),
            ("Tmpfs", settings.tmpfs.isEmpty ? .null : .object(settings.tmpfs.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("UTSMode", mode(.uts, private: "")),
            ("UsernsMode", mode(.user, private: "")),
            ("CpuShares", number(limits.cpuShares)),
            ("Memory", number(limits.memory)),
            ("NanoCpus", number(limits.nanoCPUs)),
            ("BlkioWeight", number(limits.blockIOWeight.map(Int64.init))),
            ("CpuPeriod", number(limits.cpuPeriod)),
            ("CpuQuota", number(limits.cpuQuota)),
            ("CpusetCpus", .string(limits.cpusetCpus ?? "")),
            ("CpusetMems", .string(limits.cpusetMems ?? "")),
            ("MemoryReservation", number(limits.memoryReservation)),
            ("MemorySwap", number(limits.memorySwap)),
            ("PidsLimit", limits.pidsLimit.map { .number(String($0)) } ?? .null),
            ("IDMappings", .object([("UidMap", .array(settings.uidMap.map(JSONValue.string))),
                                    ("GidMap", .array(settings.gidMap.map(JSONValue.string)))])),
        ])
    }

    private func config(_ settings: ContainerSettings?, process: ContainerProcess?) -> JSONValue {
        // Docker's User is what --user said; sandbox keeps the ids it resolved to, and root's is "", as Docker's default.
        let user = process.map { $0.user.uid == 0 && $0.user.gid == 0 ? "" : "\($0.user.uid):\($0.user.gid)" } ?? ""
        var members: [(key: String, value: JSONValue)] = [
            ("Hostname", .string(settings?.hostname ?? "")),
            ("User", .string(user)),
            ("Tty", .bool(process?.terminal ?? false)),
            ("Env", .array((process?.environment ?? []).map(JSONValue.string))),
            ("Cmd", .array((process?.args ?? []).map(JSONValue.string))),
            ("Image", .string(record.image)),
            ("WorkingDir", .string(process?.cwd ?? "")),
            ("Labels", .object(engine.settings.labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
        ]
        if let signal = engine.settings.stopSignal { members.append(("StopSignal", .string(Signal(number: signal).name))) }
        if let timeout = engine.settings.stopTimeout { members.append(("StopTimeout", .number(String(timeout)))) }
        return .object(members)
    }
}
