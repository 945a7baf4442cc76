/* daemon/sys.c: forwarding check, file permissions, pid file, privilege drop. */
#include "daemon/sys.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/afile.h"

static bool proc_flag_on(const char *path)
{
	FILE *f = fopen(path, "re");
	int c = EOF;

	if (f) {
		c = fgetc(f);
		fclose(f);
	}
	return c != EOF && c != '0';
}

bool pk_sys_kernel_forwards(const char *ifname)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/forwarding", ifname);
	return proc_flag_on("/proc/sys/net/ipv4/ip_forward") && proc_flag_on(path);
}

int pk_sys_check_pkb_mode(const char *path, struct pk_err *err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return pk_err_set(err, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return pk_err_set(err, "%s: not a regular file", path);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return pk_err_set(err, "%s: writable by %s (mode %03o); refusing it: run 'chmod go-w %s'", path,
				  (st.st_mode & S_IWOTH) ? "others" : "its group", (unsigned)(st.st_mode & 0777), path);
	return 0;
}

int pk_sys_write_pidfile(const char *path, struct pk_err *err)
{
	struct pk_afile a;
	char line[32];
	int n = snprintf(line, sizeof(line), "%ld\n", (long)getpid());

	if (pk_afile_open(&a, path, 0644) < 0)
		return pk_err_set(err, "%s: cannot write the pid file: %s", path, strerror(errno));
	if (write(a.fd, line, (size_t)n) != n) {
		pk_err_set(err, "%s: cannot write the pid file: %s", path, strerror(errno));
		pk_afile_abort(&a);
		return -1;
	}
	if (pk_afile_commit(&a) < 0)
		return pk_err_set(err, "%s: cannot write the pid file: %s", path, strerror(errno));
	return 0;
}

static const struct passwd *find_user(const char *user, struct pk_err *err)
{
	errno = 0;
	const struct passwd *pw = getpwnam(user);

	if (!pw)
		pk_err_set(err, "-u %s: no such user%s%s", user, errno ? ": " : "", errno ? strerror(errno) : "");
	return pw;
}

static bool is_us(const struct passwd *pw)
{
	return pw->pw_uid == getuid() && pw->pw_uid == geteuid();
}

static int become(const struct passwd *pw)
{
	if (setgroups(0, NULL) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
		return -1;
	return 0;
}

/* The child's exit status: 0, access(2)'s errno, or this when it could not become the user. */
#define CANNOT_BECOME 255

int pk_sys_user_may(const char *user, const char *path, int mode, const char *hint, struct pk_err *err)
{
	const struct passwd *pw = find_user(user, err);
	int status = 0;

	if (!pw)
		return -1;
	if (is_us(pw)) {
		status = access(path, mode) < 0 ? errno : 0;
	} else {
		pid_t pid = fork();
		if (pid < 0)
			return pk_err_set(err, "fork: %s", strerror(errno));
		if (pid == 0)
			_exit(become(pw) < 0 ? CANNOT_BECOME : access(path, mode) < 0 ? errno & 0xff : 0);
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
			return pk_err_set(err, "%s: cannot check what user %s may do with it", path, user);
		status = WEXITSTATUS(status);
	}
	if (status == CANNOT_BECOME)
		return pk_err_set(err, "%s: cannot become user %s to check what it may do", path, user);
	if (status)
		return pk_err_set(err, "%s: %s for user %s; %s", path, strerror(status), user, hint);
	return 0;
}

int pk_sys_drop_privileges(const char *user, struct pk_err *err)
{
	const struct passwd *pw = find_user(user, err);

	if (!pw)
		return -1;
	if (is_us(pw))
		return 0;
	if (become(pw) < 0)
		return pk_err_set(err, "cannot become user %s: %s", user, strerror(errno));
	/* A full setresuid away from root clears every capability set. */
	if (setuid(0) == 0)
		return pk_err_set(err, "privileges were not dropped: could become root again");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return pk_err_set(err, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	return 0;
}
