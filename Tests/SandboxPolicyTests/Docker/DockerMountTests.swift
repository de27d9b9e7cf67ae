import Testing
@testable import SandboxPolicy

/// `--mount`: the docker CLI's keys, defaults and messages (checked against docker 28.2's own), the daemon's
/// checks, and named volumes refused.
struct DockerMountTests {
    static func bind(_ source: String, _ target: String, readOnly: Bool = false, recursive: Bool = true,
                     propagation: MountPropagation? = nil) -> DockerMount {
        var volume = Volume(source: source, target: target, readOnly: readOnly)
        volume.recursive = recursive
        volume.propagation = propagation
        return .bind(volume)
    }

    @Test(arguments: [
        ("type=bind,source=/srv,target=/data", bind("/srv", "/data")),
        ("type=bind,src=/srv,dst=/data,readonly", bind("/srv", "/data", readOnly: true)),
        ("type=bind,src=/srv,destination=/data,ro=true", bind("/srv", "/data", readOnly: true)),
        ("type=bind,src=/srv,dst=/data,ro=0", bind("/srv", "/data")),
        ("TYPE=BIND,SRC=/srv,DST=/data", bind("/srv", "/data")),
        ("type=bind,src=/srv/,dst=/data//x/", bind("/srv", "/data/x")),
        ("type=bind,src=.,dst=/app", bind("/home/alice", "/app")),
        ("type=bind,src=./web,dst=/app", bind("/home/alice/web", "/app")),
        ("type=bind,src=/srv,dst=/data,bind-propagation=rshared", bind("/srv", "/data", propagation: .recursiveShared)),
        ("type=bind,src=/srv,dst=/data,bind-propagation=SLAVE", bind("/srv", "/data", propagation: .slave)),
        ("type=bind,src=/srv,dst=/data,bind-nonrecursive", bind("/srv", "/data", recursive: false)),
        ("type=bind,src=/srv,dst=/data,bind-recursive=disabled", bind("/srv", "/data", recursive: false)),
        ("type=bind,src=/srv,dst=/data,bind-recursive=enabled", bind("/srv", "/data")),
        ("type=bind,src=/srv,dst=/data,ro,bind-recursive=readonly,bind-propagation=rprivate",
         bind("/srv", "/data", readOnly: true, propagation: .recursivePrivate)),
        ("type=bind,src=/srv,dst=/data,consistency=cached", bind("/srv", "/data")),
        // Go's CSV: a quoted field may hold a comma.
        ("type=bind,\"src=/srv/a,b\",dst=/data", bind("/srv/a,b", "/data")),
        ("type=tmpfs,dst=/scratch", .tmpfs(TmpfsMount(target: "/scratch", data: nil))),
        ("type=tmpfs,dst=/scratch,tmpfs-size=64m,tmpfs-mode=1770",
         .tmpfs(TmpfsMount(target: "/scratch", data: "mode=1770,size=67108864"))),
        ("type=tmpfs,dst=/scratch,ro", .tmpfs(TmpfsMount(target: "/scratch", data: nil, attributes: [.readOnly, .noSetuid, .noDevices, .noExec]))),
    ])
    func parses(text: String, expected: DockerMount) throws {
        #expect(try DockerMount(parsing: text, currentDirectory: "/home/alice") == expected)
    }

