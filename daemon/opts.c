/* daemon/opts.c: parsing picketd's command line. */
#include "daemon/opts.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char pk_opts_usage[] =
	"usage: picketd -f RULES.pkb [--bridge IF1,IF2] [--if NAME=HOSTIF ...] [-d]\n"
	"               [-p PIDFILE] [-s CONTROL-SOCKET] [-u USER] [-l LOG.pcap]\n"
	"               [--verdict-log FILE] [--state-file FILE] [--signed-by KEY.pub]\n"
	"       picketd --help | --version\n"
	"  -f FILE          compiled ruleset (picket compile); not writable by group or others\n"
	"  --bridge A,B     transparent filtering bridge between host interfaces A and B\n"
	"  --if NAME=HOST   the ruleset's interface NAME is host interface HOST (default: same name)\n"
	"  -d               stay in the foreground, log to stderr\n"
	"  -p FILE          write the process id to FILE\n"
	"  -s PATH          control socket (default " PK_DEFAULT_CTL ")\n"
	"  -u USER          run as USER once the sockets are open (default " PK_DEFAULT_USER ")\n"
	"  -l FILE          pcap file (raw IP) receiving packets of `log` rules\n"
	"  --verdict-log F  one line per IP packet received: time, interface, final verdict\n"
	"  --state-file F   save the states to F at stop, restore them from F at start\n"
	"                   (same ruleset only); USER must be able to write F's directory\n"
	"  --signed-by KEY  load only rulesets signed with the key of KEY.pub (picket compile --sign)\n";

static int set_bridge(struct pk_opts *o, char *arg, struct pk_err *err)
{
	char *comma = strchr(arg, ',');

	if (!comma || comma == arg || !comma[1] || strchr(comma + 1, ','))
		return pk_err_set(err, "--bridge '%s': expected two interfaces, as in --bridge eth0,eth1", arg);
	*comma = '\0';
	if (!strcmp(arg, comma + 1))
		return pk_err_set(err, "--bridge: the two interfaces must differ (both are '%s')", arg);
	o->bridge[0] = arg;
	o->bridge[1] = comma + 1;
	return 0;
}

static int add_ifmap(struct pk_opts *o, char *arg, struct pk_err *err)
{
	char *eq = strchr(arg, '=');

	if (!eq || eq == arg || !eq[1])
		return pk_err_set(err, "--if '%s': expected NAME=HOSTIF, as in --if lan0=veth1", arg);
	if (o->nifmap == PK_MAX_PORTS)
		return pk_err_set(err, "--if: at most %d interfaces", PK_MAX_PORTS);
	*eq = '\0';
	for (unsigned i = 0; i < o->nifmap; i++)
		if (!strcmp(o->ifmap[i].rs_name, arg))
			return pk_err_set(err, "--if: interface '%s' is mapped twice", arg);
	o->ifmap[o->nifmap].rs_name = arg;
	o->ifmap[o->nifmap++].host_name = eq + 1;
	return 0;
}

enum { OPT_BRIDGE = 256, OPT_IF, OPT_VERDICTS, OPT_STATES, OPT_SIGNED_BY };

int pk_opts_parse(int argc, char **argv, struct pk_opts *o, struct pk_err *err)
{
	static const struct option longopts[] = {
		{"bridge", required_argument, NULL, OPT_BRIDGE},
		{"if", required_argument, NULL, OPT_IF},
		{"verdict-log", required_argument, NULL, OPT_VERDICTS},
		{"state-file", required_argument, NULL, OPT_STATES},
		{"signed-by", required_argument, NULL, OPT_SIGNED_BY},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->ctl_path = PK_DEFAULT_CTL;
	o->user = PK_DEFAULT_USER;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:dp:s:u:l:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': o->pkb = optarg; break;
		case 'd': o->foreground = true; break;
		case 'p': o->pidfile = optarg; break;
		case 's': o->ctl_path = optarg; break;
		case 'u': o->user = optarg; break;
		case 'l': o->logfile = optarg; break;
		case OPT_VERDICTS: o->verdict_log = optarg; break;
		case OPT_STATES: o->state_file = optarg; break;
		case OPT_SIGNED_BY: o->signed_by = optarg; break;
		case 'h': return PK_OPTS_HELP;
		case 'V': return PK_OPTS_VERSION;
		case OPT_BRIDGE:
			if (set_bridge(o, optarg, err) < 0)
				return -1;
			break;
		case OPT_IF:
			if (add_ifmap(o, optarg, err) < 0)
				return -1;
			break;
		case ':':
			return pk_err_set(err, "option '%s' needs an argument", argv[optind - 1]);
		default:
			return pk_err_set(err, "unknown option '%s'; picketd --help lists them", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return pk_err_set(err, "unexpected argument '%s'; the ruleset is given with -f", argv[optind]);
	if (!o->pkb)
		return pk_err_set(err, "no ruleset: give the compiled ruleset with -f RULES.pkb");
	return PK_OPTS_RUN;
}

int pk_opts_absolute(struct pk_opts *o, struct pk_err *err)
{
	const char **path[PK_OPTS_NPATHS] = {&o->pkb, &o->pidfile, &o->ctl_path, &o->logfile, &o->verdict_log,
					     &o->state_file};
	char cwd[PATH_MAX];
	bool have_cwd = false;

	for (unsigned i = 0; i < PK_OPTS_NPATHS; i++) {
		if (!*path[i] || (*path[i])[0] == '/')
			continue;
		if (!have_cwd && !getcwd(cwd, sizeof(cwd)))
			return pk_err_set(err, "%s: cannot name the current directory: %s", *path[i], strerror(errno));
		have_cwd = true;
		if ((size_t)snprintf(o->abs[i], sizeof(o->abs[i]), "%s/%s", cwd, *path[i]) >= sizeof(o->abs[i]))
			return pk_err_set(err, "%s/%s: path too long", cwd, *path[i]);
		*path[i] = o->abs[i];
	}
	return 0;
}

const char *pk_opts_host_name(const struct pk_opts *o, const char *rs_name)
{
	for (unsigned i = 0; i < o->nifmap; i++)
		if (!strcmp(o->ifmap[i].rs_name, rs_name))
			return o->ifmap[i].host_name;
	return rs_name;
}
