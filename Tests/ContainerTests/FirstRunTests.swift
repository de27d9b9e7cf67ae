import Foundation
import Testing

extension ContainerTests {
    /// The binary under test (the static release build under `make test`) on a machine as a newcomer has it: no
    /// user `sandbox` yet, a caller with no passwd entry. A static executable that calls glibc's NSS crashes
    /// there: NSS loads its modules (libnss_systemd) into a process that has no loader.
    @Suite struct FirstRun {
        /// Our modules' object files, from the build beside the binary under test: none of them may call NSS.
        @Test func ourCodeCallsNoNSS() throws {
            let build = (SandboxProcess.binary as NSString).deletingLastPathComponent
            var objects: [String] = []
            for module in ["SandboxLinux", "SandboxPolicy", "SandboxOCI", "CSandbox", "sandbox"] {
                let directory = build + "/" + module + ".build"
                let found = (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? [])
                    .filter { $0.hasSuffix(".o") }.map { directory + "/" + $0 }
                #expect(!found.isEmpty, "no object files of \(module) in \(directory)")
                objects += found
            }
            let undefined = try Self.output(try Self.nm(), ["--undefined-only", "--format=just-symbols"] + objects)
            // glibc's NSS entry points: users, groups, shadow, hosts, services, protocols.
            let nss = /^(getpw|getgr(?!oups$)|getsp|initgroups|getlogin|getaddrinfo|getnameinfo|gethostby|getservby|getprotoby)/
            let calls = Set(undefined.split(separator: "\n").filter { $0.contains(nss) })
            #expect(calls.isEmpty, "our code calls glibc's NSS: \(calls.sorted())")
        }

        /// The binary itself, whatever its dependencies call: it holds none of the lookups NSS answers (static, it
        /// would define them; dynamic, import them). FoundationEssentials links getpwnam_r and getgrgid_r, for
        /// FileManager calls that sandbox does not make.
        @Test func theBinaryHoldsNoNSSLookup() throws {
            // An imported symbol carries its version: getpwuid@GLIBC_2.2.5.
            let symbols = Set(try Self.output(try Self.nm(), ["--format=just-symbols", SandboxProcess.binary])
                .split(separator: "\n").map { $0.prefix { $0 != "@" } })
            let lookups: Set<Substring> = ["getpwnam", "getpwuid", "getpwent", "getgrnam", "getgrgid", "getgrent", "getgrouplist",
                                           "initgroups", "getaddrinfo", "getnameinfo", "gethostbyname", "gethostbyaddr"]
            #expect(symbols.intersection(lookups).isEmpty, "\(SandboxProcess.binary) holds \(symbols.intersection(lookups).sorted())")
        }

        /// A copy of /etc without the user, its group and its ranges: the binary creates them there, as on a
        /// machine that never ran sandbox, and remaps.
        @Test func aFreshMachineGetsUserSandboxAndRuns() throws {
            let result = try Self.replay(editing: """
                for file in passwd group shadow gshadow subuid subgid; do
                    if [ -f "$etc/$file" ]; then sed -i '/^sandbox:/d' "$etc/$file"; fi
                done
                """, then: """
                echo "before: $(cat /etc/passwd /etc/group /etc/subuid /etc/subgid | grep -c '^sandbox:')"
                "$0" run --rootfs "$1" -- cat /proc/self/uid_map /proc/self/gid_map
                grep -h '^sandbox:' /etc/subuid /etc/subgid
                grep -c '^sandbox:' /etc/passwd /etc/group
                """)
            let lines = result.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            try #require(lines.count == 7, "\(result)")
            #expect(lines[0] == ["before:", "0"])
            let uids = lines[3][0].split(separator: ":"), gids = lines[4][0].split(separator: ":")
            #expect(lines[1] == ["0", String(uids[1]), "65536"] && uids[2] == "65536", "the uid map is not user sandbox's new range")
            #expect(lines[2] == ["0", String(gids[1]), "65536"] && gids[2] == "65536", "the gid map is not user sandbox's new range")
            #expect(lines[5] == ["/etc/passwd:1"] && lines[6] == ["/etc/group:1"])
        }

        /// Whether NSS's systemd module answers for uid 65534 (it makes up `nobody` where no file lists it).
        static let systemdKnowsNobody = (try? SandboxProcess.execute("/usr/bin/getent", ["-s", "systemd", "passwd", "65534"]).status) == 0

