import Foundation
import Testing

extension ContainerTests {
    @Suite struct Namespaces {
        static let names = ["user", "pid", "net", "ipc", "uts", "mnt", "cgroup", "time"]

        @Test func everyNamespaceIsNew() throws {
            let inside = try SandboxProcess.shell(Self.names.map { "readlink /proc/self/ns/\($0)" }.joined(separator: ";"))
            let ids = inside.split(separator: "\n").map(String.init)
            try #require(ids.count == Self.names.count)
            for (name, id) in zip(Self.names, ids) {
                #expect(id != (try Host.namespace(name)), "\(name) is the host's")
                #expect(id.hasPrefix("\(name):["))
            }
        }

        @Test(arguments: [("--pid", "pid"), ("--network", "net"), ("--net", "net"), ("--ipc", "ipc"), ("--uts", "uts"),
                          ("--userns", "user"), ("--cgroupns", "cgroup")])
        func sharedWithTheHost(flag: String, name: String) throws {
            let inside = try SandboxProcess.shell(Self.names.map { "readlink /proc/self/ns/\($0)" }.joined(separator: ";"),
                                                  options: [flag, "host"])
            for (other, id) in zip(Self.names, inside.split(separator: "\n").map(String.init)) {
                if other == name {
                    #expect(id == (try Host.namespace(other)), "\(flag) host: \(other) is not the host's")
                } else if !(name == "user" && other == "user") {
                    #expect(id != (try Host.namespace(other)), "\(flag) host: \(other) is the host's too")
                }
            }
        }

        @Test func workloadIsPidOneAndSeesNoHostProcess() throws {
            let inside = try SandboxProcess.shell("echo $$; ls /proc | grep -E '^[0-9]+$' | sort -n | tr '\\n' ' '")
            let lines = inside.split(separator: "\n")
            #expect(lines.first == "1")
            let pids = lines.last!.split(separator: " ").compactMap { Int32($0) }
            #expect(pids.allSatisfy { $0 < 10 }, "host processes visible: \(pids)")
            #expect(!pids.contains(getpid()) || getpid() < 10)
        }

        @Test func hostnameIsShortIDOrTheGivenName() throws {
            let generated = try SandboxProcess.shell("hostname; echo $HOSTNAME")
            let lines = generated.split(separator: "\n")
            #expect(lines.count == 2 && lines[0] == lines[1])
            #expect(lines[0].count == 12 && lines[0].allSatisfy(\.isHexDigit))
            #expect(try SandboxProcess.shell("hostname", options: ["--hostname", "box.example"]) == "box.example")
        }

        @Test func defaultNetworkHasOnlyLoopbackAndItIsUp() throws {
            let inside = try SandboxProcess.shell("ls /sys/class/net; cat /sys/class/net/lo/flags")
            #expect(inside == "lo\n0x9")
        }
    }
}
