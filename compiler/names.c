/* compiler/names.c: the data tables behind compiler/names.h. */
#include "compiler/names.h"

#include <stddef.h>
#include <string.h>

#define PK_LEN(t) (sizeof(t) / sizeof((t)[0]))

/* The service names pfctl resolves on OpenBSD (its /etc/services, names and
 * aliases; tcp and udp share the numbers), plus a few common IANA names seen
 * in FreeBSD and macOS rulesets. pfctl tries tcp first, then udp: a name is
 * one number here. */
static const struct pk_name pk_services[] = {
	{"tcpmux", 1}, {"echo", 7}, {"discard", 9}, {"sink", 9}, {"null", 9}, {"systat", 11},
	{"users", 11}, {"daytime", 13}, {"netstat", 15}, {"qotd", 17}, {"quote", 17},
	{"chargen", 19}, {"ttytst", 19}, {"source", 19}, {"ftp-data", 20}, {"ftp", 21},
	{"ssh", 22}, {"telnet", 23}, {"smtp", 25}, {"mail", 25}, {"time", 37}, {"timserver", 37},
	{"rlp", 39}, {"resource", 39}, {"nameserver", 42}, {"name", 42}, {"whois", 43},
	{"nicname", 43}, {"domain", 53}, {"mtp", 57}, {"bootps", 67}, {"bootpc", 68}, {"tftp", 69},
	{"gopher", 70}, {"rje", 77}, {"netrjs", 77}, {"finger", 79}, {"http", 80}, {"www", 80},
	{"link", 87}, {"ttylink", 87}, {"kerberos", 88}, {"krb5", 88}, {"kerberos-sec", 88},
	{"supdup", 95}, {"hostname", 101}, {"hostnames", 101}, {"iso-tsap", 102}, {"tsap", 102},
	{"x400", 103}, {"x400-snd", 104}, {"csnet-ns", 105}, {"cso-ns", 105}, {"rtelnet", 107},
	{"pop2", 109}, {"postoffice", 109}, {"pop3", 110}, {"pop-3", 110}, {"sunrpc", 111},
	{"rpcbind", 111}, {"portmap", 111}, {"auth", 113}, {"authentication", 113}, {"tap", 113},
	{"ident", 113}, {"sftp", 115}, {"uucp-path", 117}, {"nntp", 119}, {"readnews", 119},
	{"untp", 119}, {"ntp", 123}, {"pwdgen", 129}, {"epmap", 135}, {"loc-srv", 135},
	{"netbios-ns", 137}, {"netbios-dgm", 138}, {"netbios-ssn", 139}, {"imap", 143},
	{"imap2", 143}, {"bftp", 152}, {"snmp", 161}, {"snmp-trap", 162}, {"snmptrap", 162},
	{"cmip-man", 163}, {"cmip-agent", 164}, {"mailq", 174}, {"xdmcp", 177}, {"nextstep", 178},
	{"bgp", 179}, {"prospero", 191}, {"irc", 194}, {"smux", 199}, {"at-rtmp", 201},
	{"at-nbp", 202}, {"at-echo", 204}, {"at-zis", 206}, {"qmtp", 209}, {"z3950", 210},
	{"wais", 210}, {"ipx", 213}, {"imap3", 220}, {"rpc2portmap", 369}, {"codaauth2", 370},
	{"ulistserv", 372}, {"ldap", 389}, {"svrloc", 427}, {"nnsp", 433}, {"usenet", 433},
	{"https", 443}, {"snpp", 444}, {"microsoft-ds", 445}, {"kpasswd", 464}, {"smtps", 465},
	{"photuris", 468}, {"saft", 487}, {"isakmp", 500}, {"exec", 512}, {"biff", 512},
	{"comsat", 512}, {"login", 513}, {"who", 513}, {"whod", 513}, {"shell", 514}, {"cmd", 514},
	{"syslog", 514}, {"printer", 515}, {"spooler", 515}, {"talk", 517}, {"ntalk", 518},
	{"route", 520}, {"router", 520}, {"routed", 520}, {"efs", 521}, {"timed", 525},
	{"timeserver", 525}, {"tempo", 526}, {"newdate", 526}, {"courier", 530}, {"rpc", 530},
	{"conference", 531}, {"chat", 531}, {"netnews", 532}, {"netwall", 533}, {"uucp", 540},
	{"uucpd", 540}, {"klogin", 543}, {"kshell", 544}, {"krcmd", 544}, {"ekshell", 545},
	{"dhcpv6-client", 546}, {"dhcpv6-server", 547}, {"afpovertcp", 548}, {"remotefs", 556},
	{"rfs_server", 556}, {"rfs", 556}, {"rtsp", 554}, {"nntps", 563}, {"snntp", 563},
	{"submission", 587}, {"msa", 587}, {"ipp", 631}, {"ldaps", 636}, {"domain-s", 853},
	{"silc", 706}, {"kerberos-adm", 749}, {"kerberos-iv", 750}, {"kdc", 750},
	{"kerberos_master", 751}, {"kerberos-master", 751}, {"krb_prop", 754}, {"hprop", 754},
	{"krbupdate", 760}, {"kreg", 760}, {"supfilesrv", 871}, {"rsync", 873}, {"cddb", 888},
	{"swat", 901}, {"ftps-data", 989}, {"ftps", 990}, {"imaps", 993}, {"pop3s", 995},
	{"spop3", 995}, {"socks", 1080}, {"kpop", 1109}, {"supfiledbg", 1127}, {"openvpn", 1194},
	{"ms-sql-s", 1433}, {"ms-sql-m", 1434}, {"ingreslock", 1524}, {"prospero-np", 1525},
	{"datametrics", 1645}, {"sa-msg-port", 1646}, {"l2tp", 1701}, {"pptp", 1723},
	{"radius", 1812}, {"radacct", 1813}, {"radius-acct", 1813}, {"nfsd", 2049}, {"nfs", 2049},
	{"gnunet", 2086}, {"eklogin", 2105}, {"ekshell2", 2106}, {"rkinit", 2108}, {"kf", 2110},
	{"kx", 2111}, {"kip", 2112}, {"kauth", 2120}, {"iprop", 2121}, {"cvspserver", 2401},
	{"webster", 2627}, {"mysql", 3306}, {"rdp", 3389}, {"ms-wbt-server", 3389}, {"nut", 3493},
	{"iapp", 3517}, {"bfd-control", 3784}, {"bfd-echo", 3785}, {"sieve", 4190},
	{"krb524", 4444}, {"ipsec-nat-t", 4500}, {"rfe", 5002}, {"sip", 5060}, {"sips", 5061},
	{"xmpp-client", 5222}, {"xmpp-server", 5269}, {"mdns", 5353}, {"postgresql", 5432},
	{"canna", 5680}, {"x11", 6000}, {"sane-port", 6566}, {"syslog-tls", 6514}, {"ircs", 6697},
	{"afs3-fileserver", 7000}, {"afs3-callback", 7001}, {"afs3-prserver", 7002},
	{"afs3-vlserver", 7003}, {"afs3-kaserver", 7004}, {"afs3-volser", 7005},
	{"afs3-errors", 7006}, {"afs3-bos", 7007}, {"afs3-update", 7008}, {"afs3-rmtsys", 7009},
	{"icb", 7326}, {"spamd", 8025}, {"spamd-sync", 8025}, {"spamd-cfg", 8026},
	{"dhcpd-sync", 8067}, {"http-alt", 8080}, {"amanda", 10080}, {"hunt", 26740},
	/* names macOS's and FreeBSD's /etc/services add, seen in their rulesets */
	{"imap4-ssl", 585}, {"privoxy", 8118}, {"net-assistant", 3283}, {"l2f", 1701},
	{"ipsec-msft", 4500}, {"eyetv", 2170}, {"cert-responder", 1640}, {"submissions", 465},
	/* IANA names in OpenBSD's /etc/services since its 7.x releases, seen in its rulesets */
	{"ssdp", 1900}, {"matter", 5540},
};

