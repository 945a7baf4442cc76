/* compiler/names.c: the data tables behind compiler/names.h. */
#include "compiler/names.h"

#include <stddef.h>
#include <string.h>

#define PK_LEN(t) (sizeof(t) / sizeof((t)[0]))

/* OpenBSD's /etc/services (tcp and udp share the numbers used here). */
static const struct pk_name pk_services[] = {
	{"tcpmux", 1}, {"echo", 7}, {"discard", 9}, {"systat", 11}, {"daytime", 13},
	{"netstat", 15}, {"qotd", 17}, {"chargen", 19}, {"ftp-data", 20}, {"ftp", 21},
	{"ssh", 22}, {"telnet", 23}, {"smtp", 25}, {"time", 37}, {"whois", 43},
	{"domain", 53}, {"bootps", 67}, {"bootpc", 68}, {"tftp", 69}, {"gopher", 70},
	{"finger", 79}, {"www", 80}, {"http", 80}, {"kerberos", 88}, {"pop3", 110},
	{"sunrpc", 111}, {"auth", 113}, {"ident", 113}, {"sftp", 115}, {"nntp", 119}, {"ntp", 123},
	{"netbios-ns", 137}, {"netbios-dgm", 138}, {"netbios-ssn", 139}, {"imap", 143},
	{"snmp", 161}, {"snmp-trap", 162}, {"bgp", 179}, {"irc", 194}, {"ldap", 389},
	{"https", 443}, {"microsoft-ds", 445}, {"kpasswd", 464}, {"isakmp", 500},
	{"syslog", 514}, {"printer", 515}, {"submission", 587}, {"ldaps", 636},
	{"rsync", 873}, {"imaps", 993}, {"pop3s", 995}, {"socks", 1080}, {"openvpn", 1194},
	{"ms-sql-s", 1433}, {"radius", 1812}, {"radius-acct", 1813}, {"nfsd", 2049},
	{"mysql", 3306}, {"rdp", 3389}, {"sip", 5060}, {"postgresql", 5432}, {"x11", 6000},
	{"http-alt", 8080},
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
	{"nirep", 140}, {"mtraceresp", 200}, {"mtrace", 201},
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
