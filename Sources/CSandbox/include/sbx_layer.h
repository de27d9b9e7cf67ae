/*
 * Unpacking an image layer, where images attack the host: the parent decompresses the blob (libarchive's raw
 * format: gzip, zstd, xz or none) and hashes the tar stream it makes, which a forked child, chrooted into the
 * layer's directory with only the capabilities extraction needs, extracts with libarchive's secure flags,
 * turning whiteouts into overlayfs's. libarchive never reaches Swift: this header is all of it there is.
 */
#ifndef SBX_LAYER_H
#define SBX_LAYER_H

#include <stdbool.h>
#include <stdint.h>

struct sbx_layer_options {
	uint64_t max_bytes;   /* the uncompressed tar stream's limit: past it the layer is stopped */
	uint64_t max_entries; /* the tar's entries' limit, whiteouts included */
	/* Opaque directories get user.overlay.opaque (overlayfs's userxattr, which a container in a user namespace
	 * mounts with) alone, without trusted.overlay.opaque, which only CAP_SYS_ADMIN may set. */
	bool user_xattrs;
};

struct sbx_layer_result {
	uint8_t diff_id[32];      /* the sha256 of the uncompressed tar stream, all of it */
	uint64_t tar_bytes;       /* that stream's length */
	uint64_t size;            /* the regular files' sizes added up: the layer's size as Docker counts it */
	uint64_t entries;         /* the tar's entries, whiteouts included */
	uint64_t devices_skipped; /* device nodes not made, as rootless engines skip them */
};

/* A failure as one line: step, then path (an entry's, if the step had one), then message (libarchive's words)
 * or, when there are none, error's strerror. */
struct sbx_layer_failure {
	char step[48];
	char path[1024];
	char message[256];
	int32_t error;
};

/*
 * Unpacks the layer read from blob_fd into the directory dir_fd, which should be empty: 0, with *result set,
 * or -errno with *failure set. What was made in dir_fd stays there either way: the caller removes it
 * (sbx_remove_tree) unless the layer is what it expected.
 */
int sbx_unpack_layer(int blob_fd, int dir_fd, const struct sbx_layer_options *options, struct sbx_layer_result *result,
                     struct sbx_layer_failure *failure);

/*
 * Removes name in the directory parent_fd and everything beneath it, following no symlink and crossing no
 * mount, with a few fds however deep the tree is (a hostile layer can nest past PATH_MAX). 0 or -errno.
 */
int sbx_remove_tree(int parent_fd, const char *name);

#endif
