import Foundation
import Glibc
import Testing

extension ContainerTests {
    /// `linux.seccomp.listenerPath`: a seccomp agent listening on a Unix socket gets the container's process
    /// state and the listener of its filter, as runc sends them.
    @Suite struct SeccompAgent {
        /// A one-shot agent: listens at `path`, takes one connection, and keeps what it was sent.
        final class Agent: @unchecked Sendable {
            let path: String
            let socket: Int32
            private(set) var message = ""
            private(set) var fd: Int32 = -1
            private let done = DispatchSemaphore(value: 0)

            init(path: String) throws {
                self.path = path
                socket = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
                var address = sockaddr_un()
                address.sun_family = sa_family_t(AF_UNIX)
                withUnsafeMutableBytes(of: &address.sun_path) { buffer in
                    for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
                }
                let bound = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
                }
                try #require(bound == 0 && listen(socket, 1) == 0)
                DispatchQueue.global().async { self.serve() }
            }

            private func serve() {
                defer { done.signal() }
                let connection = accept(socket, nil, nil)
                guard connection >= 0 else { return }
                defer { close(connection) }
                var data = [UInt8](repeating: 0, count: 65536)
                // A cmsghdr (16 bytes on 64-bit Linux) and one int, padded: CMSG_SPACE(sizeof(int)).
                var control = [UInt8](repeating: 0, count: 24)
                let got = data.withUnsafeMutableBytes { dataBuffer in
                    control.withUnsafeMutableBytes { controlBuffer in
                        var vector = iovec(iov_base: dataBuffer.baseAddress, iov_len: dataBuffer.count)
                        return withUnsafeMutablePointer(to: &vector) { vector in
                            var header = msghdr(msg_name: nil, msg_namelen: 0, msg_iov: vector, msg_iovlen: 1,
                                                msg_control: controlBuffer.baseAddress, msg_controllen: controlBuffer.count, msg_flags: 0)
                            return recvmsg(connection, &header, Int32(MSG_CMSG_CLOEXEC))
                        }
                    }
                }
                guard got > 0 else { return }
                message = String(decoding: data[..<got], as: UTF8.self)
                let level = control.withUnsafeBytes { $0.load(fromByteOffset: 8, as: Int32.self) }
                let type = control.withUnsafeBytes { $0.load(fromByteOffset: 12, as: Int32.self) }
                if level == SOL_SOCKET && type == Int32(SCM_RIGHTS) {
                    fd = control.withUnsafeBytes { $0.load(fromByteOffset: 16, as: Int32.self) }
                }
            }

            func wait() -> Bool { done.wait(timeout: .now() + 30) == .success }

            deinit {
                close(socket)
                if fd >= 0 { close(fd) }
                unlink(path)
            }

            func closeListener() {
                close(fd)
                fd = -1
            }
        }

        @Test func theAgentGetsTheStateAndTheListener() throws {
            var bundle = try OCIRuntime.Bundle(args: ["mkdir", "/tmp/probe"])
            defer { bundle.remove("agent") }
            let agent = try Agent(path: bundle.directory + "/agent.sock")
            var linux = try #require(bundle.config["linux"] as? [String: Any])
            linux["seccomp"] = [
                "defaultAction": "SCMP_ACT_ALLOW", "listenerPath": agent.path, "listenerMetadata": "from the test",
                "syscalls": [["names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"]],
            ]
            bundle.config["linux"] = linux
            try bundle.write()
            let created = try bundle.sandbox(["create", "--bundle", bundle.directory, "agent"])
            #expect(created.status == 0, "\(created.stderr)")
            try #require(agent.wait())
            let pid = try #require(try bundle.state("agent")["pid"] as? Int)

            let sent = try #require(try JSONSerialization.jsonObject(with: Data(agent.message.utf8)) as? [String: Any], "\(agent.message)")
            #expect(sent["fds"] as? [String] == ["seccompFd"] && sent["pid"] as? Int == pid && sent["metadata"] as? String == "from the test")
            let state = try #require(sent["state"] as? [String: Any])
            #expect(state["id"] as? String == "agent" && state["status"] as? String == "creating" && state["pid"] as? Int == pid)
            #expect(state["bundle"] as? String == bundle.directory)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(agent.fd)") == "anon_inode:seccomp notify")

            // The workload's mkdir waits on the agent; with the listener closed the kernel fails it (ENOSYS).
            #expect(try bundle.sandbox(["start", "agent"]).status == 0)
            var waiting = ""
            for _ in 0..<100 {
                waiting = (try? String(contentsOfFile: "/proc/\(pid)/wchan", encoding: .utf8)) ?? ""
                if waiting.contains("seccomp") { break }
                usleep(20_000)
            }
            #expect(waiting.contains("seccomp"), "\(waiting)")
            agent.closeListener()
            for _ in 0..<100 where try bundle.state("agent")["status"] as? String != "stopped" { usleep(20_000) }
            #expect(try bundle.state("agent")["status"] as? String == "stopped")
        }
    }
}
