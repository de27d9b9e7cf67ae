/// Paths inside the container, cleaned as Docker cleans a mount destination (Go's filepath.Clean): the
/// child then finds one last component to create, whatever slashes, "." or ".." the user typed.
enum ContainerPath {
    /// `/a//b/./c/../` becomes `/a/b`; ".." never climbs above /. The path must be absolute.
    static func clean(_ path: String) -> String {
        var components: [Substring] = []
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }
}
