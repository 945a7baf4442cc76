/*
 * daemon/sys.h: what picketd asks of and does to the host around the data path.
 *
 * Owns the checks at start (the kernel's own IPv4 forwarding on the
 * interfaces picketd routes for, the ruleset file's permissions, what the
 * unprivileged user will need to read and write), the pid
 * file, and dropping privileges once every socket and file is open: all
 * capabilities go with the switch to the unprivileged user, since the open
 * AF_PACKET sockets keep working without CAP_NET_RAW and nothing is
 * re-opened later (a reload only reads the .pkb).
 */
#ifndef PK_DAEMON_SYS_H
#define PK_DAEMON_SYS_H

#include <stdbool.h>

#include "runtime/err.h"

/* True when the kernel forwards IPv4 on ifname (net.ipv4.ip_forward and
 * conf/IF/forwarding both on), so packets would be routed twice. */
bool pk_sys_kernel_forwards(const char *ifname);

/* Refuse a ruleset file that group or others may write (anyone who can
 * write it decides what the firewall passes). 0 or -1 with err. */
int pk_sys_check_pkb_mode(const char *path, struct pk_err *err);

/* Write our pid to path (temp file and rename). 0 or -1 with err. */
int pk_sys_write_pidfile(const char *path, struct pk_err *err);

/* Whether user, once picketd has become it, may access path with mode
 * (access(2)'s R_OK, W_OK, X_OK): 0, or -1 with err giving the system's
 * reason and hint (what picketd needs it for). Asked in a child process
 * that becomes the user, so every rule the kernel applies counts: the
 * directories on the way, ACLs. */
int pk_sys_user_may(const char *user, const char *path, int mode, const char *hint, struct pk_err *err);

/* Become user (its uid, gid, no supplementary groups, no capabilities,
 * no way back: PR_SET_NO_NEW_PRIVS). A no-op when user is already us. */
int pk_sys_drop_privileges(const char *user, struct pk_err *err);

#endif
