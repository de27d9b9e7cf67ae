import SandboxPolicy

/// User namespaces the mount table and the launch plan are decided for, one per kind of writer.
public enum Fixtures {
    /// Root with a 65536-id range: it writes the maps itself and can idmap mounts.
    public static let rootRemap = try! UserNamespacePlan(
        uidMap: IDMap([IDMapping(containerID: 0, hostID: 100_000, size: 65536)], option: "uid map"),
        gidMap: IDMap([IDMapping(containerID: 0, hostID: 100_000, size: 65536)], option: "gid map"),
        writer: .root)

    /// A user with subordinate ids (newuidmap and newgidmap write the maps): no idmapped mounts.
    public static let rootlessWithSubordinates = try! UserNamespacePlan.rootless(
        uid: 1000, gid: 1000,
        subordinateUIDs: [IDMapping(containerID: 0, hostID: 100_000, size: 65536)],
        subordinateGIDs: [IDMapping(containerID: 0, hostID: 100_000, size: 65536)])

    /// A user without subordinate ids: only container root exists, so there is no tty group.
    public static let rootlessCallerOnly = try! UserNamespacePlan.rootless(
        uid: 1000, gid: 1000, subordinateUIDs: [], subordinateGIDs: [])

}

extension RunSpec {
    /// A spec with `namespaces` shared with the host, for tables of `--X host` variants.
    public static func sharing(_ namespaces: [Namespace], command: [String] = ["true"]) -> RunSpec {
        var spec = RunSpec(command: command)
        for namespace in namespaces { spec.namespaces.share(namespace) }
        return spec
    }
}

extension ContainerSpec {
    public static let id = ContainerID(randomFrom: Array(0..<32))
    public static let host = HostFacts(nodename: "host-name", lastCapability: 40, bounding: .all(through: 40), timeNamespaces: true)

    /// `sandbox run`'s flags resolved on a made-up host, with an image that has only root in its passwd.
    public static func docker(_ run: RunSpec, userNamespace: UserNamespacePlan? = Fixtures.rootRemap, host: HostFacts = host,
                              passwd: String? = "root:x:0:0:root:/root:/bin/sh\n", ownCgroup: Bool = false,
                              anonymousVolumes: [String] = []) throws -> ContainerSpec {
        var context = DockerContext(id: id, host: host, passwd: passwd, group: nil, userNamespace: userNamespace, deviceRules: [],
                                    seccompProfile: nil, ownCgroup: ownCgroup)
        context.anonymousVolumes = anonymousVolumes
        return try ContainerSpec(docker: run, context: context)
    }
}
