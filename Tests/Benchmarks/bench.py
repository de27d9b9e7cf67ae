#!/usr/bin/env python3
# The measurements behind `make bench` (bench.sh sets up the machine, calls this, and cleans up after it):
# sandbox against crun, and for the first row unshare, bwrap and runc, starting /bin/true from the same rootfs,
# printed as one table of ratios to crun. Every comparison interleaves the two runtimes run by run (or round by
# round), so that what the machine does meanwhile falls on both alike.
#   usage: bench.py WORK_DIR SANDBOX ROOTFS ID_PREFIX
# Every container it starts detached is named in WORK_DIR/detached first, for bench.sh to remove even if this
# is interrupted; crun's are named ID_PREFIX-crun-N.
import json, os, random, statistics, subprocess, sys, time

work, sandbox, rootfs, prefix = sys.argv[1:5]
null = os.open("/dev/null", os.O_RDWR)
counter = 0
pending = set()  # children spawned and not yet reaped: reaped before exit, whatever happens


def spawn(argv):
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[
        (os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
    pending.add(pid)
    return pid


def reap(pid, argv):
    _, status = os.waitpid(pid, 0)
    pending.discard(pid)
    if status != 0:
        sys.exit(f"bench: failed ({status}): {' '.join(argv)}")


def once(command):
    """One start's wall time, ms."""
    argv = command()
    start = time.monotonic_ns()
    reap(spawn(argv), argv)
    return (time.monotonic_ns() - start) / 1e6


def peak_rss(command, runs=5):
    """The largest of GNU time's %M over `runs` starts, KiB: the largest resident set among the processes it
    waited for, directly or through their own waits; for crun and runc, the runtime itself. (Not this
    process's wait4: a child spawned from Python counts Python's pages until its execve.)"""
    peak = 0
    for _ in range(runs):
        argv = ["/usr/bin/time", "-f", "%M", "-o", f"{work}/rss", *command()]
        reap(spawn(argv), argv)
        peak = max(peak, int(open(f"{work}/rss").read().split()[-1]))
    return peak


def crun_id():
    global counter
    counter += 1
    return f"{prefix}-crun-{counter}"


def sandbox_run(*options, binary=sandbox):
    return lambda: [binary, "run", *options, "--rootfs", rootfs, "true"]


def crun_run(bundle, binary="crun"):
    return lambda: [binary, "run", "--bundle", f"{work}/{bundle}", crun_id()]


def interleaved(commands, rounds, warmup=2):
    """Each command `rounds` times, one of each in turn, in a new order each round: what a run leaves the
    kernel to finish (a network namespace's teardown, a cgroup's) falls on whichever comes next, and a
    fixed order would put it on the same one each time. {name: [ms]}"""
    results = {name: [] for name in commands}
    order = random.Random(11)
    for round in range(warmup + rounds):
        for name, command in order.sample(list(commands.items()), len(commands)):
            sample = once(command)
            if round >= warmup:
                results[name].append(sample)
    return results


median = statistics.median


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * fraction))]


def sequential(command, count):
    start = time.monotonic_ns()
    for _ in range(count):
        once(command)
    return (time.monotonic_ns() - start) / 1e6


def parallel(command, count):
    """`count` starts at once: (total ms, [each start's ms])."""
    starts, argvs = {}, {}
    begin = time.monotonic_ns()
    for _ in range(count):
        argv = command()
        pid = spawn(argv)
        starts[pid], argvs[pid] = time.monotonic_ns(), argv
    latencies = []
    while starts:
        pid, status, _ = os.wait4(-1, 0)
        pending.discard(pid)
        if status != 0:
            sys.exit(f"bench: failed ({status}): {' '.join(argvs[pid])}")
        latencies.append((time.monotonic_ns() - starts.pop(pid)) / 1e6)
    return (time.monotonic_ns() - begin) / 1e6, latencies


rows = []  # (measure, sandbox, crun, ratio or None)
EXTRA = 20  # volumes and tmpfs mounts added, to measure what one more costs


def row(measure, ours, theirs, digits=2):
    # A difference of two medians can come out at or below zero, where a ratio says nothing.
    rows.append((measure, round(ours, digits), round(theirs, digits), ours / theirs if ours > 0 and theirs > 0 else None))


