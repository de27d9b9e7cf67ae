import Foundation
import Testing

extension ContainerTests {
    /// What the kernel shows in /proc/self/status for the workload's five capability sets.
    @Suite struct Capabilities {
        static let dockerDefault = "00000000a80425fb"
        static let netAdmin = "0000000000001000"
        static let none = "0000000000000000"

        static func sets(_ options: [String]) throws -> [String: String] {
            let inside = try SandboxProcess.shell("grep ^Cap /proc/self/status", options: options)
            return Dictionary(uniqueKeysWithValues: inside.split(separator: "\n").map {
                let parts = $0.split(separator: "\t")
                return (String(parts[0].dropLast()), String(parts[1]))
            })
        }

        static var lastCapabilityMask: String {
            let last = Int((try? String(contentsOfFile: "/proc/sys/kernel/cap_last_cap", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "40")!
            return String(format: "%016llx", (UInt64(1) << UInt64(last + 1)) - 1)
        }

        @Test func defaultContainerHasDockersFourteen() throws {
            #expect(try Self.sets([]) == ["CapInh": Self.none, "CapPrm": Self.dockerDefault, "CapEff": Self.dockerDefault,
                                          "CapBnd": Self.dockerDefault, "CapAmb": Self.none])
        }

        @Test func nonRootUserKeepsTheBoundingSetButNothingElse() throws {
            #expect(try Self.sets(["--user", "1000"]) == ["CapInh": Self.none, "CapPrm": Self.none, "CapEff": Self.none,
                                                          "CapBnd": Self.dockerDefault, "CapAmb": Self.none])
        }

        @Test func capAddForANonRootUserIsAmbient() throws {
            let sets = try Self.sets(["--user", "1000", "--cap-add", "NET_ADMIN"])
            #expect(sets == ["CapInh": Self.netAdmin, "CapPrm": Self.netAdmin, "CapEff": Self.netAdmin,
                             "CapBnd": "00000000a80435fb", "CapAmb": Self.netAdmin])
        }

        /// This kernel has no dummy driver; a veth pair needs CAP_NET_ADMIN just the same.
        @Test func netAdminReallyWorksForTheUserAndOnlyWithIt() throws {
            let script = "ip link add v0 type veth peer name v1 2>&1 && echo created"
            #expect(try SandboxProcess.shell(script, options: ["--user", "1000", "--cap-add", "NET_ADMIN"]) == "created")
            #expect(try SandboxProcess.shell(script + "; true", options: ["--user", "1000"]) == "ip: RTNETLINK answers: Operation not permitted")
        }

        @Test func droppedChownRefusesChown() throws {
            let inside = try SandboxProcess.shell("touch /f && chown 1000 /f 2>&1; true", options: ["--cap-drop", "CHOWN"])
            #expect(inside == "chown: /f: Operation not permitted")
            #expect(try SandboxProcess.shell("touch /f && chown 1000 /f && stat -c %u /f") == "1000")
        }

        @Test func dropAllLeavesNothingAndDropIsAppliedBeforeAdd() throws {
            #expect(try Self.sets(["--cap-drop", "ALL"]).values.allSatisfy { $0 == Self.none })
            let one = try Self.sets(["--cap-drop", "ALL", "--cap-add", "NET_BIND_SERVICE"])
            #expect(one["CapBnd"] == "0000000000000400" && one["CapEff"] == "0000000000000400")
        }

        @Test func addAllGivesEveryCapabilityTheKernelKnows() throws {
            let sets = try Self.sets(["--cap-add", "ALL"])
            #expect(sets["CapBnd"] == Self.lastCapabilityMask && sets["CapEff"] == Self.lastCapabilityMask)
        }

        @Test(arguments: ["cap_chown", "CHOWN", "Chown", "CAP_CHOWN", "chown,net_raw"])
        func namesAreCaseInsensitiveWithOrWithoutPrefix(name: String) throws {
            let sets = try Self.sets(["--cap-drop", name])
            #expect(UInt64(sets["CapBnd"]!, radix: 16)! & 1 == 0)
        }

        @Test func unknownCapabilityIsNamedWithASuggestion() throws {
            let result = try SandboxProcess.run(["run", "--cap-add", "NOPE", "true"])
            #expect(result.status == 125)
            #expect(result.stderr.hasPrefix("sandbox: unknown capability \"NOPE\" in --cap-add: did you mean "))
            let typo = try SandboxProcess.run(["run", "--cap-add", "NET_ADMN", "true"])
            #expect(typo.stderr == "sandbox: unknown capability \"NET_ADMN\" in --cap-add: did you mean NET_ADMIN?\n")
        }
    }

    @Suite struct Users {
        @Test(arguments: [
            (["--user", "nobody"], "65534 65534"), (["--user", "1000:1000"], "1000 1000"), (["--user", "user"], "1000 1000"),
            (["--user", "1000:tty"], "1000 5"), (["--user", "4242"], "4242 0"),
        ])
        func resolvedAgainstTheImagesFiles(options: [String], ids: String) throws {
            #expect(try SandboxProcess.shell("echo $(id -u) $(id -g)", options: options) == ids)
        }

        @Test func groupAddShowsInIdG() throws {
            #expect(try SandboxProcess.shell("id -G", options: ["--user", "1000", "--group-add", "tty", "--group-add", "4000"]) == "1000 5 4000")
        }

        @Test func homeComesFromPasswd() throws {
            #expect(try SandboxProcess.shell("echo $HOME", options: ["--user", "user"]) == "/home/user")
        }

        @Test func unknownNameOrUnmappedIDIsRefused() throws {
            let unknown = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "--user", "ghost", "true"])
            #expect(unknown.status == 125)
            #expect(unknown.stderr == "sandbox: unable to find user ghost: no matching entries in the container's /etc/passwd\n")
            let unmapped = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "--user", "70000", "true"])
            #expect(unmapped.status == 125)
            #expect(unmapped.stderr.hasPrefix("sandbox: uid 70000 is not mapped in the container's user namespace"))
        }
    }

    @Suite struct Privileges {
        /// The host's `id`, setuid to container root (host uid 100000 and on) on a volume, run by user 1000.
        @Test func noNewPrivilegesStopsASetuidBinary() throws {
            let volume = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: volume) }
            let root = try Host.remapStart()
            try FileManager.default.copyItem(atPath: "/usr/bin/id", toPath: volume + "/id")
            #expect(chown(volume + "/id", root, root) == 0 && chmod(volume + "/id", 0o4755) == 0)
            let script = "/mnt/id -u; grep NoNewPrivs /proc/self/status"
            #expect(try SandboxProcess.shell(script, options: ["--user", "1000", "-v", "\(volume):/mnt"], image: false) == "0\nNoNewPrivs:\t0")
            #expect(try SandboxProcess.shell(script, options: ["--user", "1000", "-v", "\(volume):/mnt", "--security-opt", "no-new-privileges"],
                                             image: false) == "1000\nNoNewPrivs:\t1")
        }

        @Test func privilegedHasEveryCapabilityNoMasksAndHostDevices() throws {
            let inside = try SandboxProcess.shell("""
                grep CapEff /proc/self/status | cut -f2
                grep -q ' /proc/keys ' /proc/self/mountinfo || echo keys-visible
                test -e /dev/vda -o -e /dev/sda -o -e /dev/nvme0 -o -e /dev/loop0 && echo host-devices
                cat /proc/self/uid_map | tr -s ' ' | cut -d' ' -f2-3
                """, options: ["--privileged"])
            let lines = inside.split(separator: "\n").map(String.init)
            #expect(lines.first == Capabilities.lastCapabilityMask)
            #expect(lines.contains("keys-visible") && lines.contains("host-devices"))
            #expect(lines.last == "0 \(try Host.remapStart())", "container root must stay remapped")
        }
    }

    @Suite struct ProbeCommand {
        @Test func probeInsideAgreesWithTheKernel() throws {
            let result = try SandboxProcess.run(["run", "--user", "1000", "--cap-add", "NET_ADMIN", "--security-opt", "no-new-privileges"]
                                                + SandboxProcess.mountedBinary.options + ["--", SandboxProcess.mountedBinary.path, "probe", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let probe = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
            let caps = probe["capabilities"] as! [String: [String]]
            #expect(caps["ambient"] == ["NET_ADMIN"] && caps["effective"] == ["NET_ADMIN"] && caps["inheritable"] == ["NET_ADMIN"])
            #expect(caps["bounding"]?.count == 15)
            #expect(probe["noNewPrivileges"] as? Bool == true)
            #expect(probe["uid"] as? String == "1000 1000 1000 1000")
            let namespaces = probe["namespaces"] as! [String: String]
            #expect(namespaces["net"] != (try Host.namespace("net")))
            #expect((probe["maskedPaths"] as! [String: String])["/proc/keys"] == "masked")
            #expect((probe["uidMap"] as! [String]).first?.hasPrefix("0 ") == true)
        }

        @Test func dropAllShowsInTheTable() throws {
            let result = try SandboxProcess.run(["run", "--cap-drop", "ALL"] + SandboxProcess.mountedBinary.options
                                                + ["--", SandboxProcess.mountedBinary.path, "probe"])
            #expect(result.stdout.contains("caps bounding                         -\n"))
        }
    }
}
