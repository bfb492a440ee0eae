/*
 * mimi/attachment.h — external content for an ExternalPart
 * (draft-ietf-mimi-content-09 §4.5): encrypt a file under a fresh key and
 * nonce before upload, hash what is uploaded, and on download check size and
 * hash before decrypting.
 *
 * Algorithms are named by the numbers the ExternalPart carries:
 *   encAlg:  IANA "AEAD Algorithms" (RFC 5116 §6): 1 AES-128-GCM (default,
 *            mandatory to implement), 2 AES-256-GCM, 29 ChaCha20-Poly1305,
 *            0 = not encrypted (key, nonce and aad empty).
 *   hashAlg: IANA "Named Information Hash Algorithm" (RFC 6920 §9.4):
 *            1 sha-256 (default), 7 sha-384, 8 sha-512. The truncated
 *            sha-256 variants (2..6) are refused.
 * `contentHash` and `size` describe "the content at the target url", i.e.
 * the uploaded blob (ciphertext and tag), see docs/spec-notes.md.
 */
#ifndef MIMI_ATTACHMENT_H
#define MIMI_ATTACHMENT_H

#include "mimi/base.h"
#include "mimi/content.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
  MIMI_ENC_NONE = 0,
  MIMI_ENC_AES_128_GCM = 1,
  MIMI_ENC_AES_256_GCM = 2,
  MIMI_ENC_CHACHA20_POLY1305 = 29,
};
enum {
  MIMI_NI_NONE = 0,
  MIMI_NI_SHA_256 = 1,
  MIMI_NI_SHA_384 = 7,
  MIMI_NI_SHA_512 = 8,
};

typedef struct {
  uint16_t enc_alg; /* MIMI_ENC_* */
  uint8_t hash_alg; /* MIMI_NI_*, not NONE */
  const uint8_t *aad; /* usually empty (§4.5: "the default value of the aad is empty") */
  size_t aad_len;
} mimi_attachment_params;

/* What the receiver needs: the ExternalPart fields other than url,
 * contentType, expires, description and filename. `key` is secret. */
typedef struct {
  uint16_t enc_alg;
  mimi_bytes key, nonce, aad;
  uint8_t hash_alg;
  mimi_bytes content_hash;
  uint64_t size; /* octets of the uploaded blob */
} mimi_attachment_info;

/* AES-128-GCM, SHA-256, empty aad. */
void mimi_attachment_params_default(mimi_attachment_params *p);

/* Encrypts content[0..len) under a key and nonce drawn from rng (key first,
 * then nonce) into *blob, the bytes to upload, and describes it in *info.
 * p NULL = defaults. UNSUPPORTED for an unknown encAlg or hashAlg. */
MIMI_MUST_CHECK mimi_err mimi_attachment_seal(const uint8_t *content, size_t len,
                                              const mimi_attachment_params *p,
                                              const mimi_rng *rng, mimi_attachment_info *info,
                                              mimi_bytes *blob);
/* Checks a downloaded blob against *info and decrypts it:
 *   UNSUPPORTED     unknown encAlg or hashAlg
 *   BAD_LENGTH      size given (non-zero) and not the blob's length, or a key
 *                   or nonce of the wrong length for encAlg (or not empty for 0)
 *   HASH_MISMATCH   contentHash is not the hash of the blob (or is missing)
 *   AEAD_OPEN       authentication failed (tampered blob, wrong key/nonce/aad)
 * Nothing is written to *content on error. */
MIMI_MUST_CHECK mimi_err mimi_attachment_open(const mimi_attachment_info *info,
                                              const uint8_t *blob, size_t blob_len,
                                              mimi_bytes *content);
void mimi_attachment_info_free(mimi_attachment_info *info); /* zeroizes the key */

/* An external NestedPart for a sealed attachment (§4.5): disposition
 * attachment, the given language tags (NULL = ""), media type and URL,
 * expires (seconds since the epoch, 0 = never), description and filename
 * (NULL = ""). The
 * texts must be valid UTF-8 (BAD_CONTENT otherwise); url and content_type
 * must not be empty. Free with mimi_nested_part_free. */
MIMI_MUST_CHECK mimi_err mimi_attachment_to_part(const mimi_attachment_info *info,
                                                 const char *language, const char *content_type,
                                                 const char *url, uint32_t expires,
                                                 const char *description,
                                                 const char *filename, mimi_nested_part *out);
/* mimi_attachment_open for a received external part (INVALID_ARG if the
 * part's cardinality is not external). */
MIMI_MUST_CHECK mimi_err mimi_attachment_open_part(const mimi_nested_part *part,
                                                   const uint8_t *blob, size_t blob_len,
                                                   mimi_bytes *content);

#ifdef __cplusplus
}
#endif
#endif /* MIMI_ATTACHMENT_H */
