import Foundation
import Testing

extension ContainerTests {
    @Suite struct UserNamespaces {
        @Test func mapsAreUserSandboxsRange() throws {
            let uid = try Host.remapStart("/etc/subuid"), gid = try Host.remapStart("/etc/subgid")
            let inside = try SandboxProcess.shell("cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g")
            let fields = inside.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(fields[0] == ["0", "\(uid)", "65536"])
            #expect(fields[1] == ["0", "\(gid)", "65536"])
            #expect(fields[2] == ["0"] && fields[3] == ["0"])
        }

        @Test func fileContainerRootMakesOnAVolumeIsOwnedByTheRangeOnTheHost() throws {
            let uid = try Host.remapStart("/etc/subuid"), gid = try Host.remapStart("/etc/subgid")
            let volume = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: volume) }
            _ = try SandboxProcess.shell("touch /data/made-inside", options: ["-v", "\(volume):/data"])
            let attributes = try FileManager.default.attributesOfItem(atPath: volume + "/made-inside")
            #expect(attributes[.ownerAccountID] as? UInt == UInt(uid))
            #expect(attributes[.groupOwnerAccountID] as? UInt == UInt(gid))
        }

        @Test func explicitMapsAreWrittenAsGiven() throws {
            let inside = try SandboxProcess.shell("cat /proc/self/uid_map /proc/self/gid_map",
                                                  options: ["--uidmap", "0:300000:1000", "--uidmap", "1000:400000:10", "--gidmap", "0:500000:2000"])
            let fields = inside.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(fields == [["0", "300000", "1000"], ["1000", "400000", "10"], ["0", "500000", "2000"]])
        }

        @Test func idmappedVolumeShowsHostRootAsContainerRoot() throws {
            let volume = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: volume) }
            try Data("x".utf8).write(to: URL(fileURLWithPath: volume + "/from-host"))
            let inside = try SandboxProcess.shell("stat -c %u /data/from-host; touch /data/from-container",
                                                  options: ["-v", "\(volume):/data:idmap"])
            #expect(inside == "0")
            let attributes = try FileManager.default.attributesOfItem(atPath: volume + "/from-container")
            #expect(attributes[.ownerAccountID] as? UInt == 0)
        }
    }

    /// A user created for the test, without subordinate ids, then with them.
    @Suite struct Rootless {
        static let name = "sbx-rootless-test"

        static func withUser<T>(subordinateIDs: Bool, _ body: (UInt32, UInt32) throws -> T) throws -> T {
            _ = try shell("/usr/sbin/userdel", name, allowFailure: true)
            try shell("/usr/sbin/useradd", "--system", "--user-group", "--no-create-home", name)
            defer {
                _ = try? shell("/usr/sbin/userdel", name, allowFailure: true)
                for file in ["/etc/subuid", "/etc/subgid"] {
                    let lines = ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n")
                    try? (lines.filter { !$0.hasPrefix(name + ":") }.joined(separator: "\n") + "\n").write(toFile: file, atomically: false, encoding: .utf8)
                }
            }
            if subordinateIDs {
                try shell("/usr/sbin/usermod", "--add-subuids", "700000-765535", "--add-subgids", "700000-765535", name)
            }
            let user = try #require(getpwnam(name))
            return try body(user.pointee.pw_uid, user.pointee.pw_gid)
        }

        @discardableResult
        static func shell(_ arguments: String..., allowFailure: Bool = false) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            if !allowFailure { #expect(process.terminationStatus == 0, "\(arguments) failed") }
            return process.terminationStatus
        }

        @Test func containerRootIsTheCaller() throws {
            try Self.withUser(subordinateIDs: false) { uid, gid in
                let result = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "--", "sh", "-c",
                                                     "cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; id -u"],
                                                    asUser: (uid, gid))
                #expect(result.status == 0, "\(result.stderr)")
                let fields = result.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
                #expect(fields == [["0", "\(uid)", "1"], ["0", "\(gid)", "1"], ["deny"], ["0"]])
            }
        }

        @Test func usernsRemapTakesAnotherUsersRanges() throws {
            try Self.withUser(subordinateIDs: true) { _, _ in
                let inside = try SandboxProcess.shell("cat /proc/self/uid_map /proc/self/gid_map", options: ["--userns-remap", Self.name])
                let fields = inside.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
                #expect(fields == [["0", "700000", "65536"], ["0", "700000", "65536"]])
            }
        }

        @Test func subordinateIDsGiveAFullRange() throws {
            try Self.withUser(subordinateIDs: true) { uid, gid in
                let result = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "--", "cat", "/proc/self/uid_map"],
                                                    asUser: (uid, gid))
                #expect(result.status == 0, "\(result.stderr)")
                let fields = result.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
                #expect(fields == [["0", "\(uid)", "1"], ["1", "700000", "65536"]])
            }
        }
    }
}
