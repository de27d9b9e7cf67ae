import SandboxJSON
import SandboxPolicy

/// `--format` of the read-only views, as Docker's: `table` (the default), `json` (one object a line), or a
/// Go template over that object (`{{.Names}}`, `{{json .State}}`; see `GoTemplate` for the part taken).
enum ViewFormat {
    case table
    case json
    case template(GoTemplate)

    init(_ text: String?) throws {
        switch text {
        case nil, "", "table": self = .table
        case "json": self = .json
        case let format? where format.hasPrefix("table "):
            throw SandboxError("--format \"\(format)\": a table of a template is not supported; give the template alone, or table, or json")
        case let format?: self = .template(try GoTemplate(parsing: format))
        }
    }

    /// One object as `--format json` prints it, or the template applied to it.
    func line(_ object: JSONValue) -> String {
        if case .template(let template) = self { return template.render(object) }
        return object.compactText
    }
}
