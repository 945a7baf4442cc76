/*
 * cli/cmd_ctl.c: the picketd control commands: `picket states`, `stats`,
 * `rules -v`, `tables`, `kill-states FILTER`, `reload` and `confirm`, each a request on
 * picketd's control socket (daemon/ctl.h describes the protocol).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <poll.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/commands.h"

#define DEFAULT_SOCKET "/run/picketd.sock"
#define REPLY_TIMEOUT_MS 10000

struct ctl_cmd {
	const char *name, *args, *help;
	int min_args, max_args;
	const char *verbose_flag; /* "-v" when the command takes it */
	bool json;                /* takes --format json (a listing) */
	bool confirm;             /* takes --confirm SECONDS and a file (reload) */
};

static const struct ctl_cmd ctl_cmds[] = {
	{"states", "[-v] [--format text|json]", "list picketd's states (like pfctl -ss; -v adds age, expiry, counters)",
	 0, 0, "-v", true, false},
	{"stats", "[--format text|json]", "picketd's counters (like pfctl -si)", 0, 0, NULL, true, false},
	{"rules", "[-v] [--format text|json]", "picketd's rules (-v: with per-rule counters, like pfctl -vsr)", 0, 0,
	 "-v", true, false},
	{"tables", "[--format text|json]", "picketd's tables, with the hosts overload added (like pfctl -sT and -T show)",
	 0, 0, NULL, true, false},
	{"kill-states", "SOURCE[/LEN] [DEST[/LEN]]", "remove the states between those hosts", 1, 2, NULL, false, false},
	{"reload", "[--confirm SECONDS] [FILE]",
	 "re-read, verify and swap in picketd's ruleset file, or FILE (states are kept);\n"
	 "  --confirm: swapped back after SECONDS unless 'picket confirm' comes first",
	 0, 1, NULL, false, true},
	{"confirm", "", "keep the ruleset of a pending 'reload --confirm' (else it is swapped back)", 0, 0, NULL, false,
	 false},
};

static int usage(const struct ctl_cmd *c, FILE *out, int rc)
{
	fprintf(out, "usage: picket %s [-s SOCKET] %s\n  %s\n  -s SOCKET  picketd's control socket (default %s)\n",
		c->name, c->args, c->help, DEFAULT_SOCKET);
	if (c->json)
		fputs("  --format json  the listing as JSON (every detail -v gives; docs/json.md)\n", out);
	return rc;
}

/* Send the request line, print the answer; the exit status is the daemon's. */
static int transact(const char *path, const char *req)
{
	struct sockaddr_un sun;
	char buf[4096];

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "picket: -s %s: path too long\n", path);
		return 2;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (const struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "picket: %s: %s; is picketd running (and are you root)?\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 2;
	}
	size_t rl = strlen(req);
	if (write(fd, req, rl) != (ssize_t)rl || write(fd, "\n", 1) != 1) {
		fprintf(stderr, "picket: %s: %s\n", path, strerror(errno));
		close(fd);
		return 2;
	}
	int status = -1;
	FILE *out = stdout;
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (poll(&pfd, 1, REPLY_TIMEOUT_MS) <= 0) {
			fprintf(stderr, "picket: %s: no answer from picketd within %d s\n", path, REPLY_TIMEOUT_MS / 1000);
			close(fd);
			return 2;
		}
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		size_t off = 0;
		if (status < 0) {
			if (n < 2 || buf[1] != '\n' || buf[0] < '0' || buf[0] > '2')
				break;
			status = buf[0] - '0';
			out = status ? stderr : stdout;
			off = 2;
		}
		fwrite(buf + off, 1, (size_t)n - off, out);
	}
	close(fd);
	if (status < 0) {
		fprintf(stderr, "picket: %s: picketd closed the connection without an answer\n", path);
		return 2;
	}
	return status;
}

static int run_ctl(const struct ctl_cmd *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'}, {"format", required_argument, NULL, 'f'},
		{"confirm", required_argument, NULL, 'c'}, {NULL, 0, NULL, 0}};
	const char *path = DEFAULT_SOCKET, *confirm = NULL;
	char req[512], file[PATH_MAX];
	bool verbose = false, json = false;
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "s:vh", longopts, NULL)) != -1) {
		if (ch == 's')
			path = optarg;
		else if (ch == 'c' && c->confirm)
			confirm = optarg;
		else if (ch == 'v' && c->verbose_flag)
			verbose = true;
		else if (ch == 'h')
			return usage(c, stdout, 0);
		else if (ch == 'f' && c->json && (!strcmp(optarg, "json") || !strcmp(optarg, "text")))
			json = !strcmp(optarg, "json");
		else
			return usage(c, stderr, 2);
	}
	int nargs = argc - optind;
	if (nargs < c->min_args || nargs > c->max_args)
		return usage(c, stderr, 2);
	/* JSON listings carry every detail: -v changes nothing there. */
	int len = json ? snprintf(req, sizeof(req), "json %s", c->name)
		       : snprintf(req, sizeof(req), "%s%s", c->name, verbose ? " -v" : "");
	if (confirm)
		len += snprintf(req + len, sizeof(req) - (size_t)len, " confirm %s", confirm);
	/* picketd reads the file from / as its own user: the path must be absolute */
	if (c->confirm && nargs == 1) {
		if (!realpath(argv[optind], file)) {
			fprintf(stderr, "picket %s: %s: %s\n", c->name, argv[optind], strerror(errno));
			return 2;
		}
		argv[optind] = file;
	}
	for (int i = optind; i < argc && len > 0 && (size_t)len < sizeof(req); i++)
		len += snprintf(req + len, sizeof(req) - (size_t)len, " %s", argv[i]);
	if (len < 0 || (size_t)len >= sizeof(req))
		return usage(c, stderr, 2);
	return transact(path, req);
}

static int run_named(const char *name, int argc, char **argv)
{
	for (size_t k = 0; k < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); k++)
		if (!strcmp(ctl_cmds[k].name, name))
			return run_ctl(&ctl_cmds[k], argc, argv);
	return 2; /* every pk_cmd_ below names a row of ctl_cmds */
}

int pk_cmd_states(int argc, char **argv)
{
	return run_named("states", argc, argv);
}

int pk_cmd_stats(int argc, char **argv)
{
	return run_named("stats", argc, argv);
}

int pk_cmd_rules(int argc, char **argv)
{
	return run_named("rules", argc, argv);
}

int pk_cmd_tables(int argc, char **argv)
{
	return run_named("tables", argc, argv);
}

int pk_cmd_kill_states(int argc, char **argv)
{
	return run_named("kill-states", argc, argv);
}

int pk_cmd_reload(int argc, char **argv)
{
	return run_named("reload", argc, argv);
}

int pk_cmd_confirm(int argc, char **argv)
{
	return run_named("confirm", argc, argv);
}
