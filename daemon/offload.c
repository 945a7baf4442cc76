/* daemon/offload.c: see offload.h. The legacy ethtool requests: every
 * driver answers them (the kernel maps them onto its feature bits). */
#include "daemon/offload.h"

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int ethtool(int fd, const char *ifname, struct ethtool_value *v)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)v;
	return ioctl(fd, SIOCETHTOOL, &ifr);
}

/* Read with get; when the bit is on, write it cleared with set. 1 when it
 * was turned off, 0 when it was off or absent, -1 when the driver refused. */
static int clear(int fd, const char *ifname, uint32_t get, uint32_t set, uint32_t bit)
{
	struct ethtool_value v = {.cmd = get};

	if (ethtool(fd, ifname, &v) < 0)
		return errno == EOPNOTSUPP ? 0 : -1;
	if (!(v.data & bit))
		return 0;
	v.cmd = set;
	v.data &= ~bit;
	return ethtool(fd, ifname, &v) < 0 ? -1 : 1;
}

int pk_offload_merging_off(const char *ifname, struct pk_err *err)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), gro, lro;

	if (fd < 0)
		return pk_err_set(err, "%s: socket: %s", ifname, strerror(errno));
	gro = clear(fd, ifname, ETHTOOL_GGRO, ETHTOOL_SGRO, 1);
	if (gro < 0)
		pk_err_set(err, "%s: turning generic-receive-offload off: %s", ifname, strerror(errno));
	lro = gro < 0 ? 0 : clear(fd, ifname, ETHTOOL_GFLAGS, ETHTOOL_SFLAGS, ETH_FLAG_LRO);
	if (lro < 0)
		pk_err_set(err, "%s: turning large-receive-offload off: %s", ifname, strerror(errno));
	close(fd);
	if (gro < 0 || lro < 0)
		return -1;
	return (gro ? (int)PK_OFFLOAD_GRO : 0) | (lro ? (int)PK_OFFLOAD_LRO : 0);
}
