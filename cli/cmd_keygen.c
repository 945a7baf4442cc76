/*
 * cli/cmd_keygen.c: `picket keygen NAME`: an Ed25519 key pair for signed
 * rulesets: NAME.key signs (picket compile --sign NAME.key), NAME.pub goes
 * to the router (picketd --signed-by NAME.pub).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/sign.h"

int pk_cmd_keygen(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		const bool help = argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
		fprintf(help ? stdout : stderr,
			"usage: picket keygen NAME\n"
			"Writes NAME.key (secret, mode 0600: keep it off the router) for picket compile --sign,\n"
			"and NAME.pub for picketd --signed-by. Existing files are never replaced.\n");
		return help ? 0 : 2;
	}
	struct pk_err err;
	if (pk_cli_keygen(argv[1], &err) < 0) {
		fprintf(stderr, "picket keygen: %s\n", err.msg);
		return 2;
	}
	printf("%s.key: secret key (sign with picket compile --sign %s.key)\n%s.pub: public key (picketd --signed-by "
	       "%s.pub)\n",
	       argv[1], argv[1], argv[1], argv[1]);
	return 0;
}
