/*
 * configxml/opnsense.c: the rules OPNsense writes itself (filter.inc's
 * antispoof, then filter_core_rules_system registered at priorities 1 and
 * 5, reference §8), before the user's floating (200000), group (300000)
 * and interface (400000) rules. Unlike pfSense, its system rules are all
 * written with a direction (in unless told) and none gets reply-to.
 */
#include <string.h>

#include "configxml/cx.h"

#define OPN(c, at, name, ...) cx_line((c), (at), PK_ORIGIN_GENERATED name, __VA_ARGS__)

static const char *log_unless(const struct cx *c, const char *nolog)
{
	return cx_flag(c, cx_section(c, "syslog"), nolog) ? "" : " log";
}

static const char *text_or(struct cx *c, const xmlNode *n, const char *tag, const char *dflt)
{
	const char *v = cx_text(c, n, tag);
	return v && *v ? v : dflt;
}

/* Interfaces OPNsense renders system rules for: real, enabled, not lo0. */
static bool physical(const struct cx_iface *i)
{
	return i->enabled && strcmp(i->dev, "lo0") && !cx_child(i->node, "virtual") &&
	       !cx_child(i->node, "internal_dynamic");
}

static void write_antispoof(struct cx *c)
{
	for (uint32_t k = 0; k < c->nifs; k++) {
		const struct cx_iface *i = &c->ifs[k];
		/* an interface without a known address has nothing to protect here */
		if (physical(&c->ifs[k]) && (i->ip4 || i->ip6))
			cx_line(c, i->node, pk_arena_printf(c->a, PK_ORIGIN_GENERATED "antispoof for %s", i->descr),
				"antispoof%s for %s", log_unless(c, "nologdefaultblock"), i->dev);
	}
}

static void write_icmp6(struct cx *c, const xmlNode *sys, const char *lp)
{
	static const char *const req[][2] = {
		{"in", "from any to any icmp6-type {1,2,3,4,135,136}"},
		{"out", "from (self) to {fe80::/10, ff02::/16} icmp6-type {128,129,133,134,135,136}"},
		{"in", "from fe80::/10 to {fe80::/10, ff02::/16} icmp6-type {128,133,134,135,136}"},
		{"in", "from ff02::/16 to fe80::/10 icmp6-type {128,133,134,135,136}"},
		{"in", "from :: to ff02::/16 icmp6-type {128,133,134,135,136}"},
	};
	if (cx_flag(c, sys, "no_ipv6_rfc4890_req"))
		return;
	for (size_t k = 0; k < sizeof(req) / sizeof(*req); k++)
		OPN(c, sys, "IPv6 RFC4890 requirements (ICMP)",
		    "pass %s%s quick inet6 proto ipv6-icmp %s keep state label \"IPv6 RFC4890 requirements (ICMP)\"", req[k][0],
		    lp, req[k][1]);
}

static void write_prio1(struct cx *c, const xmlNode *sys)
{
	const char *lb = log_unless(c, "nologdefaultblock"), *lp = log_unless(c, "nologdefaultpass");
	bool v6 = cx_flag(c, sys, "ipv6allow");
	if (!v6)
		OPN(c, sys, "Block all IPv6", "block in%s quick inet6 all label \"Block all IPv6\"", lb);
	/* not quick: the state violation and default deny rule */
	OPN(c, c->root, "Default deny / state violation rule", "block in%s inet all label \"Default deny / state violation rule\"", lb);
	OPN(c, c->root, "Default deny / state violation rule", "block in%s inet6 all label \"Default deny / state violation rule\"", lb);
	if (v6)
		write_icmp6(c, sys, lp);
	if (!cx_flag(c, sys, "no_port0_block")) {
		OPN(c, sys, "block all targeting port 0", "block in%s quick proto {tcp udp} from any port 0 to any label \"block all targeting port 0\"", lb);
		OPN(c, sys, "block all targeting port 0", "block in%s quick proto {tcp udp} from any to any port 0 label \"block all targeting port 0\"", lb);
	}
	if (!cx_flag(c, sys, "no_sshlockout")) {
		const xmlNode *gui = cx_child(sys, "webgui");
		const char *proto = text_or(c, gui, "protocol", "https");
		OPN(c, sys, "sshlockout", "block in%s quick proto tcp from <sshlockout> to (self) port %s label \"sshlockout\"", lb,
		    text_or(c, cx_child(sys, "ssh"), "port", "22"));
		OPN(c, sys, "sshlockout", "block in%s quick proto tcp from <sshlockout> to (self) port %s label \"sshlockout\"", lb,
		    text_or(c, gui, "port", !strcmp(proto, "http") ? "80" : "443"));
	}
	if (!cx_flag(c, sys, "no_virusprot"))
		OPN(c, sys, "virusprot overload table", "block in%s quick from <virusprot> to any label \"virusprot overload table\"", lb);
}

