#!/bin/sh
# Shell completion: both scripts know every command picket has, bash's
# offers only options each command's --help names, and it completes what
# a user types (commands, options, --format values, lint's checks).
set -u
. "$(dirname "$0")/../support/e2e.sh"
bashc=$root/contrib/completion/picket.bash zshc=$root/contrib/completion/_picket
command -v zsh >/dev/null || { echo "zsh is not installed (scripts/install-deps)"; exit 77; }

cmds=$("$picket" --help | sed -n '/^commands:/,/^$/p' | awk 'NF>1 {print $1}')
for c in $cmds; do
	grep -q "commands=\"[^\"]*\b$c\b" "$bashc" || fail "bash completion lacks the command $c"
	grep -q "'$c:" "$zshc" || fail "zsh completion lacks the command $c"
done
echo "ok: both scripts list the $(echo "$cmds" | wc -w) commands"

for c in $cmds; do
	help=$("$picket" "$c" --help 2>&1)
	for o in $(bash -c ". '$bashc'; _picket_options $c"); do
		[ "$o" = --help ] && continue
		echo "$help" | grep -q -- "$o\b" || fail "bash completion offers $o, which 'picket $c --help' does not name"
	done
done
echo "ok: every option offered is one the command's help names"

complete_bash() { # complete_bash WORD... : what bash offers for the last word
	PATH=$(dirname "$picket"):$PATH bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _picket;
		printf "%s\n" "${COMPREPLY[@]}"' sh "$bashc" "$@"
}
[ "$(complete_bash picket li)" = lint ] && echo "ok: 'picket li' completes to lint" || fail "command completion"
[ "$(complete_bash picket lint --format "" | tr '\n' ' ')" = "text json sarif html " ] &&
	echo "ok: lint --format values" || fail "lint --format values: $(complete_bash picket lint --format "")"
complete_bash picket replay --re | grep -qx -- --report && echo "ok: replay options" || fail "replay --re"
complete_bash picket lint --enable shad | grep -qx shadowed && echo "ok: lint check names from lint --list" ||
	fail "lint --enable names"
zsh -n "$zshc" && echo "ok: the zsh script parses" || fail "zsh script syntax"
exit $((fails > 0))
