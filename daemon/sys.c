/* daemon/sys.c: forwarding check, file permissions, pid file, privilege drop. */
#include "daemon/sys.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
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

int pk_sys_drop_privileges(const char *user, struct pk_err *err)
{
	errno = 0;
	const struct passwd *pw = getpwnam(user);

	if (!pw)
		return pk_err_set(err, "-u %s: no such user%s%s", user, errno ? ": " : "", errno ? strerror(errno) : "");
	if (pw->pw_uid == getuid() && pw->pw_uid == geteuid())
		return 0;
	if (setgroups(0, NULL) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
		return pk_err_set(err, "cannot become user %s: %s", user, strerror(errno));
	/* A full setresuid away from root clears every capability set. */
	if (setuid(0) == 0)
		return pk_err_set(err, "privileges were not dropped: could become root again");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return pk_err_set(err, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	return 0;
}
