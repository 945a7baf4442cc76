/* daemon/pcaplog.c: pcap (LINKTYPE_RAW) writer for logged packets. */
#include "daemon/pcaplog.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCAP_MAGIC 0xa1b2c3d4u

/* Fields are in host order, as the pcap magic tells readers. */
struct pcap_file_header_v24 {
	uint32_t magic;
	uint16_t major, minor;
	int32_t thiszone;
	uint32_t sigfigs, snaplen, linktype;
};

struct pcap_record {
	uint32_t sec, usec, caplen, len;
};

static int header_matches(int fd)
{
	struct pcap_file_header_v24 h;

	if (pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return 0;
	return h.magic == PCAP_MAGIC && h.major == 2 && h.linktype == PK_PCAP_LINKTYPE_RAW;
}

int pk_pcaplog_open(struct pk_pcaplog *l, const char *path, struct pk_err *err)
{
	struct stat st;
	const struct pcap_file_header_v24 h = {PCAP_MAGIC, 2, 4, 0, 0, PK_PCAP_SNAPLEN, PK_PCAP_LINKTYPE_RAW};

	memset(l, 0, sizeof(*l));
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || fstat(fd, &st) < 0) {
		pk_err_set(err, "%s: cannot open log file: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (st.st_size == 0) {
		if (write(fd, &h, sizeof(h)) != (ssize_t)sizeof(h)) {
			pk_err_set(err, "%s: cannot write the pcap header: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
	} else {
		int rfd = open(path, O_RDONLY | O_CLOEXEC);
		int ok = rfd >= 0 && header_matches(rfd);
		if (rfd >= 0)
			close(rfd);
		if (!ok) {
			pk_err_set(err, "%s: exists and is not a raw-IP pcap file; move it away or name another file",
				   path);
			close(fd);
			return -1;
		}
	}
	l->f = fdopen(fd, "a");
	if (!l->f) {
		pk_err_set(err, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return 0;
}

int pk_pcaplog_write(struct pk_pcaplog *l, uint64_t wall_ns, const uint8_t *ip, size_t len)
{
	if (!l->f)
		return -1;
	size_t cap = len < PK_PCAP_SNAPLEN ? len : PK_PCAP_SNAPLEN;
	const struct pcap_record r = {(uint32_t)(wall_ns / 1000000000u), (uint32_t)(wall_ns % 1000000000u / 1000u),
				      (uint32_t)cap, (uint32_t)len};
	if (fwrite(&r, sizeof(r), 1, l->f) != 1 || fwrite(ip, 1, cap, l->f) != cap)
		return -1;
	l->records++;
	/* Whole records reach the file, so tcpdump never reads a torn one. */
	return fflush(l->f) == 0 ? 0 : -1;
}

void pk_pcaplog_close(struct pk_pcaplog *l)
{
	if (l->f)
		fclose(l->f);
	l->f = NULL;
}
