/// `-v HOST:CONTAINER[:OPTIONS]`: a host directory or file bound into the container.
///
/// As Docker, the volume keeps the host's ids, seen through the container's map. With `idmap` (podman's
/// option) it is shifted by the container's map instead, so the container's root owns what host root owns.
public struct Volume: Equatable, Sendable {
    public var source: String
    public var target: String
    public var readOnly: Bool
    public var idmapped: Bool
    /// With the mounts beneath the source, as Docker's binds are unless `--mount` says bind-recursive=disabled.
    public var recursive = true
    /// `--mount`'s bind-propagation; nil: private, Docker's rprivate.
    public var propagation: MountPropagation?

    public init(source: String, target: String, readOnly: Bool = false, idmapped: Bool = false) {
        self.source = source
        self.target = target
        self.readOnly = readOnly
        self.idmapped = idmapped
    }

    public init(parsing text: String) throws {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(fields.count), !fields[0].isEmpty, !fields[1].isEmpty else {
            throw SandboxError("invalid volume \"\(text)\": expected HOST:CONTAINER[:OPTIONS]")
        }
        guard fields[0].hasPrefix("/") else {
            throw SandboxError("invalid volume \"\(text)\": the host path \"\(fields[0])\" must be absolute (named volumes are not supported)")
        }
        guard fields[1].hasPrefix("/") else {
            throw SandboxError("invalid volume \"\(text)\": the container path \"\(fields[1])\" must be absolute")
        }
        guard ContainerPath.clean(fields[1]) != "/" else {
            throw SandboxError("invalid volume \"\(text)\": the container path cannot be /")
        }
        var readOnly = false, idmapped = false, access: String?
        for option in fields.count == 3 ? fields[2].split(separator: ",", omittingEmptySubsequences: false) : [] {
            switch option {
            case "ro", "rw":
                if let access, access != option {
                    throw SandboxError("invalid volume \"\(text)\": options \"\(access)\" and \"\(option)\" conflict")
                }
                access = String(option)
                readOnly = option == "ro"
            case "idmap": idmapped = true
            default: throw SandboxError("invalid volume \"\(text)\": unknown option \"\(option)\" (expected ro, rw or idmap)")
            }
        }
        self.init(source: fields[0], target: ContainerPath.clean(fields[1]), readOnly: readOnly, idmapped: idmapped)
    }
}
