/*
 * verify/lint_ids.h: the one table of lint findings.
 *
 * X(ENUM, "id", severity, on by default, "short description", "help").
 * The linter, --enable/--disable, the SARIF rules array and the man page's
 * list all read this table.
 */
#ifndef PK_VERIFY_LINT_IDS_H
#define PK_VERIFY_LINT_IDS_H

#define PK_LINT_IDS(X)                                                                                   \
	X(SHADOWED, "shadowed", PK_SEV_ERROR, 1, "Rule decides no packet",                                 \
	  "Every packet the rule matches is decided by other rules first (an earlier quick rule) or "      \
	  "last (a later rule, since the last match wins). The rule never takes effect. A block that "    \
	  "can meet a SYN is judged on connection-opening packets: pass rules keep state with flags "     \
	  "S/SA by default, so a block whose SYNs a pass takes stops no new connection. The related "    \
	  "locations are the deciding rules, largest overlap first, with a rule of another action "      \
	  "whenever one takes some of its packets. When the first has another action (an error) the "    \
	  "rule's intent is lost: move it above them or make it quick. When it has the same action (a " \
	  "warning) the rule has no effect, or, where the deciding rule's translation, route, queue, "     \
	  "tag, logging or state options differ, the rule's own never take effect.")                       \
	X(UNMATCHABLE, "unmatchable", PK_SEV_ERROR, 1, "Rule matches no packet",                           \
	  "The rule's own conditions contradict each other (an empty table, addresses of two families, " \
	  "ports on a protocol without ports, an interface under set skip): no packet can match it, "     \
	  "whatever the other rules say.")                                                                 \
	X(OVERRIDDEN, "overridden", PK_SEV_WARNING, 1, "Block overridden by later pass rules",           \
	  "The block is not quick, and later pass rules match some of its packets: since the last "       \
	  "match wins, those packets pass (a spoofed source past antispoof, a bogon past its block). "     \
	  "The related locations are the overriding rules; the witness is one packet that passes. Make "  \
	  "the block quick, or move it below them. A catch-all block (block all, block in on IF) is "     \
	  "there to be overridden and is not reported.")                                                   \
	X(REDUNDANT, "redundant", PK_SEV_WARNING, 1, "Rule can be removed without changing any verdict",   \
	  "Removing the rule leaves every packet handled the same way (same action, state, logging and "  \
	  "options), because the related rules, or pf's default pass, already decide its packets alike.") \
	X(PARTIALLY_SHADOWED, "partially-shadowed", PK_SEV_INFO, 0, "Rule loses some packets to another " \
	  "action",                                                                                        \
	  "Some packets the rule matches are decided by a rule with a different action. The witness is "  \
	  "one such packet. Often intended (an exception carved out of a broader rule); opt in with "     \
	  "--enable partially-shadowed.")                                                                  \
	X(CORRELATED, "correlated", PK_SEV_INFO, 0, "Rules with different actions partly overlap",         \
	  "Two rules with different actions match some packets in common, and neither contains the "      \
	  "other: their order decides those packets. The witness is a packet both match. Opt in with "     \
	  "--enable correlated.")                                                                          \
	X(REJECT_ON_WAN, "reject-on-wan", PK_SEV_WARNING, 1, "block return on a WAN interface",            \
	  "On an interface facing the Internet (one with a gateway route) best practice is to drop "       \
	  "silently: answering with RST or ICMP unreachable tells scanners a host is there and spends "   \
	  "bandwidth on hostile traffic. Use plain block (drop) there. Out rules are not judged: their "   \
	  "answer goes to the sender, on another interface.")                                   \
	X(BLOCK_ON_INTERNAL, "block-on-internal", PK_SEV_INFO, 1, "Silent block on an internal interface", \
	  "On an internal interface, a silent drop leaves clients waiting for a timeout; block return "    \
	  "(reject) answers at once so applications fail fast. Out rules are not judged: the packets "     \
	  "they stop come from another interface.")                                           \
	X(REJECT_NON_TCP_UDP, "reject-non-tcp-udp", PK_SEV_WARNING, 1, "Reject on a protocol that cannot " \
	  "be rejected",                                                                                   \
	  "block return answers TCP with RST and UDP with ICMP port unreachable; for other protocols "     \
	  "(ICMP, GRE, ESP, ...) pf drops silently, so the rule does not do what it says. Use "            \
	  "return-icmp to answer those, or plain block.")                                                  \
	X(SYNPROXY_NON_TCP, "synproxy-non-tcp", PK_SEV_ERROR, 1, "synproxy state on a non-TCP rule",       \
	  "synproxy completes the TCP handshake on behalf of the server; it means nothing for another "   \
	  "protocol. Use keep state.")                                                                     \
	X(SLOPPY_STATE, "sloppy-state", PK_SEV_INFO, 1, "sloppy state weakens TCP tracking",               \
	  "sloppy state skips TCP sequence-window checks. It lets connections survive asymmetric routing " \
	  "(the firewall sees one direction only), at the cost of accepting forged or out-of-window "     \
	  "segments that keep state would drop. Keep it to rules that need it.")                           \
	X(SOCKET_OWNER, "socket-owner", PK_SEV_INFO, 1, "user or group: what picket assumes",              \
	  "pf matches user and group against the socket of the firewall that sends or receives a TCP or "  \
	  "UDP packet, and ignores them for other protocols. A forwarded packet has no socket there: its "  \
	  "owner is unknown, which only `user unknown` and `user != NAME` match, exactly as in pf. The "    \
	  "owner of the firewall's own packets shows in no ruleset or capture: picket assumes it is none "  \
	  "of the users and groups the rules name, so `user NAME` and comparisons do not match them and "   \
	  "`!=` does. No finding rests on that assumption: a rule with user or group is never reported "    \
	  "shadowed, redundant or unmatchable, and is not counted as taking other rules' packets.")        \
	X(NO_STATE_TCP, "no-state-tcp", PK_SEV_WARNING, 1, "Stateless TCP pass whose replies are blocked", \
	  "The rule passes TCP without creating state, so the replies are filtered by the rules on their " \
	  "own, and no rule passes them: the connection cannot complete. Keep state, or pass the replies.") \
	X(IMPLICIT_PASS, "implicit-pass", PK_SEV_WARNING, 1, "Some packets pass by default",               \
	  "Some packets match no pass or block rule and pass because pf passes what no rule decides. The " \
	  "witness is one. Start the ruleset with `block all` (or `block in all`) and pass what is "      \
	  "wanted.")                                                                                       \
	X(EGRESS_BLOCKED, "egress-blocked", PK_SEV_WARNING, 1, "Traffic passed in can never leave",        \
	  "The rule passes packets in, but the out rules of the interface the topology routes them to "    \
	  "block every one of them, so the pass rule cannot take effect. The witness is a packet "         \
	  "passed in and blocked on its way out.")                                                         \
	X(EXPOSURE, "exposure", PK_SEV_WARNING, 1, "Service reachable from the Internet",                  \
	  "Any source on a WAN-type interface (one with a gateway or default route, in the egress "      \
	  "group, or declared in a group wan) can open connections to this port, on the firewall itself or forwarded. A warning for "  \
	  "what is rarely meant to be public: remote administration (ssh, telnet, rdp, vnc, winbox, "      \
	  "webmin, the firewall's own web interface), databases, file sharing, and snmp, ldap, or dns "    \
	  "and ntp on the firewall; info for the rest. Restrict the source (a table of admin addresses) " \
	  "or close the port; suppress it inline when the service is public on purpose.")                  \
	X(OVERLOAD_UNREAD, "overload-unread", PK_SEV_WARNING, 1, "Overload table that no rule reads",     \
	  "max-src-conn and max-src-conn-rate refuse the connection over the limit; `overload <table>` "   \
	  "then adds its source to the table so that a rule such as `block quick from <table>` stops "    \
	  "the source's next connections. No rule reads this table: the source is added and its next "    \
	  "connections pass as before (flush still kills its states). Add the block rule, or correct "    \
	  "the table's name. A rule in an anchor that is not given to picket is not seen.")               \
	X(ADAPTIVE_ORDER, "adaptive-order", PK_SEV_WARNING, 1, "adaptive.end is not above adaptive.start", \
	  "Adaptive timeouts scale down linearly as the state count goes from adaptive.start to "          \
	  "adaptive.end; with end at or below start the scaling is undefined. Set adaptive.end above "     \
	  "adaptive.start.")                                                                               \
	X(STATES_MEMORY, "states-memory", PK_SEV_WARNING, 1, "States limit exceeds memory",                \
	  "Each state takes about 1 KB of memory; a states limit whose states would not fit in the "       \
	  "machine's memory lets the firewall run out of memory under load instead of refusing new "     \
	  "states. Lower set limit states.")                                                               \
	X(TIMEOUT_ORDER, "timeout-order", PK_SEV_WARNING, 1, "Timeouts out of order",                      \
	  "A state timeout for a later stage of a connection is shorter than the one it should outlast " \
	  "(for example tcp.established below tcp.first): states expire in an unexpected order.")

enum pk_lint_id {
#define PK_LINT_ENUM(e, id, sev, on, shortd, help) PK_LINT_##e,
	PK_LINT_IDS(PK_LINT_ENUM)
#undef PK_LINT_ENUM
	PK_LINT_COUNT
};

#endif
