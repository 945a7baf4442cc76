/* daemon/sign.c: the signature check of ruleset files (sign.h). */
#include "daemon/sign.h"

#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "runtime/infile.h"

#define KEYID_BYTES 8

/* The one line of a small text file, starting with word and a space: the
 * rest, up to the newline, in out. */
static int read_line(const char *path, const char *word, char *out, size_t size, struct pk_err *err)
{
	struct pk_infile f;
	struct pk_err e;
	if (pk_infile_read(path, PK_INFILE_TEXT, &f, &e) < 0)
		return pk_err_set(err, "%s: %s", path, e.msg);
	const size_t n = strlen(word);
	int rc = 0;
	if (strncmp(f.data, word, n) || f.data[n] != ' ')
		rc = pk_err_set(err, "%s: not a %s file", path, word);
	else
		snprintf(out, size, "%.*s", (int)strcspn(f.data + n + 1, "\r\n"), f.data + n + 1);
	pk_infile_free(&f);
	return rc;
}

static int from_hex(const char *hex, uint8_t *out, size_t len)
{
	size_t got = 0;
	return sodium_hex2bin(out, len, hex, strlen(hex), NULL, &got, NULL) == 0 && got == len ? 0 : -1;
}

int pk_sign_read_key(const char *path, uint8_t key[PK_SIGN_KEY_BYTES], struct pk_err *err)
{
	char hex[2 * PK_SIGN_KEY_BYTES + 8];
	if (sodium_init() < 0)
		return pk_err_set(err, "libsodium cannot start");
	if (read_line(path, "picket-ed25519-public", hex, sizeof(hex), err) < 0)
		return -1;
	if (from_hex(hex, key, PK_SIGN_KEY_BYTES) < 0)
		return pk_err_set(err, "%s: the key is not %d hex digits", path, 2 * PK_SIGN_KEY_BYTES);
	return 0;
}

int pk_sign_check(const uint8_t key[PK_SIGN_KEY_BYTES], const char *pkb_path, const void *data, size_t len,
		  struct pk_err *err)
{
	char path[PATH_MAX], line[256], want[2 * KEYID_BYTES + 1];
	struct pk_err e;
	uint8_t id[KEYID_BYTES], sig[crypto_sign_BYTES];
	if ((size_t)snprintf(path, sizeof(path), "%s.sig", pkb_path) >= sizeof(path))
		return pk_err_set(err, "%s.sig: path too long", pkb_path);
	if (read_line(path, "picket-ed25519-signature", line, sizeof(line), &e) < 0)
		return pk_err_set(err, "not signed: %s (picketd runs only rulesets signed with its key: "
				       "picket compile --sign KEY)", e.msg);
	char *space = strchr(line, ' ');
	if (!space || (*space = '\0', from_hex(line, id, KEYID_BYTES) < 0) || from_hex(space + 1, sig, sizeof(sig)) < 0)
		return pk_err_set(err, "%s: not a signature: expected KEYID (16 hex digits) and SIG (128)", path);
	if (memcmp(id, key, KEYID_BYTES)) {
		sodium_bin2hex(want, sizeof(want), key, KEYID_BYTES);
		return pk_err_set(err, "%s: signed by another key (key id %s; picketd trusts %s)", path, line, want);
	}
	if (crypto_sign_verify_detached(sig, data, len, key) != 0)
		return pk_err_set(err, "%s: the signature does not match: the file was changed after it was signed",
				  path);
	return 0;
}