        /// A rootless caller only NSS knows (as an LDAP or SSSD user): `nobody`, taken out of /etc/passwd and
        /// given ranges by name, which sandbox learns through getent.
        @Test(.enabled(if: systemdKnowsNobody, "needs NSS's systemd module, to know a user /etc/passwd does not list"))
        func aUserOnlyNSSKnowsGetsItsRangesThroughGetent() throws {
            let result = try Self.replay(editing: """
                sed -i '/^nobody:/d' "$etc/passwd"
                sed -i 's/^passwd:.*/passwd: files systemd/' "$etc/nsswitch.conf"
                echo nobody:300000:65536 >> "$etc/subuid"
                echo nobody:300000:65536 >> "$etc/subgid"
                """, then: """
                runtime=$(mktemp -d /tmp/sandbox-test-runtime.XXXXXX)
                chmod 777 "$runtime"
                setpriv --reuid 65534 --regid 65534 --clear-groups env -i PATH=/usr/bin:/bin XDG_RUNTIME_DIR="$runtime" \
                    "$0" run --rootfs "$1" -- cat /proc/self/uid_map /proc/self/gid_map
                rm -rf "$runtime"
                """)
            let lines = result.split(separator: "\n").map { $0.split(separator: " ") }
            #expect(lines == [["0", "65534", "1"], ["1", "300000", "65536"], ["0", "65534", "1"], ["1", "300000", "65536"]])
        }

        /// Runs `script` with the binary under test as $0 and the image as $1, where /etc is a copy that `edit`
        /// changed first (through $etc), bound over /etc in a private mount namespace: the host's files stay as
        /// they are, which the test checks. - Returns: what the script printed.
        static func replay(editing edit: String, then script: String) throws -> String {
            let accounts = ["passwd", "group", "subuid", "subgid", "nsswitch.conf"].map { "/etc/" + $0 }
            let before = try accounts.map { try String(contentsOfFile: $0, encoding: .utf8) }
            let whole = """
                set -eu
                etc=$(mktemp -d /tmp/sandbox-test-etc.XXXXXX)
                trap 'umount /etc 2>/dev/null; rm -rf "$etc"' EXIT
                cp -a /etc/. "$etc"
                \(edit)
                mount --bind "$etc" /etc
                \(script)
                """
            let result = try SandboxProcess.execute("/usr/bin/unshare", ["-m", "--propagation", "private", "/bin/sh", "-c", whole,
                                                                         SandboxProcess.binary, SandboxProcess.rootfs])
            #expect(try accounts.map { try String(contentsOfFile: $0, encoding: .utf8) } == before, "the host's /etc changed")
            try #require(result.status == 0, "\(result.stdout)\(result.stderr)")
            return result.stdout
        }

        /// A caller with no passwd entry (an LDAP or SSSD user, here a uid nobody has) gets a rootless
        /// container: its own uid as root, and no range.
        @Test(arguments: [false, true]) func aUserWithoutAPasswdEntryRunsRootless(image: Bool) throws {
            let passwd = try String(contentsOfFile: "/etc/passwd", encoding: .utf8)
            let uid = try #require((54321..<54400).first { uid in !passwd.contains(":\(uid):") })
            let runtime = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: runtime) }
            let result = try SandboxProcess.run(["run"] + (image ? ["--rootfs", SandboxProcess.rootfs] : []) + ["--", "cat", "/proc/self/uid_map"],
                                                asUser: (UInt32(uid), UInt32(uid)),
                                                environment: ["PATH": "/usr/bin:/bin", "XDG_RUNTIME_DIR": runtime])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.output.split(separator: " ") == ["0", "\(uid)", "1"])
        }

        /// binutils' nm, else the Swift toolchain's llvm-nm.
        static func nm() throws -> String {
            let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            return try #require(["nm", "llvm-nm"].first { program in
                path.contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }
            }, "neither nm nor llvm-nm is in PATH")
        }

        static func output(_ program: String, _ arguments: [String]) throws -> String {
            let result = try SandboxProcess.execute("/usr/bin/env", [program] + arguments)
            try #require(result.status == 0, "\(program) failed: \(result.stderr)")
            return result.stdout
        }
    }
}