static void write_dhcp(struct cx *c, const struct cx_iface *i, bool v6)
{
	const char *lp = log_unless(c, "nologdefaultpass"), *d = i->dev;
	const char *o = pk_arena_printf(c->a, PK_ORIGIN_GENERATED "DHCP on %s", i->descr);
	if (v6 && i->dyn6 && (!strcmp(i->dyn6, "dhcp6") || !strcmp(i->dyn6, "slaac"))) {
		cx_line(c, i->node, o, "pass in%s quick on %s inet6 proto udp from any to fe80::/10 port 546 keep state label \"allow dhcpv6 client in %s\"", lp, d, i->descr);
		cx_line(c, i->node, o, "pass out%s quick on %s inet6 proto udp from fe80::/10 port 546 to {fe80::/10, ff02::/16} port 547 keep state label \"allow dhcpv6 client out %s\"", lp, d, i->descr);
	}
	if (i->dyn4 && !strcmp(i->dyn4, "dhcp")) {
		cx_line(c, i->node, o, "pass in%s quick on %s proto udp from any port 67 to any port 68 keep state label \"allow DHCP client on %s\"", lp, d, i->descr);
		cx_line(c, i->node, o, "pass out%s quick on %s proto udp from any port 68 to any port 67 keep state label \"allow DHCP client on %s\"", lp, d, i->descr);
	} else if (!i->dyn4 && cx_flag(c, cx_child(cx_section(c, "dhcpd"), i->key), "enable")) {
		cx_line(c, i->node, o, "pass in%s quick on %s proto udp from any port 68 to 255.255.255.255 port 67 keep state label \"allow access to DHCP server\"", lp, d);
		cx_line(c, i->node, o, "pass in%s quick on %s proto udp from any port 68 to (self) port 67 keep state label \"allow access to DHCP server\"", lp, d);
		cx_line(c, i->node, o, "pass out%s quick on %s proto udp from (self) port 67 to any port 68 keep state label \"allow access to DHCP server\"", lp, d);
	}
}

static void write_prio5_iface(struct cx *c, const struct cx_iface *i, bool v6)
{
	const char *lb = log_unless(c, "nologbogons"), *lpv = log_unless(c, "nologprivatenets"), *d = i->dev;
	if (cx_flag(c, i->node, "blockbogons")) {
		const char *o = pk_arena_printf(c->a, PK_ORIGIN_GENERATED "Block bogon networks from %s", i->descr);
		cx_line(c, i->node, o, "block in%s quick on %s inet from <bogons> to any label \"Block bogon IPv4 networks from %s\"", lb, d, i->descr);
		if (v6)
			cx_line(c, i->node, o, "block in%s quick on %s inet6 from <bogonsv6> to any label \"Block bogon IPv6 networks from %s\"", lb, d, i->descr);
	}
	if (!cx_flag(c, i->node, "blockpriv"))
		return;
	const char *o = pk_arena_printf(c->a, PK_ORIGIN_GENERATED "Block private networks from %s", i->descr);
	cx_line(c, i->node, o, "block in%s quick on %s inet from {10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 127.0.0.0/8, "
		"100.64.0.0/10, 169.254.0.0/16} to any label \"Block private networks from %s\"", lpv, d, i->descr);
	if (v6)
		cx_line(c, i->node, o, "block in%s quick on %s inet6 from {fd00::/8, fe80::/10, ::1/128} to any label \"Block private networks from %s\"",
			lpv, d, i->descr);
}

/* The first of lan, wan, opt1... that is a real interface (get_primary_interface_from_list). */
static const struct cx_iface *primary(const struct cx *c)
{
	static const char *const order[] = {"lan", "wan"};
	for (size_t k = 0; k < 2; k++) {
		const struct cx_iface *i = cx_iface(c, order[k]);
		if (i && physical(i))
			return i;
	}
	for (uint32_t k = 0; k < c->nifs; k++)
		if (physical(&c->ifs[k]))
			return &c->ifs[k];
	return NULL;
}

static void write_antilockout(struct cx *c, const xmlNode *sys)
{
	const xmlNode *gui = cx_child(sys, "webgui"), *ssh = cx_child(sys, "ssh");
	const struct cx_iface *i = primary(c);
	if (!i || cx_flag(c, gui, "noantilockout"))
		return;
	const char *proto = text_or(c, gui, "protocol", "https");
	const char *ports[3] = {text_or(c, gui, "port", !strcmp(proto, "https") ? "443" : "80"), NULL, NULL};
	if (!strcmp(proto, "https") && !cx_flag(c, gui, "disablehttpredirect"))
		ports[1] = "80";
	if (cx_flag(c, ssh, "enabled"))
		ports[2] = text_or(c, ssh, "port", "22");
	for (size_t k = 0; k < 3; k++)
		if (ports[k])
			OPN(c, gui ? gui : sys, "anti-lockout rule",
			    "pass in%s quick on %s proto tcp from any to (self) port %s keep state label \"anti-lockout rule\"",
			    log_unless(c, "nologdefaultpass"), i->dev, ports[k]);
}

void cx_opnsense_generated_write(struct cx *c)
{
	const xmlNode *sys = cx_section(c, "system");
	bool v6 = cx_flag(c, sys, "ipv6allow");
	cx_line(c, NULL, NULL, "# Rules OPNsense generates");
	write_antispoof(c);
	write_prio1(c, sys);
	for (uint32_t k = 0; k < c->nifs; k++)
		if (physical(&c->ifs[k]))
			write_dhcp(c, &c->ifs[k], v6);
	for (uint32_t k = 0; k < c->nifs; k++)
		if (physical(&c->ifs[k]))
			write_prio5_iface(c, &c->ifs[k], v6);
	OPN(c, c->root, "let out anything from firewall host itself",
	    "pass out%s all keep state allow-opts label \"let out anything from firewall host itself\"",
	    log_unless(c, "nologdefaultpass"));
	write_antilockout(c, sys);
}
