import SandboxJSON
import Testing
@testable import SandboxOCI

/// The two other documents: the state a runtime reports, and its features.
struct StateAndFeaturesTests {
    @Test func stateIsWrittenInTheSpecsOrder() throws {
        let state = OCI.State(id: "oci-container1", status: .running, pid: 4422, bundle: "/containers/redis",
                              annotations: ["myKey": "myValue"])
        #expect(try JSON.encode(state) == """
            {
              "ociVersion": "\(OCI.version)",
              "id": "oci-container1",
              "status": "running",
              "pid": 4422,
              "bundle": "/containers/redis",
              "annotations": {
                "myKey": "myValue"
              }
            }

            """)
        #expect(try JSON.decode(OCI.State.self, from: JSON.encode(state), document: "state") == state)
    }

    @Test func stoppedStateHasNoPid() throws {
        let state = try JSON.decode(OCI.State.self, from: #"{"ociVersion": "1.2.1", "id": "c", "status": "stopped", "bundle": "/b"}"#,
                                   document: "state")
        #expect(state == OCI.State(id: "c", status: .stopped, bundle: "/b"))
    }

    @Test(arguments: [
        (#"{"ociVersion": "1.2.1", "id": "c", "status": "frozen", "bundle": "/b"}"#,
         #"state: status: unknown container status "frozen" (known: creating, created, running, stopped, paused)"#),
        (#"{"ociVersion": "1.2.1", "id": "c", "status": "running", "pid": "1", "bundle": "/b"}"#,
         "state: pid: expected an integer, found a string"),
        (#"{"ociVersion": "1.2.1", "id": "c", "status": "running"}"#, "state: bundle: missing"),
    ])
    func badStateNamesItsPath(json: String, message: String) {
        #expect(throws: JSON.DocumentError(document: "state", detail: String(message.dropFirst("state: ".count)))) {
            try JSON.decode(OCI.State.self, from: json, document: "state")
        }
    }

    /// What a seccomp agent reads from `listenerPath`, as the spec's example has it.
    @Test func containerProcessStateDecodes() throws {
        let processState = try JSON.decode(OCI.ContainerProcessState.self, from: """
            {"ociVersion": "1.0.2", "fds": ["seccompFd"], "pid": 4422, "metadata": "MKNOD=/dev/null",
             "state": {"ociVersion": "1.0.2", "id": "oci-container1", "status": "creating", "pid": 4422,
                       "bundle": "/containers/redis", "annotations": {"myKey": "myValue"}}}
            """, document: "process state")
        #expect(processState.fds == [OCI.ContainerProcessState.seccompFd] && processState.pid == 4422)
        #expect(processState.state.status == .creating && processState.state.annotations == ["myKey": "myValue"])
    }

    /// A features document as runc prints it (abridged): every property decodes and comes back as written.
    static let features = """
        {
          "ociVersionMin": "1.0.0",
          "ociVersionMax": "1.2.1",
          "hooks": [
            "prestart",
            "createRuntime",
            "createContainer",
            "startContainer",
            "poststart",
            "poststop"
          ],
          "mountOptions": [
            "bind",
            "rbind",
            "ro"
          ],
          "linux": {
            "namespaces": [
              "cgroup",
              "ipc",
              "mount",
              "network",
              "pid",
              "time",
              "user",
              "uts"
            ],
            "capabilities": [
              "CAP_CHOWN",
              "CAP_CHECKPOINT_RESTORE"
            ],
            "cgroup": {
              "v1": true,
              "v2": true,
              "systemd": true,
              "systemdUser": true,
              "rdma": true
            },
            "seccomp": {
              "enabled": true,
              "actions": [
                "SCMP_ACT_ALLOW",
                "SCMP_ACT_NOTIFY"
              ],
              "operators": [
                "SCMP_CMP_EQ",
                "SCMP_CMP_MASKED_EQ"
              ],
              "archs": [
                "SCMP_ARCH_AARCH64",
                "SCMP_ARCH_X86_64"
              ],
              "knownFlags": [
                "SECCOMP_FILTER_FLAG_TSYNC",
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                "SECCOMP_FILTER_FLAG_LOG"
              ],
              "supportedFlags": [
                "SECCOMP_FILTER_FLAG_TSYNC",
                "SECCOMP_FILTER_FLAG_LOG"
              ]
            },
            "apparmor": {
              "enabled": true
            },
            "selinux": {
              "enabled": false
            },
            "intelRdt": {
              "enabled": true
            },
            "mountExtensions": {
              "idmap": {
                "enabled": true
              }
            }
          },
          "annotations": {
            "org.opencontainers.runc.version": "1.2.0"
          },
          "potentiallyUnsafeConfigAnnotations": [
            "bundle",
            "org.systemd.property."
          ]
        }

        """

    @Test func featuresComeBackAsWritten() throws {
        let features = try JSON.decode(OCI.Features.self, from: Self.features, document: "features")
        #expect(features.ociVersionMax == "1.2.1" && features.hooks?.count == 6)
        #expect(features.linux?.namespaces?.contains(.time) == true && features.linux?.seccomp?.archs == [.aarch64, .x86_64])
        #expect(features.linux?.seccomp?.supportedFlags == [.threadSynchronize, .log])
        #expect(features.linux?.mountExtensions?.idmap?.enabled == true && features.linux?.selinux?.enabled == false)
        #expect(try JSON.encode(features) == Self.features)
    }

    /// Absent says nothing, unlike an empty list: a runtime that says nothing about seccomp is not one without it.
    @Test func minimalFeatures() throws {
        let minimal = #"{"ociVersionMin": "1.0.0", "ociVersionMax": "1.2.1", "hooks": null, "mountOptions": []}"#
        let features = try JSON.decode(OCI.Features.self, from: minimal, document: "features")
        #expect(features.hooks == nil && features.mountOptions == [] && features.linux == nil)
        #expect(throws: JSON.DocumentError(document: "features", detail: "ociVersionMax: missing")) {
            try JSON.decode(OCI.Features.self, from: #"{"ociVersionMin": "1.0.0"}"#, document: "features")
        }
    }
}
