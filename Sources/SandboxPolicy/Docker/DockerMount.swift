/// `--mount type=bind|tmpfs,...`: Docker's long form of `-v` and `--tmpfs`, read as the docker CLI reads it (a
/// CSV line of `key=value` fields, opts/mount.go) and checked as the daemon checks it, with their messages.
/// A named volume, Docker's default type, is refused: sandbox has none.
public enum DockerMount: Equatable, Sendable {
    case bind(Volume)
    case tmpfs(TmpfsMount)

    /// The keys of each kind of mount, which another type may not be given (the CLI's "cannot mix").
    private static let optionKeys: [(type: String, prefix: String)] = [
        ("bind", "bind-"), ("volume", "volume-"), ("image", "image-"), ("tmpfs", "tmpfs-"),
    ]
    private static let propagations: [String: MountPropagation] = [
        "private": .private, "rprivate": .recursivePrivate, "shared": .shared, "rshared": .recursiveShared,
        "slave": .slave, "rslave": .recursiveSlave,
    ]

    /// - Parameter currentDirectory: where a source of `.` or `./x` is, as the docker CLI makes it absolute.
    public init(parsing text: String, currentDirectory: String) throws {
        func invalid(_ reason: String) -> SandboxError {
            SandboxError("invalid argument \"\(text)\" for \"--mount\" flag: \(reason)")
        }
        var type = "volume", source = "", target = "", readOnly = false, recursive = true
        var propagation: MountPropagation?, recursiveMode: String?, size: Int64 = 0, mode: UInt32 = 0
        var kinds = Set<String>()
        let fields: [String]
        do {
            fields = try Self.fields(text)
        } catch let error as SandboxError {
            throw invalid(error.message)
        }
        for field in fields {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].lowercased(), value = parts.count == 2 ? String(parts[1]) : nil
            func boolean() throws -> Bool {
                guard let value else { return true }
                guard let flag = Bool(go: value) else { throw invalid("invalid value for \(key): \(value)") }
                return flag
            }
            guard value != nil || ["readonly", "ro", "volume-nocopy", "bind-nonrecursive"].contains(key) else {
                throw invalid("invalid field '\(field)' must be a key=value pair")
            }
            if let kind = Self.optionKeys.first(where: { key.hasPrefix($0.prefix) }) { kinds.insert(kind.type) }
            switch key {
            case "type": type = value!.lowercased()
            case "source", "src":
                source = value!
                if source == "." || source.hasPrefix("./") { source = ContainerPath.clean(currentDirectory + "/" + source) }
            case "target", "dst", "destination": target = value!
            case "readonly", "ro": readOnly = try boolean()
            // Whether a bind may show the host's changes late: on Linux it never does, which any value allows.
            case "consistency": continue
            case "bind-propagation":
                propagation = Self.propagations[value!.lowercased()]
                guard propagation != nil else { throw SandboxError("invalid mount config for type \"bind\": invalid propagation mode: \(value!)") }
            case "bind-nonrecursive": recursive = !(try boolean())
            case "bind-recursive":
                guard ["enabled", "disabled", "writable", "readonly"].contains(value!) else {
                    throw invalid("invalid value for \(key): \(value!) (must be \"enabled\", \"disabled\", \"writable\", or \"readonly\")")
                }
                recursiveMode = value
                if value == "disabled" { recursive = false }
            case "volume-nocopy": _ = try boolean()
            case "volume-subpath", "volume-label", "volume-driver", "volume-opt", "image-subpath": continue
            case "tmpfs-size":
                do {
                    size = try ResourceLimits.bytes(value!, flag: "--mount")
                } catch {
                    throw invalid("invalid value for \(key): \(value!)")
                }
            case "tmpfs-mode":
                guard let octal = UInt32(value!, radix: 8) else { throw invalid("invalid value for \(key): \(value!)") }
                mode = octal
            default:
                throw invalid("unexpected key '\(key)' in '\(field)'")
            }
        }
        guard !type.isEmpty else { throw invalid("type is required") }
        guard !target.isEmpty else { throw invalid("target is required") }
        for kind in Self.optionKeys where kinds.contains(kind.type) && kind.type != type {
            throw invalid("cannot mix '\(kind.prefix)*' options with mount type '\(type)'")
        }
        if let recursiveMode, recursiveMode == "writable" || recursiveMode == "readonly", !readOnly {
            throw invalid("option 'bind-recursive=\(recursiveMode)' requires 'readonly' to be specified in conjunction")
        }
        if recursiveMode == "readonly" && propagation != .recursivePrivate {
            throw invalid("option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction")
        }

        // What the daemon checks.
        switch type {
        case "volume": throw Unsupported.refuse("--mount type=volume", Unsupported.namedVolumes)
        case "image": throw Unsupported.refuse("--mount type=image", Unsupported.images)
        case "bind", "tmpfs": break
        default: throw SandboxError("invalid mount config for type \"\(type)\": mount type unknown")
        }
        func check(_ path: String) throws {
            guard path.hasPrefix("/") else {
                throw SandboxError("invalid mount config for type \"\(type)\": invalid mount path: '\(path)' mount path must be absolute")
            }
        }
        if ContainerPath.clean(target) == "/" {
            throw SandboxError("invalid mount config for type \"\(type)\": invalid specification: destination can't be '/'")
        }
        try check(target)
        if type == "tmpfs" {
            guard source.isEmpty else { throw SandboxError("invalid mount config for type \"tmpfs\": field Source must not be specified") }
            let data = (mode == 0 ? [] : ["mode=" + String(mode, radix: 8)]) + (size == 0 ? [] : ["size=\(size)"])
            self = .tmpfs(TmpfsMount(target: ContainerPath.clean(target), data: data.isEmpty ? nil : data.joined(separator: ","),
                                     attributes: readOnly ? MountAttributes.restricted.union(.readOnly) : .restricted))
            return
        }
        guard !source.isEmpty else { throw SandboxError("invalid mount config for type \"bind\": field Source must not be empty") }
        try check(source)
        if recursiveMode == "writable" {
            throw Unsupported.refuse("--mount bind-recursive=writable", "a read-only bind is read-only beneath too, as with bind-recursive=enabled")
        }
        var volume = Volume(source: ContainerPath.clean(source), target: ContainerPath.clean(target), readOnly: readOnly)
        volume.recursive = recursive
        volume.propagation = propagation
        self = .bind(volume)
    }

    /// One line of CSV, as Go's encoding/csv reads it: fields split at commas; a field that starts with `"`
    /// is quoted, may hold commas, and doubles a `"` it holds.
    static func fields(_ text: String) throws -> [String] {
        var fields: [String] = [], field = "", quoted = false, started = false
        var characters = text.makeIterator()
        while let character = characters.next() {
            if quoted {
                guard character == "\"" else { field.append(character); continue }
                let next = characters.next()
                if next == "\"" { field.append("\""); continue }
                quoted = false
                guard next == "," || next == nil else { throw SandboxError("parse error: extraneous or missing \" in quoted-field") }
                if next == nil { break }
                fields.append(field)
                (field, started) = ("", false)
            } else if character == "," {
                fields.append(field)
                (field, started) = ("", false)
            } else if character == "\"" {
                guard !started else { throw SandboxError("parse error: bare \" in non-quoted-field") }
                (quoted, started) = (true, true)
            } else {
                field.append(character)
                started = true
            }
        }
        if quoted { throw SandboxError("parse error: extraneous or missing \" in quoted-field") }
        return fields + [field]
    }
}
