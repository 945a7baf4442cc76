/*
 * daemon/offload.h: the receive offloads picketd turns off on its
 * interfaces.
 *
 * GRO and LRO merge a flow's segments into one frame larger than the MTU
 * before AF_PACKET sees it; picketd forwards frames as they come and does
 * not resegment, so such a frame would be cut by the ring or refused on the
 * way out. Tools that filter on AF_PACKET ask for the same. The offloads
 * stay off when picketd stops (it has no privilege left to put them back).
 */
#ifndef PK_DAEMON_OFFLOAD_H
#define PK_DAEMON_OFFLOAD_H

#include "runtime/err.h"

#define PK_OFFLOAD_GRO 1u
#define PK_OFFLOAD_LRO 2u

/* Turn GRO and LRO off on ifname where they are on: returns the
 * PK_OFFLOAD_* bits turned off, or -1 with err when one could not be (the
 * driver refused). An offload the driver does not have is no error. */
int pk_offload_merging_off(const char *ifname, struct pk_err *err);

#endif
