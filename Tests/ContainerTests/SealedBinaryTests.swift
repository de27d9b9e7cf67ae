import Foundation
import Testing

extension ContainerTests {
    /// CVE-2019-5736: a container must never get a writable handle on sandbox's binary, whatever it makes its
    /// runtime execute. The attack as the outside review ran it, against a copy of the binary.
    @Suite struct SealedBinary {
        /// The container (no user namespace: container root is host root, as in every engine's config) makes
        /// `/pwn` a script whose interpreter is `/proc/self/exe`, and waits for the process an `exec` of it
        /// makes: that execve runs the binary of whoever execs, sandbox's, inside the container. It opens that
        /// process's `/proc/PID/exe`, waits for it to end, and writes through the handle until it can or three
        /// seconds have passed. The binary must come out byte for byte the same, the write refused.
        @Test func aContainerCannotWriteSandboxsBinaryThroughExec() throws {
            let directory = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let binary = directory + "/sandbox"
            try FileManager.default.copyItem(atPath: SandboxProcess.binary, toPath: binary)
            try ContainerTests.HostileImage.withImage({ _ in }) { rootfs in
                let attack = """
                    exec 2>/dev/null; say() { echo "$1" > /status.new && mv /status.new /status; }
                    printf '#!/proc/self/exe\\n' > /pwn && chmod 755 /pwn && say ready
                    while :; do
                      read last < /proc/sys/kernel/ns_last_pid; target=$((last + 1))
                      while [ ! -e /proc/$target ]; do :; done
                      while ! command exec 3< /proc/$target/exe && [ -e /proc/$target ]; do :; done
                      [ -e /proc/self/fd/3 ] && break
                    done
                    say caught
                    while [ -e /proc/$target ]; do :; done
                    i=0
                    while [ $i -lt 300 ]; do
                      if echo MARK >> /proc/self/fd/3; then say written; exit 0; fi
                      usleep 10000; i=$((i + 1))
                    done
                    say refused
                    sleep 30
                    """
                var bundle = try ContainerTests.OCIRuntime.Bundle(args: ["sh", "-c", attack])
                bundle.config["root"] = ["path": rootfs, "readonly": false]
                let linux = try #require(bundle.config["linux"] as? [String: Any])
                #expect(!((linux["namespaces"] as? [[String: Any]]) ?? []).contains { $0["type"] as? String == "user" })
                try bundle.write()
                let id = "cve-\(UInt32.random(in: 0...UInt32.max))"
                let sandbox = { (arguments: [String]) in try SandboxProcess.run(["--root", bundle.root] + arguments, timeout: 30, binary: binary) }
                defer {
                    _ = try? sandbox(["delete", "--force", id])
                    try? FileManager.default.removeItem(atPath: bundle.directory)
                }
                let created = try sandbox(["create", "--bundle", bundle.directory, id])
                try #require(created.status == 0, "\(created.stderr)")
                try #require(try sandbox(["start", id]).status == 0)

                let status = rootfs + "/status"
                func read() -> String { (try? String(contentsOfFile: status, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
                var waited = 0
                while read() != "ready", waited < 500 { usleep(10_000); waited += 1 }
                try #require(read() == "ready")
                // The attacker may miss a short-lived process: the exec is tried again until it holds one.
                var execs: [SandboxProcess.Result] = []
                while execs.count < 10, read() == "ready" {
                    execs.append(try sandbox(["exec", id, "/pwn"]))
                    usleep(100_000)
                }
                waited = 0
                while read() == "caught", waited < 1000 { usleep(10_000); waited += 1 }
                if read() == "ready" {
                    // A debug build is linked dynamically, and the image has no loader for it: nothing ran.
                    #expect(execs.allSatisfy { $0.stderr == "sandbox: exec /pwn: No such file or directory\n" }, "\(execs.map(\.stderr))")
                } else {
                    #expect(read() == "refused")
                }
                #expect(FileManager.default.contentsEqual(atPath: binary, andPath: SandboxProcess.binary))
            }
        }

        /// Changing ids resets a process's dumpable flag to `fs.suid_dumpable`, which a host may set to 1: the
        /// init waiting for `start`, already as its user, must stay non-dumpable, so that nothing in the container
        /// can open its /proc/PID/exe. The kernel shows it: a non-dumpable process's /proc/PID files are root's.
        @Test func theWaitingInitStaysNonDumpableAfterItsIdsChange() throws {
            let setting = "/proc/sys/fs/suid_dumpable"
            let saved = try String(contentsOfFile: setting, encoding: .utf8)
            try "1".write(toFile: setting, atomically: false, encoding: .utf8)
            defer { try? saved.write(toFile: setting, atomically: false, encoding: .utf8) }
            var bundle = try ContainerTests.OCIRuntime.Bundle(args: ["true"])
            var process = try #require(bundle.config["process"] as? [String: Any])
            process["user"] = ["uid": 1000, "gid": 1000]
            bundle.config["process"] = process
            try bundle.write()
            let id = "dumpable-\(UInt32.random(in: 0...UInt32.max))"
            defer { bundle.remove(id) }
            let created = try bundle.sandbox(["create", "--bundle", bundle.directory, id])
            try #require(created.status == 0, "\(created.stderr)")
            let pid = try #require(try bundle.state(id)["pid"] as? Int)
            let owner = try FileManager.default.attributesOfItem(atPath: "/proc/\(pid)/environ")[.ownerAccountID] as? Int
            #expect(owner == 0)
        }
    }
}
