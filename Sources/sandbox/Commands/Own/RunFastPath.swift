import SandboxPolicy

/// The `sandbox run` command lines most starts are made of, read without ArgumentParser: its reflection over
/// run's seventy-odd options (Mirror and dynamic casts, on a runtime whose caches are cold) costs 3 to 5 ms,
/// most of a start; this costs microseconds.
///
/// It knows the options below, each set as its option group's `apply` sets it, written `--name value`,
/// `--name=value`, `-x value`, or as a flag; the command begins at the first word that is not an option, or
/// after `--`. Anything else — another option, `-it`, an option given twice, a value that looks like an option
/// or that its parser refuses, a spec that fails validation, help — returns nil, and ArgumentParser parses the
/// whole line the ordinary way, so that what is printed, errors included, stays as it was.
/// RunFastPathTests parses a corpus of lines both ways and compares the specs.
enum RunFastPath {
    /// - Parameter arguments: what follows `run`.
    static func spec(_ arguments: ArraySlice<String>, hostEnvironment: [String: String]) -> RunSpec? {
        var spec = RunSpec(command: [])
        var given = Set<String>()
        var index = arguments.startIndex
        do {
            while index < arguments.endIndex {
                let word = arguments[index]
                if word == "--" {
                    index += 1
                    break
                }
                guard word.hasPrefix("-") else { break }
                var name = word
                var inline: String?
                if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
                    name = String(word[..<equals])
                    inline = String(word[word.index(after: equals)...])
                }
                guard let option = Option(name), option.repeatable || given.insert(option.name).inserted else { return nil }
                index += 1
                guard option.takesValue else {
                    guard inline == nil else { return nil }
                    option.set(&spec)
                    continue
                }
                let value: String
                if let inline {
                    value = inline
                } else {
                    guard index < arguments.endIndex, !arguments[index].hasPrefix("-") else { return nil }
                    value = arguments[index]
                    index += 1
                }
                try option.set(&spec, value, hostEnvironment)
            }
            spec.command = Array(arguments[index...])
            try spec.validate()
        } catch {
            return nil
        }
        return spec
    }

    /// One option the fast path knows, by its long name.
    private struct Option {
        let name: String
        let takesValue: Bool
        let repeatable: Bool

        init?(_ written: String) {
            let long = switch written {
            case "-v": "--volume"
            case "-e": "--env"
            case "-w": "--workdir"
            case "-h": "--hostname"
            case "-i": "--interactive"
            case "-t": "--tty"
            case "-u": "--user"
            default: written
            }
            switch long {
            case "--read-only", "--interactive", "--tty", "--init", "--rm": (takesValue, repeatable) = (false, false)
            case "--rootfs", "--workdir", "--hostname", "--name", "--user": (takesValue, repeatable) = (true, false)
            case "--volume", "--tmpfs", "--env", "--security-opt": (takesValue, repeatable) = (true, true)
            default: return nil
            }
            name = long
        }

        /// A flag, as FilesystemOptions, ProcessOptions and LifecycleOptions apply it.
        func set(_ spec: inout RunSpec) {
            switch name {
            case "--read-only": spec.readOnly = true
            case "--interactive": spec.interactive = true
            case "--tty": spec.tty = true
            case "--init": spec.initProcess = true
            default: spec.autoRemove = true
            }
        }

        /// A value, as FilesystemOptions, ProcessOptions, LifecycleOptions and SecurityOptions apply it.
        func set(_ spec: inout RunSpec, _ value: String, _ hostEnvironment: [String: String]) throws {
            switch name {
            case "--rootfs": spec.rootfs = try FilesystemOptions.rootfs(value)
            case "--volume": spec.volumes.append(try Volume(parsing: value))
            case "--tmpfs": spec.tmpfs.append(try TmpfsMount(parsing: value))
            case "--env": try spec.environment.add(value, host: hostEnvironment)
            case "--workdir": spec.workdir = value
            case "--hostname": spec.hostname = value
            case "--name": spec.name = value
            case "--security-opt": try SecurityOptions.apply(securityOpt: value, to: &spec)
            default: spec.user = try UserSpec(parsing: value)
            }
        }
    }
}