static const struct pk_name pk_protos[] = {
	{"ip", 0}, {"icmp", 1}, {"igmp", 2}, {"ggp", 3}, {"ipencap", 4}, {"st", 5}, {"tcp", 6},
	{"egp", 8}, {"igp", 9}, {"pup", 12}, {"udp", 17}, {"hmp", 20}, {"xns-idp", 22},
	{"rdp", 27}, {"iso-tp4", 29}, {"xtp", 36}, {"ddp", 37}, {"idpr-cmtp", 38},
	{"ipv6", 41}, {"ipv6-route", 43}, {"ipv6-frag", 44}, {"idrp", 45}, {"rsvp", 46},
	{"gre", 47}, {"esp", 50}, {"ah", 51}, {"mobile", 55}, {"ipv6-icmp", 58},
	{"icmp6", 58}, {"ipv6-nonxt", 59}, {"ipv6-opts", 60}, {"rspf", 73}, {"vmtp", 81},
	{"ospf", 89}, {"ipip", 94}, {"encap", 98}, {"etherip", 97}, {"pim", 103},
	{"ipcomp", 108}, {"vrrp", 112}, {"carp", 112}, {"l2tp", 115}, {"sctp", 132},
	{"mpls-in-ip", 137}, {"pfsync", 240}, {"divert", 258},
};

static const struct pk_name pk_icmp_types[] = {
	{"echorep", 0}, {"unreach", 3}, {"squench", 4}, {"redir", 5}, {"althost", 6},
	{"echoreq", 8}, {"routeradv", 9}, {"routersol", 10}, {"timex", 11}, {"paramprob", 12},
	{"timereq", 13}, {"timerep", 14}, {"inforeq", 15}, {"inforep", 16}, {"maskreq", 17},
	{"maskrep", 18}, {"trace", 30}, {"dataconv", 31}, {"mobredir", 32}, {"ipv6-where", 33},
	{"ipv6-here", 34}, {"mobregreq", 35}, {"mobregrep", 36}, {"skip", 39}, {"photuris", 40},
};

