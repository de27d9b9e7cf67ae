#include "sbx_digest.h"

#include <nettle/sha2.h>

void sbx_sha256(const void *data, size_t length, uint8_t digest[32])
{
	struct sha256_ctx context;
	sha256_init(&context);
	sha256_update(&context, length, data);
	sha256_digest(&context, SHA256_DIGEST_SIZE, digest);
}
