import CSandbox
import SandboxPolicy

/// profiles/default.json, as the C target embeds it.
enum DefaultSeccompProfile {
    static var json: String { String(cString: sbx_default_profile()) }
}
