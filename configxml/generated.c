/*
 * configxml/generated.c: the rules pfSense writes itself around the
 * user's (filter_rules_generate, reference §5 item 8), in rules.debug's
 * order: default deny, link-local, port 0, sshguard and virusprot,
 * per-interface DHCP, bogon, antispoof and private-network rules, loopback,
 * "let out anything from firewall host itself", anti-lockout. Each line is
 * located at the element that asks for it and named "generated: ...".
 */
#include <string.h>

#include "configxml/cx.h"

#define GEN(c, at, name, ...) cx_line((c), (at), PK_ORIGIN_GENERATED name, __VA_ARGS__)

static const char *log_unless(const struct cx *c, const char *nolog)
{
	return cx_flag(c, cx_section(c, "syslog"), nolog) ? "" : " log";
}

/* filter.inc logs the default passes when syslog/nologdefaultpass is set:
 * the element's name says the opposite of what it does */
static const char *log_if(const struct cx *c, const char *tag)
{
	return cx_flag(c, cx_section(c, "syslog"), tag) ? " log" : "";
}

static void write_ipv6_block(struct cx *c, const xmlNode *sys)
{
	const char *lg = log_unless(c, "nologdefaultblock");
	if (cx_flag(c, sys, "ipv6allow")) {
		GEN(c, sys, "ICMPv6 operation", "pass quick inet6 proto ipv6-icmp from any to any icmp6-type {1,2,135,136} keep state label \"ICMPv6 operation\"");
		static const char *const nd[] = {
			"out quick inet6 proto ipv6-icmp from fe80::/10 to fe80::/10 icmp6-type {129,133,134,135,136}",
			"out quick inet6 proto ipv6-icmp from fe80::/10 to ff02::/16 icmp6-type {129,133,134,135,136}",
			"in quick inet6 proto ipv6-icmp from fe80::/10 to fe80::/10 icmp6-type {128,133,134,135,136}",
			"in quick inet6 proto ipv6-icmp from ff02::/16 to fe80::/10 icmp6-type {128,133,134,135,136}",
			"in quick inet6 proto ipv6-icmp from fe80::/10 to ff02::/16 icmp6-type {128,133,134,135,136}",
			"in quick inet6 proto ipv6-icmp from :: to ff02::/16 icmp6-type {128,133,134,135,136}",
		};
		for (size_t i = 0; i < sizeof(nd) / sizeof(*nd); i++)
			GEN(c, sys, "ICMPv6 operation", "pass %s keep state label \"ICMPv6 operation\"", nd[i]);
		return;
	}
	GEN(c, sys, "pass IPv6 loopback", "pass in quick on $loopback inet6 all label \"pass IPv6 loopback\"");
	GEN(c, sys, "pass IPv6 loopback", "pass out quick on $loopback inet6 all label \"pass IPv6 loopback\"");
	GEN(c, sys, "Block all IPv6", "block in%s quick inet6 all label \"Block all IPv6\"", lg);
	GEN(c, sys, "Block all IPv6", "block out%s quick inet6 all label \"Block all IPv6\"", lg);
}

static void write_defaults(struct cx *c, const xmlNode *sys)
{
	const char *lg = log_unless(c, "nologdefaultblock");
	if (!cx_flag(c, sys, "no_apipa_block")) {
		GEN(c, sys, "Block IPv4 link-local", "block in%s quick from 169.254.0.0/16 to any label \"Block IPv4 link-local\"", lg);
		GEN(c, sys, "Block IPv4 link-local", "block in%s quick from any to 169.254.0.0/16 label \"Block IPv4 link-local\"", lg);
	}
	/* not quick: a user's quick pass overrides them, as in pfSense */
	GEN(c, c->root, "Default deny rule IPv4", "block in%s inet all label \"Default deny rule IPv4\"", lg);
	GEN(c, c->root, "Default deny rule IPv4", "block out%s inet all label \"Default deny rule IPv4\"", lg);
	GEN(c, c->root, "Default deny rule IPv6", "block in%s inet6 all label \"Default deny rule IPv6\"", lg);
	GEN(c, c->root, "Default deny rule IPv6", "block out%s inet6 all label \"Default deny rule IPv6\"", lg);
	write_ipv6_block(c, sys);
	GEN(c, c->root, "Block traffic from port 0", "block%s quick inet proto { tcp, udp } from any port = 0 to any label \"Block traffic from port 0\"", lg);
	GEN(c, c->root, "Block traffic to port 0", "block%s quick inet proto { tcp, udp } from any to any port = 0 label \"Block traffic to port 0\"", lg);
	if (cx_flag(c, sys, "ipv6allow")) {
		GEN(c, sys, "Block traffic from port 0", "block%s quick inet6 proto { tcp, udp } from any port = 0 to any label \"Block traffic from port 0\"", lg);
		GEN(c, sys, "Block traffic to port 0", "block%s quick inet6 proto { tcp, udp } from any to any port = 0 label \"Block traffic to port 0\"", lg);
	}
	GEN(c, c->root, "Block snort2c hosts", "block%s quick from <snort2c> to any label \"Block snort2c hosts\"", lg);
	GEN(c, c->root, "Block snort2c hosts", "block%s quick from any to <snort2c> label \"Block snort2c hosts\"", lg);
}

