/* daemon/ctl.c: the control socket server. */
#include "daemon/ctl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "daemon/killfilter.h"
#include "daemon/report.h"

#define REQ_MAX 512
#define IO_TIMEOUT_MS 200

int pk_ctl_listen(const char *path, struct pk_err *err)
{
	struct sockaddr_un sun;

	if (strlen(path) >= sizeof(sun.sun_path))
		return pk_err_set(err, "-s %s: path too long for a unix socket", path);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return pk_err_set(err, "control socket: %s", strerror(errno));
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path); /* left by a previous run */
	mode_t old = umask(077);
	int rc = bind(fd, (const struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rc < 0 || chmod(path, 0600) < 0 || listen(fd, 8) < 0) {
		pk_err_set(err, "control socket %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void set_timeouts(int fd)
{
	const struct timeval tv = {0, IO_TIMEOUT_MS * 1000};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* `reload [confirm SECONDS] [FILE]`: FILE an absolute path. */
static int reload(struct pk_daemon *d, const char *args, FILE *out)
{
	char msg[600];
	unsigned seconds = 0;
	int at = 0;
	while (*args == ' ')
		args++;
	if (sscanf(args, "confirm %u %n", &seconds, &at) == 1) {
		if (!seconds || seconds > 86400) {
			fprintf(out, "reload confirm: SECONDS is 1 to 86400, not %u\n", seconds);
			return 2;
		}
		args += at;
	}
	if (*args && *args != '/') {
		fprintf(out, "reload: the ruleset file must be an absolute path, not '%.64s'\n", args);
		return 2;
	}
	const int rc = pk_confirm_reload(d, *args ? args : NULL, seconds, msg, sizeof(msg));
	fprintf(out, "%s\n", msg);
	return rc < 0 ? 1 : 0;
}

static int read_line(int fd, char *buf, size_t cap)
{
	size_t n = 0;

	while (n + 1 < cap) {
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		if (memchr(buf, '\n', n))
			break;
	}
	buf[n] = '\0';
	char *nl = strchr(buf, '\n');
	if (!nl)
		return n ? 0 : -1; /* a request without newline but complete at EOF is accepted */
	*nl = '\0';
	return 0;
}

/* "json LISTING": a listing as JSON; -1 when req is not one. */
static int run_json(struct pk_daemon *d, const char *req, FILE *out)
{
	static const struct {
		const char *name;
		void (*list)(FILE *out, const struct pk_daemon *d);
	} listings[] = {{"json states", pk_report_states_json},
			{"json stats", pk_report_stats_json},
			{"json rules", pk_report_rules_json},
			{"json tables", pk_report_tables_json}};
	for (size_t i = 0; i < sizeof listings / sizeof listings[0]; i++)
		if (!strcmp(req, listings[i].name)) {
			listings[i].list(out, d);
			return 0;
		}
	return -1;
}

/* Run one request, writing the answer text to out; returns the status. */
static int run(struct pk_daemon *d, const char *req, FILE *out)
{
	const int json = run_json(d, req, out);
	if (json >= 0)
		return json;
	if (!strcmp(req, "states") || !strcmp(req, "states -v")) {
		pk_report_states(out, d, req[6] != '\0');
		return 0;
	}
	if (!strcmp(req, "stats")) {
		pk_report_stats(out, d);
		return 0;
	}
	if (!strcmp(req, "rules") || !strcmp(req, "rules -v")) {
		pk_report_rules(out, d, req[5] != '\0');
		return 0;
	}
	if (!strcmp(req, "tables")) {
		pk_report_tables(out, d);
		return 0;
	}
	if (!strncmp(req, "kill-states ", 12) || !strcmp(req, "kill-states")) {
		struct pk_state_filter f;
		struct pk_err err;
		if (pk_killfilter_parse(req + (req[11] ? 12 : 11), &f, &err) < 0) {
			fprintf(out, "%s\n", err.msg);
			return 2;
		}
		fprintf(out, "killed %u states\n", pk_engine_kill_states(d->engine, &f));
		return 0;
	}
	if (!strcmp(req, "reload") || !strncmp(req, "reload ", 7))
		return reload(d, req + 6, out);
	if (!strcmp(req, "confirm")) {
		char msg[256];
		const int rc = pk_confirm_accept(d, msg, sizeof(msg));
		fprintf(out, "%s\n", msg);
		return rc < 0 ? 1 : 0;
	}
	fprintf(out, "unknown request '%.64s': states, stats, rules, tables, kill-states, reload, confirm\n", req);
	return 2;
}

void pk_ctl_serve(struct pk_daemon *d)
{
	char req[REQ_MAX];
	char *text = NULL;
	size_t len = 0;

	int fd = accept4(d->ctl_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	set_timeouts(fd);
	FILE *out = open_memstream(&text, &len);
	if (!out) {
		close(fd);
		return;
	}
	int status = read_line(fd, req, sizeof(req)) < 0 ? 2 : run(d, req, out);
	fclose(out);
	char head[4];
	snprintf(head, sizeof(head), "%d\n", status);
	if (write(fd, head, 2) == 2) {
		for (size_t off = 0; off < len;) {
			ssize_t w = write(fd, text + off, len - off);
			if (w <= 0)
				break;
			off += (size_t)w;
		}
	}
	free(text);
	close(fd);
}
