/* cli/sign.c: keys and signatures for picketd --signed-by (sign.h). */
#include "cli/sign.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runtime/afile.h"
#include "runtime/infile.h"

#define KEYID_BYTES 8

/* A new file holding one line "word HEX(data)\n"; never replaces one. */
static int write_new(const char *path, mode_t mode, const char *word, const uint8_t *data, size_t len,
		     struct pk_err *err)
{
	char hex[2 * crypto_sign_SECRETKEYBYTES + 1], line[sizeof(hex) + 64];
	sodium_bin2hex(hex, sizeof(hex), data, len);
	const int n = snprintf(line, sizeof(line), "%s %s\n", word, hex);
	sodium_memzero(hex, sizeof(hex));
	const int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	int rc = 0;
	if (fd < 0)
		rc = pk_err_set(err, "%s: %s", path, strerror(errno));
	else if (pk_write_all(fd, line, (size_t)n) < 0 || fsync(fd) < 0)
		rc = pk_err_set(err, "%s: cannot write it: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	sodium_memzero(line, sizeof(line));
	return rc;
}

int pk_cli_keygen(const char *name, struct pk_err *err)
{
	char key[PATH_MAX], pub[PATH_MAX];
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	if (sodium_init() < 0)
		return pk_err_set(err, "libsodium cannot start");
	if ((size_t)snprintf(key, sizeof(key), "%s.key", name) >= sizeof(key) ||
	    (size_t)snprintf(pub, sizeof(pub), "%s.pub", name) >= sizeof(pub))
		return pk_err_set(err, "%s: name too long", name);
	crypto_sign_keypair(pk, sk);
	int rc = write_new(key, 0600, "picket-ed25519-secret", sk, sizeof(sk), err);
	if (rc == 0 && (rc = write_new(pub, 0644, "picket-ed25519-public", pk, sizeof(pk), err)) < 0)
		unlink(key); /* half a pair is of no use */
	sodium_memzero(sk, sizeof(sk));
	return rc;
}

static int read_secret(const char *path, uint8_t sk[crypto_sign_SECRETKEYBYTES], struct pk_err *err)
{
	static const char word[] = "picket-ed25519-secret ";
	struct pk_infile f;
	struct pk_err e;
	if (pk_infile_read(path, PK_INFILE_TEXT, &f, &e) < 0)
		return pk_err_set(err, "%s: %s", pk_infile_name(path), e.msg);
	size_t got = 0;
	int rc = 0;
	if (strncmp(f.data, word, sizeof(word) - 1) ||
	    sodium_hex2bin(sk, crypto_sign_SECRETKEYBYTES, f.data + sizeof(word) - 1,
			   strcspn(f.data + sizeof(word) - 1, "\r\n"), NULL, &got, NULL) ||
	    got != crypto_sign_SECRETKEYBYTES)
		rc = pk_err_set(err, "%s: not a secret key file (picket keygen NAME writes NAME.key)", path);
	sodium_memzero(f.data, f.len);
	pk_infile_free(&f);
	return rc;
}

int pk_cli_sign(const char *keyfile, const char *pkb_path, const uint8_t *buf, size_t len, struct pk_err *err)
{
	uint8_t sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
	char path[PATH_MAX], id[2 * KEYID_BYTES + 1], hex[2 * crypto_sign_BYTES + 1], line[256];
	if (sodium_init() < 0)
		return pk_err_set(err, "libsodium cannot start");
	if ((size_t)snprintf(path, sizeof(path), "%s.sig", pkb_path) >= sizeof(path))
		return pk_err_set(err, "%s.sig: path too long", pkb_path);
	if (read_secret(keyfile, sk, err) < 0)
		return -1;
	crypto_sign_detached(sig, NULL, buf, len, sk);
	/* the public key is the secret key's second half (libsodium's layout) */
	sodium_bin2hex(id, sizeof(id), sk + crypto_sign_SEEDBYTES, KEYID_BYTES);
	sodium_memzero(sk, sizeof(sk));
	sodium_bin2hex(hex, sizeof(hex), sig, sizeof(sig));
	const int n = snprintf(line, sizeof(line), "picket-ed25519-signature %s %s\n", id, hex);
	struct pk_afile a;
	if (pk_afile_open(&a, path, 0644) < 0)
		return pk_err_set(err, "%s: cannot create a temporary file beside it: %s", path, strerror(errno));
	if (pk_write_all(a.fd, line, (size_t)n) < 0) {
		pk_afile_abort(&a);
		return pk_err_set(err, "%s: cannot write it: %s", path, strerror(errno));
	}
	if (pk_afile_commit(&a) < 0)
		return pk_err_set(err, "%s: cannot put it in place: %s", path, strerror(errno));
	return 0;
}
