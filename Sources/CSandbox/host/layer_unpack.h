/*
 * What the two halves of a layer's unpacking share: the child that extracts (layer_extract.c) and the parent
 * that feeds it and hears its report (layer_unpack.c). Internal to this target.
 */
#ifndef SBX_LAYER_UNPACK_H
#define SBX_LAYER_UNPACK_H

#include "sbx_layer.h"

#include <stddef.h>
#include <stdint.h>

/*
 * The child's last words on its socket, once it read the whole stream or failed: this record, then, when it
 * did not fail, opaque_bytes of the opaque directories' paths, each NUL-terminated, for the parent to mark
 * (the child may not set trusted.* xattrs: that takes CAP_SYS_ADMIN, which it does not keep).
 */
struct layer_report {
	int32_t failed;
	struct sbx_layer_failure failure;
	uint64_t entries;
	uint64_t size;
	uint64_t devices_skipped;
	uint64_t opaque_bytes;
};

struct layer_child {
	int dir_fd;    /* the layer's directory, to chroot into */
	int input_fd;  /* the socket: the tar stream in, the report out */
	uint64_t max_entries;
	const void *seccomp_program; /* struct sock_filter[seccomp_length] */
	size_t seccomp_length;
};

/* The forked child's whole life: it never returns. */
_Noreturn void layer_extract_child(const struct layer_child *child);

#endif