def bundles():
    """crun's bundles, from `crun spec`, on the shared rootfs, with the isolation sandbox gives by default."""
    subprocess.run(["crun", "spec"], cwd=work, check=True)
    template = json.load(open(f"{work}/config.json"))
    os.remove(f"{work}/config.json")

    def make(name, edit=lambda config: None, args=("/bin/true",), extra_namespaces=("time",)):
        config = json.loads(json.dumps(template))
        config["root"] = {"path": rootfs, "readonly": True}
        config["process"]["args"] = list(args)
        config["process"]["terminal"] = False
        have = {n["type"] for n in config["linux"]["namespaces"]}
        config["linux"]["namespaces"] += [{"type": t} for t in ["user", "cgroup", *extra_namespaces] if t not in have]
        mapping = [{"containerID": 0, "hostID": 100000, "size": 65536}]
        config["linux"]["uidMappings"] = config["linux"]["gidMappings"] = mapping
        edit(config)
        os.makedirs(f"{work}/{name}")
        json.dump(config, open(f"{work}/{name}/config.json", "w"), indent=2)

    # crun makes no mount point in a read-only image (sandbox makes them on its overlay's upper layer): crun's
    # go on a tmpfs at /tmp, which its base for these two rows has as well.
    def scratch(config):
        config["mounts"].append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]})

    def volumes(config):
        scratch(config)
        config["mounts"] += [{"destination": f"/tmp/v{i}", "type": "bind", "source": f"{work}/volume{i}",
                              "options": ["rbind"]} for i in range(EXTRA)]

    def tmpfs(config):
        scratch(config)
        config["mounts"] += [{"destination": f"/tmp/t{i}", "type": "tmpfs", "source": "tmpfs",
                              "options": ["nosuid", "nodev", "noexec"]} for i in range(EXTRA)]

    def seccomp(profile):
        return lambda config: config["linux"].__setitem__("seccomp", profile)

    for i in range(EXTRA):
        os.makedirs(f"{work}/volume{i}")
    make("crun")
    make("runc", extra_namespaces=())  # runc 1.1 rejects the "time" namespace type
    make("crun-scratch", scratch)
    make("crun-volumes", volumes)
    make("crun-tmpfs", tmpfs)
    make("crun-sleep", args=("/bin/sleep", "600"))
    # sandbox's own default, resolved for this host as it loads it: crun given the same filter.
    printed = subprocess.run([sandbox, "run", "--print-spec", "--rootfs", rootfs, "true"], check=True,
                             capture_output=True, text=True).stdout
    make("crun-docker-seccomp", seccomp(json.loads(printed)["linux"]["seccomp"]))
    make("crun-seccomp-1000", seccomp(thousand_rules()))


# Syscalls neither /bin/true nor a runtime after its filter makes: each rule returns EPERM for one argument value.
RARE_SYSCALLS = ["acct", "add_key", "adjtimex", "bpf", "clock_adjtime", "clock_settime", "delete_module", "finit_module",
                 "init_module", "kexec_load", "keyctl", "lookup_dcookie", "move_pages", "name_to_handle_at",
                 "open_by_handle_at", "perf_event_open", "process_vm_readv", "process_vm_writev", "quotactl", "reboot",
                 "request_key", "settimeofday", "swapoff", "swapon", "syslog"]


def thousand_rules():
    """A profile of 1,000 rules: 40 argument values for each of 25 syscalls, allowed by default."""
    return {"defaultAction": "SCMP_ACT_ALLOW",
            "syscalls": [{"names": [name], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
                          "args": [{"index": 0, "value": 1000 + value, "op": "SCMP_CMP_EQ"}]}
                         for name in RARE_SYSCALLS for value in range(40)]}