    @Test(arguments: [
        ("type=bind", "invalid argument \"type=bind\" for \"--mount\" flag: target is required"),
        ("type=,dst=/x", "invalid argument \"type=,dst=/x\" for \"--mount\" flag: type is required"),
        ("type=bind,foo=1,dst=/x", "invalid argument \"type=bind,foo=1,dst=/x\" for \"--mount\" flag: unexpected key 'foo' in 'foo=1'"),
        ("type=bind,src=/a,dst=/x,bogus", "invalid argument \"type=bind,src=/a,dst=/x,bogus\" for \"--mount\" flag: invalid field 'bogus' must be a key=value pair"),
        ("type=bind,ro=maybe,dst=/x", "invalid argument \"type=bind,ro=maybe,dst=/x\" for \"--mount\" flag: invalid value for ro: maybe"),
        ("type=tmpfs,dst=/x,tmpfs-size=lots", "invalid argument \"type=tmpfs,dst=/x,tmpfs-size=lots\" for \"--mount\" flag: invalid value for tmpfs-size: lots"),
        ("type=tmpfs,dst=/x,tmpfs-mode=999", "invalid argument \"type=tmpfs,dst=/x,tmpfs-mode=999\" for \"--mount\" flag: invalid value for tmpfs-mode: 999"),
        ("type=tmpfs,dst=/x,bind-propagation=shared", "invalid argument \"type=tmpfs,dst=/x,bind-propagation=shared\" for \"--mount\" flag: cannot mix 'bind-*' options with mount type 'tmpfs'"),
        ("type=bind,src=/a,dst=/x,tmpfs-size=1m", "invalid argument \"type=bind,src=/a,dst=/x,tmpfs-size=1m\" for \"--mount\" flag: cannot mix 'tmpfs-*' options with mount type 'bind'"),
        ("type=bind,src=/a,dst=/x,volume-nocopy", "invalid argument \"type=bind,src=/a,dst=/x,volume-nocopy\" for \"--mount\" flag: cannot mix 'volume-*' options with mount type 'bind'"),
        ("type=bind,src=/a,dst=/x,bind-recursive=readonly", "invalid argument \"type=bind,src=/a,dst=/x,bind-recursive=readonly\" for \"--mount\" flag: option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction"),
        ("type=bind,src=/a,dst=/x,ro,bind-recursive=readonly", "invalid argument \"type=bind,src=/a,dst=/x,ro,bind-recursive=readonly\" for \"--mount\" flag: option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction"),
        ("type=bind,src=/a,dst=/x,bind-recursive=weird", "invalid argument \"type=bind,src=/a,dst=/x,bind-recursive=weird\" for \"--mount\" flag: invalid value for bind-recursive: weird (must be \"enabled\", \"disabled\", \"writable\", or \"readonly\")"),
        ("type=bind,\"src=/a\"b,dst=/x", "invalid argument \"type=bind,\"src=/a\"b,dst=/x\" for \"--mount\" flag: parse error: extraneous or missing \" in quoted-field"),
        ("type=bind,src=/a\"b,dst=/x", "invalid argument \"type=bind,src=/a\"b,dst=/x\" for \"--mount\" flag: parse error: bare \" in non-quoted-field"),
        // What the daemon says.
        ("type=bind,dst=/x", "invalid mount config for type \"bind\": field Source must not be empty"),
        ("type=bind,src=a,dst=/x", "invalid mount config for type \"bind\": invalid mount path: 'a' mount path must be absolute"),
        ("type=bind,src=/a,dst=x", "invalid mount config for type \"bind\": invalid mount path: 'x' mount path must be absolute"),
        ("type=bind,src=/a,dst=/", "invalid mount config for type \"bind\": invalid specification: destination can't be '/'"),
        ("type=tmpfs,src=/a,dst=/x", "invalid mount config for type \"tmpfs\": field Source must not be specified"),
        ("type=bind,src=/a,dst=/x,bind-propagation=weird", "invalid mount config for type \"bind\": invalid propagation mode: weird"),
        ("type=npipe,src=/a,dst=/x", "invalid mount config for type \"npipe\": mount type unknown"),
        // What sandbox has not.
        ("type=volume,src=data,dst=/x", "--mount type=volume is not supported: " + Unsupported.namedVolumes),
        ("dst=/x", "--mount type=volume is not supported: " + Unsupported.namedVolumes),
        ("type=image,src=alpine,dst=/x", "--mount type=image is not supported: " + Unsupported.images),
        ("type=bind,src=/a,dst=/x,ro,bind-recursive=writable",
         "--mount bind-recursive=writable is not supported: a read-only bind is read-only beneath too, as with bind-recursive=enabled"),
    ])
    func refused(text: String, message: String) {
        let error = #expect(throws: SandboxError.self) { try DockerMount(parsing: text, currentDirectory: "/") }
        #expect(error?.message == message)
    }
}