static bool has_carp(struct cx *c)
{
	cx_each(v, cx_section(c, "virtualip"), "vip") {
		const char *m = cx_text(c, v, "mode");
		if (m && !strcmp(m, "carp"))
			return true;
	}
	return false;
}

static const char *text_or(struct cx *c, const xmlNode *n, const char *tag, const char *dflt)
{
	const char *v = cx_text(c, n, tag);
	return v && *v ? v : dflt;
}

static const char *gui_port(struct cx *c, const xmlNode *sys)
{
	const xmlNode *gui = cx_child(sys, "webgui");
	const char *proto = text_or(c, gui, "protocol", "https");
	return text_or(c, gui, "port", !strcmp(proto, "http") ? "80" : "443");
}

static void write_lockout(struct cx *c, const xmlNode *sys)
{
	const char *lg = log_unless(c, "nologdefaultblock");
	if (has_carp(c)) {
		GEN(c, cx_section(c, "virtualip"), "CARP", "block in%s quick proto carp from (self) to any", lg);
		GEN(c, cx_section(c, "virtualip"), "CARP", "pass quick proto carp no state");
	}
	const char *ssh = text_or(c, cx_child(sys, "ssh"), "port", "22");
	GEN(c, sys, "sshguard", "block in%s quick proto tcp from <sshguard> to (self) port %s label \"sshguard\"", lg, ssh);
	GEN(c, sys, "GUI Lockout", "block in%s quick proto tcp from <sshguard> to (self) port %s label \"GUI Lockout\"", lg, gui_port(c, sys));
	GEN(c, sys, "virusprot overload table", "block in%s quick from <virusprot> to any ridentifier 1000000400 label \"virusprot overload table\"", lg);
}

static bool dhcp_server(struct cx *c, const struct cx_iface *i)
{
	return cx_flag(c, cx_child(cx_section(c, "dhcpd"), i->key), "enable");
}

static void write_dhcp(struct cx *c, const struct cx_iface *i)
{
	const xmlNode *n = i->node;
	const char *m = i->macro, *lp = log_if(c, "nologdefaultpass");
	if (i->dyn4 && !strcmp(i->dyn4, "dhcp") && !c->dhcp_tagged) {
		const char *o = pk_arena_printf(c->a, PK_ORIGIN_GENERATED "allow dhcp client out %s", m);
		cx_line(c, n, o, "pass in%s quick on $%s proto udp from any port = 67 to any port = 68 keep state label \"allow dhcp client out %s\"", lp, m, m);
		cx_line(c, n, o, "pass out%s quick on $%s proto udp from any port = 68 to any port = 67 keep state label \"allow dhcp client out %s\"", lp, m, m);
	} else if (i->dyn4 && !strcmp(i->dyn4, "dhcp")) {
		cx_line(c, n, pk_arena_printf(c->a, PK_ORIGIN_GENERATED "allow dhcp replies in %s", m),
			"pass in%s quick on $%s proto udp from any port = 67 to any port = 68 tag \"dhcpin\" no state label \"allow dhcp replies in %s\"", lp, m, m);
		cx_line(c, n, pk_arena_printf(c->a, PK_ORIGIN_GENERATED "allow dhcp client out %s", m),
			"pass out%s quick on $%s proto udp from any port = 68 to any port = 67 no state label \"allow dhcp client out %s\"", lp, m, m);
	}
	if (i->dyn6 && (!strcmp(i->dyn6, "dhcp6") || !strcmp(i->dyn6, "slaac"))) {
		const char *o = pk_arena_printf(c->a, PK_ORIGIN_GENERATED "allow dhcpv6 client %s", m);
		cx_line(c, n, o, "pass in%s quick on $%s proto udp from fe80::/10 port = 546 to fe80::/10 port = 546 label \"allow dhcpv6 client in %s\"", lp, m, m);
		cx_line(c, n, o, "pass in%s quick on $%s proto udp from any port = 547 to any port = 546 label \"allow dhcpv6 client in %s\"", lp, m, m);
		cx_line(c, n, o, "pass out%s quick on $%s proto udp from any port = 546 to any port = 547 label \"allow dhcpv6 client out %s\"", lp, m, m);
	}
}

