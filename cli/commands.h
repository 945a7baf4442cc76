/*
 * cli/commands.h: the table of picket's subcommands.
 *
 * X(name, one-line summary). Each command is `int pk_cmd_NAME(int argc,
 * char **argv)` in cli/cmd_NAME.c, with argv[0] the command name; it
 * returns the exit status (0 clean, 1 findings, 2 usage or input error).
 * An underscore in NAME is typed as a dash: kill_states is `kill-states`.
 */
#ifndef PK_CLI_COMMANDS_H
#define PK_CLI_COMMANDS_H

#define PK_COMMANDS(X)                                                                  \
	X(check, "parse and resolve rule files (or verify a .pkb); report errors")           \
	X(print, "print the resolved ruleset, one rule per line")                             \
	X(lint, "find shadowed, redundant and risky rules, with evidence (text, JSON, SARIF)") \
	X(diff, "are two rulesets equivalent? else packets whose verdict changes")           \
	X(explain, "how the ruleset treats one packet, rule by rule")                         \
	X(query, "can any packet of a shape pass? a witness, or the rules that stop it")     \
	X(test, "policy tests: expectations proved over whole packet shapes (CI)")          \
	X(compile, "compile a rule file into verified bytecode (.pkb)")                       \
	X(keygen, "an Ed25519 key pair for signed rulesets (compile --sign, picketd --signed-by)") \
	X(import, "print the pf rules a pfSense or OPNsense config.xml becomes")               \
	X(dump, "disassemble a .pkb: header, options, tables, rules, program")                \
	X(replay, "predict the verdict of every packet of a capture (pcap, pcapng)")          \
	X(states, "list picketd's states (pfctl -ss)")                                        \
	X(stats, "show picketd's counters (pfctl -si)")                                       \
	X(rules, "show picketd's rules with counters (pfctl -vsr)")                           \
	X(tables, "show picketd's tables and the hosts overload added")                     \
	X(kill_states, "remove picketd's states between hosts")                               \
	X(reload, "make picketd re-read and swap in its ruleset")                           \
	X(confirm, "keep the ruleset of picketd's pending 'reload --confirm'")

#define PK_CMD_DECL(name, summary) int pk_cmd_##name(int argc, char **argv);
PK_COMMANDS(PK_CMD_DECL)
#undef PK_CMD_DECL

#endif
