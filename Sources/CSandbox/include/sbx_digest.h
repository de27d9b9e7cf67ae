/*
 * The sha256 of a buffer, by nettle (which libarchive's layer hashing already links): an image's config and
 * the documents a store keeps are named by it. Swift's standard library has no hash of its own.
 */
#ifndef SBX_DIGEST_H
#define SBX_DIGEST_H

#include <stddef.h>
#include <stdint.h>

void sbx_sha256(const void *data, size_t length, uint8_t digest[32]);

#endif