static void write_bogons(struct cx *c, const struct cx_iface *i)
{
	const char *lg = log_unless(c, "nologbogons"), *m = i->macro;
	const char *o = pk_arena_printf(c->a, PK_ORIGIN_GENERATED "block bogon networks from %s", m);
	const xmlNode *at = cx_child(i->node, "blockbogons");
	cx_line(c, at, o, "block in%s quick on $%s from <bogons> to any label \"block bogon IPv4 networks from %s\"", lg, m, m);
	if (cx_flag(c, cx_section(c, "system"), "ipv6allow"))
		cx_line(c, at, o, "block in%s quick on $%s from <bogonsv6> to any label \"block bogon IPv6 networks from %s\"", lg, m, m);
}

static void write_private(struct cx *c, const struct cx_iface *i)
{
	static const char *const nets[][2] = {
		{"10.0.0.0/8", "10/8"}, {"127.0.0.0/8", "127/8"}, {"172.16.0.0/12", "172.16/12"},
		{"192.168.0.0/16", "192.168/16"}, {"fc00::/7", "fc00::/7"},
	};
	const char *lg = log_unless(c, "nologprivatenets"), *m = i->macro;
	const char *o = pk_arena_printf(c->a, PK_ORIGIN_GENERATED "Block private networks from %s", m);
	for (size_t k = 0; k < sizeof(nets) / sizeof(*nets); k++)
		cx_line(c, cx_child(i->node, "blockpriv"), o, "block in%s quick on $%s from %s to any label \"Block private networks from %s block %s\"",
			lg, m, nets[k][0], m, nets[k][1]);
}

static void write_server(struct cx *c, const struct cx_iface *i)
{
	const char *lp = log_if(c, "nologdefaultpass"), *m = i->macro;
	const xmlNode *at = cx_child(cx_section(c, "dhcpd"), i->key);
	const char *o = pk_arena_printf(c->a, PK_ORIGIN_GENERATED "allow access to DHCP server on %s", m);
	cx_line(c, at, o, "pass in%s quick on $%s proto udp from any port = 68 to 255.255.255.255 port = 67 label \"allow access to DHCP server\"", lp, m);
	if (!i->ip4)
		return;
	cx_line(c, at, o, "pass in%s quick on $%s proto udp from any port = 68 to %s port = 67 label \"allow access to DHCP server\"", lp, m, i->ip4);
	cx_line(c, at, o, "pass out%s quick on $%s proto udp from %s port = 67 to any port = 68 label \"allow access to DHCP server\"", lp, m, i->ip4);
}

static void write_iface(struct cx *c, const struct cx_iface *i)
{
	write_dhcp(c, i);
	if (i->blockbogons)
		write_bogons(c, i);
	/* antispoof needs the interface's address; bridged members have none.
	 * A --topology file gives a DHCP interface the address it had. */
	if (i->ip4 || i->ip6 || c->topology)
		cx_line(c, i->node, pk_arena_printf(c->a, PK_ORIGIN_GENERATED "antispoof for %s", i->macro), "antispoof%s for $%s",
			log_unless(c, "nologdefaultblock"), i->macro);
	else
		cx_note(c, i->node, "antispoof for %s is left out: the address it protects is assigned at run time", i->macro);
	if (i->blockpriv)
		write_private(c, i);
	bool dynamic = i->dyn4 && (!strcmp(i->dyn4, "dhcp") || !strcmp(i->dyn4, "pppoe"));
	if (!dynamic && dhcp_server(c, i))
		write_server(c, i);
}

static void write_let_out(struct cx *c)
{
	const char *lp = log_if(c, "nologdefaultpass");
	GEN(c, c->root, "pass IPv4 loopback", "pass in%s on $loopback inet all label \"pass IPv4 loopback\"", lp);
	GEN(c, c->root, "pass IPv4 loopback", "pass out%s on $loopback inet all label \"pass IPv4 loopback\"", lp);
	/* with or without <ipv6allow>: filter.inc writes the pair here too */
	GEN(c, c->root, "pass IPv6 loopback", "pass in%s on $loopback inet6 all label \"pass IPv6 loopback\"", lp);
	GEN(c, c->root, "pass IPv6 loopback", "pass out%s on $loopback inet6 all label \"pass IPv6 loopback\"", lp);
	GEN(c, c->root, "let out anything IPv4 from firewall host itself",
	    "pass out%s inet all keep state allow-opts label \"let out anything IPv4 from firewall host itself\"", lp);
	GEN(c, c->root, "let out anything IPv6 from firewall host itself",
	    "pass out%s inet6 all keep state allow-opts label \"let out anything IPv6 from firewall host itself\"", lp);
	for (uint32_t k = 0; k < c->nifs; k++) {
		const struct cx_iface *i = &c->ifs[k];
		if (!i->enabled || !i->wanlike || !i->ip4 || !i->gw4)
			continue;
		cx_line(c, i->node, PK_ORIGIN_GENERATED "let out anything from firewall host itself",
			"pass out%s route-to ( %s %s ) from %s to ! %s/%u keep state allow-opts label \"let out anything from firewall host itself\"",
			lp, i->dev, i->gw4, i->ip4, i->ip4, i->bits4);
	}
}

