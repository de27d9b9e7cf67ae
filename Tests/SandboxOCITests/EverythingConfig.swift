/// A config.json that sets every property config.md and config-linux.md define for Linux (and the two Windows
/// ones inside `process`), members in the order runc writes them (map keys sorted, as Go writes them): decoding
/// it and encoding the value again must give it back byte for byte, so a property the types lack, or write out
/// of order, fails the round trip.
enum EverythingConfig {
    static let json = #"""
{
  "ociVersion": "1.2.1",
  "process": {
    "terminal": true,
    "consoleSize": {
      "height": 25,
      "width": 80
    },
    "user": {
      "uid": 1,
      "gid": 1,
      "umask": 63,
      "additionalGids": [
        5,
        6
      ],
      "username": "containeradministrator"
    },
    "args": [
      "sh"
    ],
    "commandLine": "sh.exe",
    "env": [
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "TERM=xterm"
    ],
    "cwd": "/root",
    "capabilities": {
      "bounding": [
        "CAP_AUDIT_WRITE",
        "CAP_KILL",
        "CAP_NET_BIND_SERVICE"
      ],
      "effective": [
        "CAP_AUDIT_WRITE",
        "CAP_KILL"
      ],
      "inheritable": [
        "CAP_AUDIT_WRITE"
      ],
      "permitted": [
        "CAP_AUDIT_WRITE",
        "CAP_KILL",
        "CAP_NET_BIND_SERVICE"
      ],
      "ambient": [
        "CAP_NET_BIND_SERVICE"
      ]
    },
    "rlimits": [
      {
        "type": "RLIMIT_NOFILE",
        "hard": 1024,
        "soft": 1024
      }
    ],
    "noNewPrivileges": true,
    "apparmorProfile": "acme_secure_profile",
    "oomScoreAdj": -500,
    "scheduler": {
      "policy": "SCHED_DEADLINE",
      "nice": -5,
      "priority": 10,
      "flags": [
        "SCHED_FLAG_RESET_ON_FORK",
        "SCHED_FLAG_UTIL_CLAMP_MAX"
      ],
      "runtime": 10000000,
      "deadline": 30000000,
      "period": 100000000
    },
    "selinuxLabel": "system_u:system_r:svirt_lxc_net_t:s0:c124,c675",
    "ioPriority": {
      "class": "IOPRIO_CLASS_IDLE",
      "priority": 4
    },
    "execCPUAffinity": {
      "initial": "7",
      "final": "0-3,7"
    }
  },
  "root": {
    "path": "rootfs",
    "readonly": true
  },
  "hostname": "slartibartfast",
  "domainname": "foobarbaz.test",
  "mounts": [
    {
      "destination": "/proc",
      "type": "proc",
      "source": "proc"
    },
    {
      "destination": "/data",
      "type": "none",
      "source": "/volumes/testing",
      "options": [
        "rbind",
        "ridmap"
      ],
      "uidMappings": [
        {
          "containerID": 0,
          "hostID": 100000,
          "size": 65536
        }
      ],
      "gidMappings": [
        {
          "containerID": 0,
          "hostID": 100000,
          "size": 65536
        }
      ]
    }
  ],
  "hooks": {
    "prestart": [
      {
        "path": "/usr/bin/fix-mounts",
        "args": [
          "fix-mounts",
          "arg1"
        ],
        "env": [
          "key1=value1"
        ]
      }
    ],
    "createRuntime": [
      {
        "path": "/usr/bin/setup-network"
      }
    ],
    "createContainer": [
      {
        "path": "/usr/bin/mount-hook",
        "args": [
          "-mount",
          "arg1"
        ]
      }
    ],
    "startContainer": [
      {
        "path": "/usr/bin/refresh-ldcache"
      }
    ],
    "poststart": [
      {
        "path": "/usr/bin/notify-start",
        "timeout": 5
      }
    ],
    "poststop": [
      {
        "path": "/usr/sbin/cleanup.sh",
        "args": [
          "cleanup.sh",
          "-f"
        ]
      }
    ]
  },
  "annotations": {
    "com.example.gpu-cores": "2",
    "org.opencontainers.image.stopSignal": "15"
  },
  "linux": {
    "uidMappings": [
      {
        "containerID": 0,
        "hostID": 1000,
        "size": 32000
      }
    ],
    "gidMappings": [
      {
        "containerID": 0,
        "hostID": 1000,
        "size": 32000
      }
    ],
    "sysctl": {
      "net.core.somaxconn": "256",
      "net.ipv4.ip_forward": "1"
    },
    "resources": {
      "devices": [
        {
          "allow": false,
          "access": "rwm"
        },
        {
          "allow": true,
          "type": "c",
          "major": 10,
          "minor": 229,
          "access": "rw"
        }
      ],
      "memory": {
        "limit": 536870912,
        "reservation": 536870912,
        "swap": -1,
        "kernel": -1,
        "kernelTCP": -1,
        "swappiness": 0,
        "disableOOMKiller": false,
        "useHierarchy": true,
        "checkBeforeUpdate": true
      },
      "cpu": {
        "shares": 1024,
        "quota": 1000000,
        "burst": 1000000,
        "period": 500000,
        "realtimeRuntime": 950000,
        "realtimePeriod": 1000000,
        "cpus": "2-3",
        "mems": "0-7",
        "idle": 0
      },
      "pids": {
        "limit": 32771
      },
      "blockIO": {
        "weight": 10,
        "leafWeight": 10,
        "weightDevice": [
          {
            "major": 8,
            "minor": 0,
            "weight": 500,
            "leafWeight": 300
          }
        ],
        "throttleReadBpsDevice": [
          {
            "major": 8,
            "minor": 0,
            "rate": 600
          }
        ],
        "throttleWriteBpsDevice": [
          {
            "major": 8,
            "minor": 16,
            "rate": 700
          }
        ],
        "throttleReadIOPSDevice": [
          {
            "major": 8,
            "minor": 0,
            "rate": 200
          }
        ],
        "throttleWriteIOPSDevice": [
          {
            "major": 8,
            "minor": 16,
            "rate": 300
          }
        ]
      },
      "hugepageLimits": [
        {
          "pageSize": "2MB",
          "limit": 209715200
        }
      ],
      "network": {
        "classID": 1048577,
        "priorities": [
          {
            "name": "eth0",
            "priority": 500
          }
        ]
      },
      "rdma": {
        "mlx5_1": {
          "hcaHandles": 3,
          "hcaObjects": 10000
        }
      },
      "unified": {
        "hugetlb.1GB.max": "1073741824",
        "io.max": "259:0 rbps=2097152 wiops=120\n253:0 rbps=2097152 wiops=120"
      }
    },
    "cgroupsPath": "/myRuntime/myContainer",
    "namespaces": [
      {
        "type": "pid",
        "path": "/proc/1234/ns/pid"
      },
      {
        "type": "network",
        "path": "/var/run/netns/neta"
      },
      {
        "type": "mount"
      },
      {
        "type": "ipc"
      },
      {
        "type": "uts"
      },
      {
        "type": "user"
      },
      {
        "type": "cgroup"
      },
      {
        "type": "time"
      }
    ],
    "devices": [
      {
        "path": "/dev/fuse",
        "type": "c",
        "major": 10,
        "minor": 229,
        "fileMode": 438,
        "uid": 0,
        "gid": 0
      }
    ],
    "seccomp": {
      "defaultAction": "SCMP_ACT_ERRNO",
      "defaultErrnoRet": 38,
      "architectures": [
        "SCMP_ARCH_X86_64",
        "SCMP_ARCH_AARCH64"
      ],
      "flags": [
        "SECCOMP_FILTER_FLAG_LOG",
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"
      ],
      "listenerPath": "/run/seccomp-agent.socket",
      "listenerMetadata": "MKNOD=/dev/null",
      "syscalls": [
        {
          "names": [
            "getcwd",
            "chmod"
          ],
          "action": "SCMP_ACT_ALLOW"
        },
        {
          "names": [
            "personality"
          ],
          "action": "SCMP_ACT_ERRNO",
          "errnoRet": 1,
          "args": [
            {
              "index": 0,
              "value": 4294967295,
              "valueTwo": 8,
              "op": "SCMP_CMP_MASKED_EQ"
            }
          ]
        }
      ]
    },
    "rootfsPropagation": "slave",
    "maskedPaths": [
      "/proc/kcore"
    ],
    "readonlyPaths": [
      "/proc/sys"
    ],
    "mountLabel": "system_u:object_r:svirt_sandbox_file_t:s0:c715,c811",
    "intelRdt": {
      "closID": "guaranteed_group",
      "l3CacheSchema": "L3:0=7f0;1=1f",
      "memBwSchema": "MB:0=20;1=70",
      "enableCMT": true,
      "enableMBM": true
    },
    "personality": {
      "domain": "LINUX32",
      "flags": []
    },
    "timeOffsets": {
      "boottime": {
        "secs": -86400,
        "nanosecs": 500
      },
      "monotonic": {
        "secs": 172800,
        "nanosecs": 0
      }
    }
  }
}
"""#
}
