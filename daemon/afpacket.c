/* daemon/afpacket.c: AF_PACKET sockets with memory-mapped rings. */
#include "daemon/afpacket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "runtime/wire.h"

#define RX_BLOCK_SIZE (1u << 20)
#define RX_NBLOCKS 8
#define RX_FRAME_SIZE 4096 /* a slot: an Ethernet frame up to MTU 4000 with the ring's headers */
#define TX_FRAME_SIZE 4096
#define TX_NFRAMES 512
#define TX_DATA_OFF (TPACKET2_HDRLEN - sizeof(struct sockaddr_ll))
_Static_assert(TX_DATA_OFF + PK_AFP_FRAME_MAX <= TX_FRAME_SIZE, "send slot too small");

static int fail(struct pk_err *err, const char *ifname, const char *what)
{
	return pk_err_set(err, "%s: %s: %s", ifname, what, strerror(errno));
}

static int iface_info(struct pk_port *p, const char *ifname, struct pk_err *err)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return fail(err, ifname, "socket");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	int rc = ioctl(fd, SIOCGIFINDEX, &ifr);
	if (rc == 0)
		p->ifindex = ifr.ifr_ifindex;
	if (rc == 0 && (rc = ioctl(fd, SIOCGIFHWADDR, &ifr)) == 0)
		memcpy(p->mac, ifr.ifr_hwaddr.sa_data, 6);
	if (rc == 0 && (rc = ioctl(fd, SIOCGIFMTU, &ifr)) == 0)
		p->mtu = (uint32_t)ifr.ifr_mtu;
	int e = errno;
	close(fd);
	errno = e;
	if (rc < 0)
		return fail(err, ifname, "no such interface (check --if and --bridge)");
	return 0;
}

static int bind_port(int fd, const struct pk_port *p, uint16_t proto)
{
	struct sockaddr_ll sll;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(proto);
	sll.sll_ifindex = p->ifindex;
	return bind(fd, (const struct sockaddr *)&sll, sizeof(sll));
}

