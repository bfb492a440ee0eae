/* labeled.c — RFC 9180 §4 LabeledExtract / LabeledExpand and the suite_id
 * strings that domain-separate the KEM from the full HPKE suite. */
#include <string.h>

#include "crypto_internal.h"

static const uint8_t hpke_v1[] = {'H', 'P', 'K', 'E', '-', 'v', '1'};

static void put_u16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}

void mimi_suite_id_kem(mimi_hpke_suite_id *s, uint16_t kem, uint16_t kdf) {
  s->kdf = kdf;
  memcpy(s->id, "KEM", 3);
  put_u16(s->id + 3, kem);
  s->id_len = 5;
}

void mimi_suite_id_hpke(mimi_hpke_suite_id *s, uint16_t kem, uint16_t kdf, uint16_t aead) {
  s->kdf = kdf;
  memcpy(s->id, "HPKE", 4);
  put_u16(s->id + 4, kem);
  put_u16(s->id + 6, kdf);
  put_u16(s->id + 8, aead);
  s->id_len = 10;
}

mimi_err mimi_labeled_extract(const mimi_hpke_suite_id *s, const uint8_t *salt, size_t salt_len,
                              const char *label, const uint8_t *ikm, size_t ikm_len,
                              uint8_t *prk) {
  mimi_span parts[] = {
      {hpke_v1, sizeof hpke_v1},
      {s->id, s->id_len},
      {(const uint8_t *)label, strlen(label)},
      {ikm, ikm_len},
  };
  return mimi_hmac_parts(s->kdf, salt, salt_len, parts, 4, prk);
}

mimi_err mimi_labeled_expand(const mimi_hpke_suite_id *s, const uint8_t *prk, size_t prk_len,
                             const char *label, const uint8_t *info, size_t info_len,
                             uint8_t *out, size_t out_len) {
  if (out_len > 0xffff) return MIMI_ERR_TOO_LARGE; /* I2OSP(L, 2) */
  uint8_t len2[2];
  put_u16(len2, (uint16_t)out_len);
  mimi_span parts[] = {
      {len2, 2},
      {hpke_v1, sizeof hpke_v1},
      {s->id, s->id_len},
      {(const uint8_t *)label, strlen(label)},
      {info, info_len},
  };
  return mimi_hkdf_expand_parts(s->kdf, prk, prk_len, parts, 5, out, out_len);
}
