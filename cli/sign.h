/*
 * cli/sign.h: Ed25519 keys and ruleset signatures on the compiling side
 * (libsodium): `picket keygen` and `picket compile --sign`. The formats
 * are the ones picketd reads (daemon/sign.h): one text line each,
 *   NAME.key  picket-ed25519-secret HEX   (mode 0600)
 *   NAME.pub  picket-ed25519-public HEX
 *   OUT.sig   picket-ed25519-signature KEYID SIG
 */
#ifndef PK_CLI_SIGN_H
#define PK_CLI_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/err.h"

/* Writes name.key and name.pub, refusing to replace either. 0 or -1. */
int pk_cli_keygen(const char *name, struct pk_err *err);
/* Signs buf (the .pkb written to pkb_path) with the secret key file and
 * writes pkb_path.sig atomically. 0 or -1. */
int pk_cli_sign(const char *keyfile, const char *pkb_path, const uint8_t *buf, size_t len, struct pk_err *err);

#endif