static const struct pk_name pk_icmp6_types[] = {
	{"unreach", 1}, {"toobig", 2}, {"timex", 3}, {"paramprob", 4}, {"echoreq", 128},
	{"echorep", 129}, {"groupqry", 130}, {"listqry", 130}, {"grouprep", 131}, {"listenrep", 131},
	{"groupterm", 132}, {"listendone", 132}, {"routersol", 133}, {"routeradv", 134},
	{"neighbrsol", 135}, {"neighbradv", 136}, {"redir", 137}, {"routrrenum", 138},
	{"wrureq", 139}, {"wrurep", 140}, {"fqdnreq", 139}, {"fqdnrep", 140}, {"niqry", 139},
	{"nirep", 140}, {"mtraceresp", 200}, {"mtrace", 201}, {"listenrepv2", 143},
};

/* ICMP codes with the type they belong to (pfctl prints a code by name only
 * under its own type). */
struct pk_code {
	const char *name;
	int type, code;
};

static const struct pk_code pk_icmp_codes[] = {
	{"net-unr", 3, 0}, {"host-unr", 3, 1}, {"proto-unr", 3, 2}, {"port-unr", 3, 3},
	{"needfrag", 3, 4}, {"srcfail", 3, 5}, {"net-unk", 3, 6}, {"host-unk", 3, 7},
	{"isolate", 3, 8}, {"net-prohib", 3, 9}, {"host-prohib", 3, 10}, {"net-tos", 3, 11},
	{"host-tos", 3, 12}, {"filter-prohib", 3, 13}, {"host-preced", 3, 14},
	{"cutoff-preced", 3, 15}, {"redir-net", 5, 0}, {"redir-host", 5, 1},
	{"redir-tos-net", 5, 2}, {"redir-tos-host", 5, 3}, {"normal-adv", 9, 0},
	{"common-adv", 9, 16}, {"transit", 11, 0}, {"reassemb", 11, 1}, {"badhead", 12, 0},
	{"optmiss", 12, 1}, {"badlen", 12, 2}, {"unknown-ind", 40, 1}, {"auth-fail", 40, 2},
	{"decrypt-fail", 40, 3},
};

static const struct pk_code pk_icmp6_codes[] = {
	{"noroute-unr", 1, 0}, {"admin-unr", 1, 1}, {"beyond-unr", 1, 2}, {"addr-unr", 1, 3},
	{"port-unr", 1, 4}, {"transit", 3, 0}, {"reassemb", 3, 1}, {"badhead", 4, 0},
	{"nxthdr", 4, 1}, {"redironlink", 137, 0}, {"redirrouter", 137, 1},
};

static int name_find(const struct pk_name *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return t[i].value;
	return -1;
}

static const char *value_find(const struct pk_name *t, size_t n, int value)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].name;
	return NULL;
}

int pk_service_lookup(const char *name)
{
	return name_find(pk_services, PK_LEN(pk_services), name);
}

const char *const *pk_service_names(unsigned *n)
{
	static const char *names[PK_LEN(pk_services)];
	for (size_t i = 0; i < PK_LEN(pk_services); i++)
		names[i] = pk_services[i].name;
	*n = PK_LEN(pk_services);
	return names;
}

int pk_proto_lookup(const char *name)
{
	return name_find(pk_protos, PK_LEN(pk_protos), name);
}

const char *pk_proto_name(int proto)
{
	return proto ? value_find(pk_protos, PK_LEN(pk_protos), proto) : NULL;
}

int pk_icmp_type_lookup(const char *name, int af)
{
	return af == 6 ? name_find(pk_icmp6_types, PK_LEN(pk_icmp6_types), name)
		       : name_find(pk_icmp_types, PK_LEN(pk_icmp_types), name);
}

const char *pk_icmp_type_name(int type, int af)
{
	return af == 6 ? value_find(pk_icmp6_types, PK_LEN(pk_icmp6_types), type)
		       : value_find(pk_icmp_types, PK_LEN(pk_icmp_types), type);
}

int pk_icmp_code_lookup(const char *name, int af)
{
	const struct pk_code *t = af == 6 ? pk_icmp6_codes : pk_icmp_codes;
	size_t n = af == 6 ? PK_LEN(pk_icmp6_codes) : PK_LEN(pk_icmp_codes);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return t[i].code;
	return -1;
}

const char *pk_icmp_code_name(int type, int code, int af)
{
	const struct pk_code *t = af == 6 ? pk_icmp6_codes : pk_icmp_codes;
	size_t n = af == 6 ? PK_LEN(pk_icmp6_codes) : PK_LEN(pk_icmp_codes);
	for (size_t i = 0; i < n; i++)
		if (t[i].type == type && t[i].code == code)
			return t[i].name;
	return NULL;
}