def main():
    bundles()
    json.dump(thousand_rules(), open(f"{work}/seccomp-1000.json", "w"))
    volumes = [option for i in range(EXTRA) for option in ("-v", f"{work}/volume{i}:/mnt/v{i}")]
    tmpfs = [option for i in range(EXTRA) for option in ("--tmpfs", f"/tmp/t{i}")]

    # Start: all five runtimes, and crun with the filter sandbox loads by default.
    commands = {
        "sandbox": sandbox_run(),
        "crun": crun_run("crun"),
        "crun + Docker's seccomp": crun_run("crun-docker-seccomp"),
        "runc": lambda: ["runc", "run", "--bundle", f"{work}/runc", crun_id()],
        "bwrap": lambda: ["bwrap", "--unshare-all", "--ro-bind", rootfs, "/", "--proc", "/proc", "--dev", "/dev", "/bin/true"],
        # The same eight namespaces; as root --map-root-user maps 0 to 0.
        "unshare": lambda: ["unshare", "--user", "--map-root-user", "--pid", "--fork", "--net", "--mount", "--ipc", "--uts",
                            "--cgroup", "--time", "chroot", rootfs, "/bin/true"],
    }
    starts = interleaved(commands, rounds=40, warmup=3)
    crun_start = median(starts["crun"])
    rss = {name: peak_rss(command) for name, command in commands.items()}
    print(f"{'start of /bin/true':<28}{'median ms':>10}{'p95 ms':>9}{'vs crun':>9}{'peak RSS KiB':>14}")
    for name, samples in starts.items():
        print(f"{name:<28}{median(samples):>10.2f}{percentile(samples, 0.95):>9.2f}"
              f"{median(samples) / crun_start:>9.2f}{rss[name]:>14}")
    print()

    row("start, median ms", median(starts["sandbox"]), crun_start)
    row("start, p95 ms", percentile(starts["sandbox"], 0.95), percentile(starts["crun"], 0.95))
    # Rounds of 100 in a row, the two runtimes in a new order each round, and the median round: a stretch in
    # which the host is slower (this VM's neighbours) falls on one round of each, not on one runtime's mean.
    totals = {"sandbox": [], "crun": []}
    order = random.Random(13)
    for _ in range(5):
        for name, command in order.sample([("sandbox", sandbox_run()), ("crun", crun_run("crun"))], 2):
            totals[name].append(sequential(command, 100))
    row("100 sequential starts, total ms", median(totals["sandbox"]), median(totals["crun"]), 0)
    for count, rounds in [(1, 16), (2, 8), (8, 4), (32, 2)]:
        runs = {"sandbox": ([], []), "crun": ([], [])}
        for _ in range(rounds):
            for name, command in [("sandbox", sandbox_run()), ("crun", crun_run("crun"))]:
                total, latencies = parallel(command, count)
                runs[name][0].append(total)
                runs[name][1].extend(latencies)
        row(f"{count} at once: total ms", statistics.median(runs["sandbox"][0]), statistics.median(runs["crun"][0]), 1)
        for fraction, label in [(0.5, "p50"), (0.95, "p95")]:
            row(f"{count} at once: each start {label} ms", percentile(runs["sandbox"][1], fraction),
                percentile(runs["crun"][1], fraction), 1)
    row("peak RSS KiB", rss["sandbox"], rss["crun"], 0)

    extras = interleaved({
        "sandbox": sandbox_run(), "sandbox-v": sandbox_run(*volumes), "sandbox-tmpfs": sandbox_run(*tmpfs),
        "crun": crun_run("crun-scratch"), "crun-v": crun_run("crun-volumes"), "crun-tmpfs": crun_run("crun-tmpfs"),
    }, rounds=30)
    for kind, label in [("v", "-v"), ("tmpfs", "--tmpfs")]:
        each = {name: (median(extras[f"{name}-{kind}"]) - median(extras[name])) / EXTRA for name in ("sandbox", "crun")}
        row(f"each extra {label} (0 vs {EXTRA}), ms", each["sandbox"], each["crun"], 3)

    seccomp = interleaved({"sandbox": sandbox_run("--security-opt", f"seccomp={work}/seccomp-1000.json"),
                           "crun": crun_run("crun-seccomp-1000")}, rounds=20)
    row("1,000-rule seccomp profile: start ms", median(seccomp["sandbox"]), median(seccomp["crun"]))

    # CVE-2019-5736: both re-execute themselves from a read-only bind mount of their binary before they start
    # anything, unless they already run from a read-only mount (bench.sh binds each there): the difference is
    # what the protection costs a start.
    sealed = interleaved({"sandbox": sandbox_run(), "sandbox-ro": sandbox_run(binary=f"{work}/sandbox-ro"),
                          "crun": crun_run("crun"), "crun-ro": crun_run("crun", binary=f"{work}/crun-ro")}, rounds=30)
    row("sealed re-execution (vs a read-only mount), ms", median(sealed["sandbox"]) - median(sealed["sandbox-ro"]),
        median(sealed["crun"]) - median(sealed["crun-ro"]), 3)

    idle = interleaved({"sandbox": sandbox_run(), "crun": crun_run("crun")}, rounds=20)
    with open(f"{work}/detached", "a") as names:
        for i in range(50):
            name = f"{prefix}-sleep-{i}"
            names.write(name + "\n")
            names.flush()
            quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
            subprocess.run([sandbox, "run", "-d", "--name", name, "--rootfs", rootfs, "sleep", "600"], check=True, **quiet)
            subprocess.run(["crun", "run", "-d", "--bundle", f"{work}/crun-sleep", name], check=True, **quiet)
    busy = interleaved({"sandbox": sandbox_run(), "crun": crun_run("crun")}, rounds=20)
    row("start beside 50 running, ms", median(busy["sandbox"]), median(busy["crun"]))
    row("  the same / beside none", median(busy["sandbox"]) / median(idle["sandbox"]),
        median(busy["crun"]) / median(idle["crun"]))

    print(f"{'sandbox against crun, same run':<40}{'sandbox':>10}{'crun':>10}{'sandbox/crun':>14}")
    for measure, ours, theirs, ratio in rows:
        print(f"{measure:<40}{ours:>10}{theirs:>10}{'' if ratio is None else f'{ratio:.2f}':>14}")


try:
    main()
finally:
    # Interrupted: what was started is waited for (each run removes its own container), then bench.sh
    # removes the detached ones and any crun container a kill left.
    for pid in list(pending):
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