/* The GUI's own interface: LAN, or WAN when it is the only one. */
static const struct cx_iface *lockout_iface(const struct cx *c)
{
	const struct cx_iface *lan = cx_iface(c, "lan");
	if (lan && lan->enabled)
		return lan;
	const struct cx_iface *wan = cx_iface(c, "wan");
	return c->nifs == 1 && wan && wan->enabled ? wan : NULL;
}

static void write_antilockout(struct cx *c, const xmlNode *sys)
{
	const xmlNode *gui = cx_child(sys, "webgui");
	const struct cx_iface *i = lockout_iface(c);
	if (!i || cx_flag(c, gui, "noantilockout"))
		return;
	const char *ports = gui_port(c, sys);
	const char *proto = text_or(c, gui, "protocol", "https");
	if (!strcmp(proto, "https") && !cx_flag(c, gui, "disablehttpredirect") && strcmp(ports, "80"))
		ports = pk_arena_printf(c->a, "%s 80", ports);
	const xmlNode *ssh = cx_child(sys, "ssh");
	if (cx_flag(c, ssh, "enable") || cx_flag(c, ssh, "enabled"))
		ports = pk_arena_printf(c->a, "%s %s", ports, text_or(c, ssh, "port", "22"));
	cx_line(c, gui ? gui : sys, PK_ORIGIN_GENERATED "anti-lockout rule",
		"pass in%s quick on %s proto tcp from any to (%s) port { %s } ridentifier 10001 keep state label \"anti-lockout rule\"",
		log_if(c, "nologdefaultpass"), i->dev, i->dev, ports);
}

void cx_generated_write(struct cx *c)
{
	const xmlNode *sys = cx_section(c, "system");
	cx_line(c, NULL, NULL, "# Rules pfSense generates");
	cx_line(c, c->root, NULL, "anchor \"openvpn/*\"");
	cx_line(c, c->root, NULL, "anchor \"ipsec/*\"");
	write_defaults(c, sys);
	write_lockout(c, sys);
	for (uint32_t k = 0; k < c->nifs; k++)
		if (c->ifs[k].enabled)
			write_iface(c, &c->ifs[k]);
	write_let_out(c);
	write_antilockout(c, sys);
	cx_line(c, c->root, NULL, "anchor \"userrules/*\"");
}

/* The interface a static route's gateway is on. */
static const struct cx_iface *route_iface(struct cx *c, const char *gw)
{
	cx_each(g, cx_section(c, "gateways"), "gateway_item") {
		const char *n = cx_text(c, g, "name");
		if (gw && n && !strcmp(n, gw))
			return cx_iface(c, cx_text(c, g, "interface"));
	}
	return NULL;
}

/* filter/bypassstaticroutes: traffic between an interface's subnet and the
 * networks routed through it passes, sloppy, whatever the user's rules. */
static void write_bypass(struct cx *c)
{
	if (!cx_flag(c, cx_section(c, "filter"), "bypassstaticroutes"))
		return;
	cx_each(r, cx_section(c, "staticroutes"), "route") {
		const char *net = cx_text(c, r, "network");
		const struct cx_iface *i = route_iface(c, cx_text(c, r, "gateway"));
		if (cx_flag(c, r, "disabled") || !net || !i || !i->enabled || !i->ip4 || strchr(net, ':'))
			continue;
		const char *o = PK_ORIGIN_GENERATED "pass traffic between statically routed subnets";
		const char *lp = log_if(c, "nologdefaultpass"), *m = i->macro;
		const char *sa = pk_arena_printf(c->a, "%s/%u", i->ip4, i->bits4);
		const char *ends[][2] = {{sa, net}, {net, sa}};
		for (unsigned k = 0; k < 2; k++) {
			cx_line(c, r, o, "pass%s quick on $%s proto tcp from %s to %s flags any keep state ( sloppy ) label \"pass traffic between statically routed subnets\"",
				lp, m, ends[k][0], ends[k][1]);
			cx_line(c, r, o, "pass%s quick on $%s from %s to %s keep state ( sloppy ) label \"pass traffic between statically routed subnets\"",
				lp, m, ends[k][0], ends[k][1]);
		}
	}
}

void cx_generated_after_user(struct cx *c)
{
	write_bypass(c);
	cx_line(c, c->root, NULL, "anchor \"tftp-proxy/*\"");
}
