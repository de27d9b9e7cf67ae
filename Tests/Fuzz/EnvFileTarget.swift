import SandboxLinux
import SandboxPolicy

extension FuzzTarget {
    /// `--env-file`, with a host environment that has HOME and USER, then Docker's defaults added.
    static let envFile = FuzzTarget(name: "env-file") { bytes in
        var environment = Environment()
        try environment.add(envFile: FuzzInput.text(bytes), path: "fuzz.env", host: ["HOME": "/root", "USER": "root"])
        _ = environment.withDefaults(hostname: "fuzz", home: "/", tty: true).assignments
    }
}