static int open_rx(struct pk_port *p, bool promisc, struct pk_err *err)
{
	int v = TPACKET_V2, one = 1;
	struct tpacket_req req;

	p->rx_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (p->rx_fd < 0)
		return fail(err, p->name, "AF_PACKET socket (picketd needs CAP_NET_RAW)");
	if (setsockopt(p->rx_fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0)
		return fail(err, p->name, "TPACKET_V2");
	/* Our own sends must not come back as receptions. */
	if (setsockopt(p->rx_fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0)
		return fail(err, p->name, "PACKET_IGNORE_OUTGOING (needs Linux 4.20)");
	memset(&req, 0, sizeof(req));
	req.tp_block_size = RX_BLOCK_SIZE;
	req.tp_block_nr = RX_NBLOCKS;
	req.tp_frame_size = RX_FRAME_SIZE;
	req.tp_frame_nr = RX_BLOCK_SIZE / RX_FRAME_SIZE * RX_NBLOCKS;
	if (setsockopt(p->rx_fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
		return fail(err, p->name, "PACKET_RX_RING");
	p->rx_frame_size = RX_FRAME_SIZE;
	p->rx_nframes = req.tp_frame_nr;
	p->rx_ring_len = (size_t)RX_BLOCK_SIZE * RX_NBLOCKS;
	p->rx_ring = mmap(NULL, p->rx_ring_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, p->rx_fd, 0);
	if (p->rx_ring == MAP_FAILED)
		p->rx_ring = mmap(NULL, p->rx_ring_len, PROT_READ | PROT_WRITE, MAP_SHARED, p->rx_fd, 0);
	if (p->rx_ring == MAP_FAILED) {
		p->rx_ring = NULL;
		return fail(err, p->name, "mmap of the receive ring");
	}
	if (bind_port(p->rx_fd, p, ETH_P_ALL) < 0)
		return fail(err, p->name, "bind");
	/* A bridge sees every frame; a router needs the multicast ones too
	 * (IPv6 neighbour solicitations go to solicited-node groups). */
	struct packet_mreq mr;
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = p->ifindex;
	mr.mr_type = promisc ? PACKET_MR_PROMISC : PACKET_MR_ALLMULTI;
	if (setsockopt(p->rx_fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
		return fail(err, p->name, promisc ? "promiscuous mode" : "all-multicast mode");
	return 0;
}

static int open_tx(struct pk_port *p, struct pk_err *err)
{
	int v = TPACKET_V2, one = 1;
	struct tpacket_req req;

	/* Protocol 0: this socket receives nothing. */
	p->tx_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (p->tx_fd < 0)
		return fail(err, p->name, "AF_PACKET socket");
	if (setsockopt(p->tx_fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0)
		return fail(err, p->name, "TPACKET_V2");
	/* No PACKET_QDISC_BYPASS: traffic shaping applies to forwarded traffic
	 * as on a kernel router, and tcpdump sees what leaves; measured, the
	 * bypass gained nothing over veth. */
	/* A frame the kernel refuses is skipped instead of stopping the ring. */
	if (setsockopt(p->tx_fd, SOL_PACKET, PACKET_LOSS, &one, sizeof(one)) < 0)
		return fail(err, p->name, "PACKET_LOSS");
	memset(&req, 0, sizeof(req));
	req.tp_block_size = TX_FRAME_SIZE * 16;
	req.tp_frame_size = TX_FRAME_SIZE;
	req.tp_frame_nr = TX_NFRAMES;
	req.tp_block_nr = TX_NFRAMES / 16;
	if (setsockopt(p->tx_fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) < 0)
		return fail(err, p->name, "PACKET_TX_RING");
	p->tx_frame_size = TX_FRAME_SIZE;
	p->tx_nframes = TX_NFRAMES;
	p->tx_ring_len = (size_t)TX_FRAME_SIZE * TX_NFRAMES;
	p->tx_ring = mmap(NULL, p->tx_ring_len, PROT_READ | PROT_WRITE, MAP_SHARED, p->tx_fd, 0);
	if (p->tx_ring == MAP_FAILED) {
		p->tx_ring = NULL;
		return fail(err, p->name, "mmap of the send ring");
	}
	if (bind_port(p->tx_fd, p, 0) < 0)
		return fail(err, p->name, "bind");
	return 0;
}

int pk_afp_open(struct pk_port *p, const char *ifname, bool promisc, struct pk_err *err)
{
	memset(p, 0, sizeof(*p));
	p->rx_fd = p->tx_fd = -1;
	snprintf(p->name, sizeof(p->name), "%s", ifname);
	if (strlen(ifname) >= sizeof(p->name))
		return pk_err_set(err, "%s: interface name too long", ifname);
	if (iface_info(p, ifname, err) < 0 || open_rx(p, promisc, err) < 0 || open_tx(p, err) < 0) {
		pk_afp_close(p);
		return -1;
	}
	return 0;
}

void pk_afp_close(struct pk_port *p)
{
	if (p->rx_ring)
		munmap(p->rx_ring, p->rx_ring_len);
	if (p->tx_ring)
		munmap(p->tx_ring, p->tx_ring_len);
	if (p->rx_fd >= 0)
		close(p->rx_fd);
	if (p->tx_fd >= 0)
		close(p->tx_fd);
	p->rx_ring = p->tx_ring = NULL;
	p->rx_fd = p->tx_fd = -1;
}

/* The frames the kernel dropped since the last read: the ring was full.
 * Reading the counters also clears TP_STATUS_LOSING, which the kernel sets
 * on every frame after a drop until then. */
static void count_drops(struct pk_port *p)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	if (getsockopt(p->rx_fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
		p->stats.rx_ring_drops += st.tp_drops;
}

unsigned pk_afp_rx(struct pk_port *p, unsigned budget, pk_afp_rx_fn fn, void *ctx)
{
	unsigned n = 0;
	bool losing = false;

	for (; n < budget; n++) {
		struct tpacket2_hdr *h = (struct tpacket2_hdr *)(p->rx_ring + (size_t)p->rx_cur * p->rx_frame_size);
		uint32_t status = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
		if (!(status & TP_STATUS_USER))
			break;
		losing |= (status & TP_STATUS_LOSING) != 0;
		if (h->tp_snaplen < h->tp_len || (size_t)h->tp_mac + h->tp_snaplen > p->rx_frame_size) {
			p->stats.rx_truncated++;
		} else {
			p->stats.rx_packets++;
			p->stats.rx_bytes += h->tp_snaplen;
			unsigned flags = ((status & TP_STATUS_CSUMNOTREADY) ? PK_AFP_CSUM_NOT_READY : 0) |
					 ((status & TP_STATUS_VLAN_VALID) ? PK_AFP_VLAN : 0);
			fn(ctx, p, (uint8_t *)h + h->tp_mac, h->tp_snaplen, flags);
		}
		__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		p->rx_cur = (p->rx_cur + 1) % p->rx_nframes;
	}
	if (losing) /* once a batch: a flood sets it on most frames */
		count_drops(p);
	return n;
}

static struct tpacket2_hdr *tx_hdr(const struct pk_port *p, uint32_t i)
{
	return (struct tpacket2_hdr *)(p->tx_ring + (size_t)i * p->tx_frame_size);
}

uint8_t *pk_afp_tx_slot(struct pk_port *p)
{
	struct tpacket2_hdr *h = tx_hdr(p, p->tx_cur);

	if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE) {
		pk_afp_tx_flush(p);
		if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE) {
			/* The kernel is still sending the previous lap: wait briefly for it. */
			struct pollfd pfd = {.fd = p->tx_fd, .events = POLLOUT};
			(void)poll(&pfd, 1, 1);
			if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE) {
				p->stats.tx_ring_full++;
				return NULL;
			}
		}
	}
	return (uint8_t *)h + TX_DATA_OFF;
}

void pk_afp_tx_commit(struct pk_port *p, size_t len)
{
	struct tpacket2_hdr *h = tx_hdr(p, p->tx_cur);

	h->tp_len = (uint32_t)len;
	__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
	p->tx_cur = (p->tx_cur + 1) % p->tx_nframes;
	p->tx_pending++;
	p->stats.tx_packets++;
	p->stats.tx_bytes += len;
}

bool pk_afp_send(struct pk_port *p, const uint8_t *frame, size_t len)
{
	if (len > PK_AFP_FRAME_MAX || len > p->mtu + PK_ETH_HLEN) {
		p->stats.tx_too_big++;
		return false;
	}
	uint8_t *slot = pk_afp_tx_slot(p);
	if (!slot)
		return false;
	memcpy(slot, frame, len);
	pk_afp_tx_commit(p, len);
	return true;
}

void pk_afp_tx_flush(struct pk_port *p)
{
	if (!p->tx_pending)
		return;
	p->tx_pending = 0;
	while (send(p->tx_fd, NULL, 0, MSG_DONTWAIT) < 0 && errno == EINTR)
		;
}
