/*
 * daemon/sign.h: loading only rulesets signed by a trusted key
 * (picketd --signed-by KEY.pub).
 *
 * `picket compile --sign KEY` writes RULES.pkb.sig beside RULES.pkb: one
 * line `picket-ed25519-signature KEYID SIG`, SIG the Ed25519 signature
 * (libsodium) of the .pkb's bytes and KEYID the first 8 bytes of the
 * signer's public key, both in hex. A public key file is one line
 * `picket-ed25519-public KEY` (picket keygen writes it). The check is made
 * on the bytes about to be loaded, in the daemon: the runtime knows
 * nothing of it, and without --signed-by nothing is checked.
 */
#ifndef PK_DAEMON_SIGN_H
#define PK_DAEMON_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/err.h"

#define PK_SIGN_KEY_BYTES 32

/* Reads a public key file. 0, or -1 with err. */
int pk_sign_read_key(const char *path, uint8_t key[PK_SIGN_KEY_BYTES], struct pk_err *err);
/* The bytes of pkb_path are signed by key in pkb_path.sig. 0, or -1 with
 * the reason in err (no signature, another key, bytes changed). */
int pk_sign_check(const uint8_t key[PK_SIGN_KEY_BYTES], const char *pkb_path, const void *data, size_t len,
		  struct pk_err *err);

#endif
