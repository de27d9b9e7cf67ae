/*
 * Constants Swift cannot see: Swift's Glibc module imports neither CLONE_NEW* nor the MOUNT_ATTR_* flags.
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

#endif
