/*
 * Constants Swift cannot see: Swift's Glibc module imports neither CLONE_NEW* nor the MOUNT_ATTR_* flags, and
 * the MS_* propagation flags only as an enum of another type.
 */
#ifndef SBX_CONSTANTS_H
#define SBX_CONSTANTS_H

#include <linux/sched.h>
#include <sys/mount.h>

static const unsigned long long SBX_CLONE_NEWNS = CLONE_NEWNS;
static const unsigned long long SBX_CLONE_NEWPID = CLONE_NEWPID;
static const unsigned long long SBX_CLONE_NEWNET = CLONE_NEWNET;
static const unsigned long long SBX_CLONE_NEWIPC = CLONE_NEWIPC;
static const unsigned long long SBX_CLONE_NEWUTS = CLONE_NEWUTS;
static const unsigned long long SBX_CLONE_NEWUSER = CLONE_NEWUSER;
static const unsigned long long SBX_CLONE_NEWCGROUP = CLONE_NEWCGROUP;
static const unsigned long long SBX_CLONE_NEWTIME = CLONE_NEWTIME;

static const unsigned long long SBX_MOUNT_ATTR_RDONLY = MOUNT_ATTR_RDONLY;
static const unsigned long long SBX_MOUNT_ATTR_NOSUID = MOUNT_ATTR_NOSUID;
static const unsigned long long SBX_MOUNT_ATTR_NODEV = MOUNT_ATTR_NODEV;
static const unsigned long long SBX_MOUNT_ATTR_NOEXEC = MOUNT_ATTR_NOEXEC;
static const unsigned long long SBX_MOUNT_ATTR_NOATIME = MOUNT_ATTR_NOATIME;
static const unsigned long long SBX_MOUNT_ATTR_STRICTATIME = MOUNT_ATTR_STRICTATIME;
static const unsigned long long SBX_MOUNT_ATTR_NODIRATIME = MOUNT_ATTR_NODIRATIME;
static const unsigned long long SBX_MOUNT_ATTR_NOSYMFOLLOW = MOUNT_ATTR_NOSYMFOLLOW;

/* A propagation type, with MS_REC for a whole tree, as sbx_mount.propagation and sbx_rootfs.propagation take it. */
static const unsigned long long SBX_MS_PRIVATE = MS_PRIVATE;
static const unsigned long long SBX_MS_SHARED = MS_SHARED;
static const unsigned long long SBX_MS_SLAVE = MS_SLAVE;
static const unsigned long long SBX_MS_UNBINDABLE = MS_UNBINDABLE;
static const unsigned long long SBX_MS_REC = MS_REC;

#endif
