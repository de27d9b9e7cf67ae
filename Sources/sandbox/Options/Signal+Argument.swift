import ArgumentParser
import SandboxPolicy

extension Signal: ExpressibleByArgument {
    public init?(argument: String) {
        try? self.init(parsing: argument)
    }
}
