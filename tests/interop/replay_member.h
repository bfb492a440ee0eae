/*
 * replay_member.h — one member of a group run by another implementation,
 * followed with our primitives only: join from a Welcome (§12.4.3.1), then
 * process each Commit (§12.4.2: proposals by value, TreeKEM, transcript
 * hashes, key schedule, confirmation tag) and open PrivateMessages (§6.3).
 * It is the interop test's own minimal receive path, independent of any
 * group engine, so that what ts-mls sends is checked against the RFC
 * formulas as our layers implement them.
 */
#ifndef MIMI_TEST_REPLAY_MEMBER_H
#define MIMI_TEST_REPLAY_MEMBER_H

#include "mimi/mls.h"

typedef struct {
  uint16_t suite;
  uint32_t leaf;
  mls_rtree *tree;
  mls_treekem_private *priv;
  mls_group_context ctx;
  mls_epoch_secrets secrets;
  uint8_t interim[MIMI_MAX_HASH];
  mls_secret_tree *st;
  mimi_bytes sig_priv;
} replay_member;

/* What a Welcome gave one joiner. */
typedef struct {
  mls_group_secrets secrets;
  mls_group_info group_info;
  mls_epoch_secrets epoch;
} replay_welcome;

/* Decrypts the joiner's EncryptedGroupSecrets (found by the KeyPackageRef of
 * key_package, the encoded KeyPackage) and the GroupInfo, and runs the key
 * schedule from the joiner_secret (no PSKs). NOT_FOUND when the Welcome
 * holds no entry for this KeyPackage. */
mimi_err replay_open_welcome(uint16_t suite, const mls_welcome *w, const mimi_bytes *key_package,
                             const mimi_bytes *init_priv, replay_welcome *out);
void replay_welcome_free(replay_welcome *w);

/* Becomes a member from an opened Welcome: the tree from the GroupInfo's
 * ratchet_tree extension (validated), our leaf found by its encryption key,
 * path secrets from the Welcome, confirmation tag checked. */
mimi_err replay_join(replay_member *m, const replay_welcome *w, const mimi_bytes *hpke_priv,
                     const mimi_bytes *sig_priv);

/* A Commit (an MLSMessage, public or private) from another member: the
 * member moves to the next epoch, or stays as it was on error. */
mimi_err replay_commit(replay_member *m, const mls_message *msg);

/* Opens a PrivateMessage of the current epoch into *out. */
mimi_err replay_open(replay_member *m, const mls_private_message *pm,
                     mls_authenticated_content *out);

/* Our own application message as this member (PrivateMessage, `padding`
 * zero bytes), encoded as an MLSMessage. */
mimi_err replay_send(replay_member *m, const uint8_t *data, size_t len, size_t padding,
                     mimi_bytes *mls_message);

/* Our own Commit as this member: no proposals, a fresh UpdatePath (§12.4.1)
 * — as a PublicMessage or a PrivateMessage of the current epoch, encoded as an
 * MLSMessage; the member moves to the next epoch. */
mimi_err replay_commit_update(replay_member *m, bool as_public, mimi_bytes *mls_message);

void replay_member_free(replay_member *m);

/* §12.4.3 GroupInfo signature with the signer's key from tree t. */
mimi_err replay_verify_group_info(uint16_t suite, const mls_rtree *t, const mls_group_info *gi);
/* The extension of a type in a list, NULL if absent. */
const mls_extension *replay_find_extension(const mls_extension *ext, size_t n, uint16_t type);

#endif
