# bash completion for picket(1): commands, each command's options, the
# values of --format, --color and --fail-on, lint's check names, and file
# names elsewhere. Installed as share/bash-completion/completions/picket.

_picket_options() {
	case $1 in
	check) echo "--format --color --topology --root -D --help" ;;
	print) echo "-n -v --topology --root -D --help" ;;
	lint) echo "--format --output -o --fail-on --enable --disable --list --stats --topology --root -D --color --help" ;;
	diff) echo "--max --format --topology --root -D --color --help" ;;
	explain | query) echo "--format --topology --root -D --color --help" ;;
	compile) echo "-o --expect --sign --topology --root -D --help" ;;
	test) echo "--format --topology --root -D --color --help" ;;
	keygen) echo "--help" ;;
	import) echo "--color --help" ;;
	dump) echo "--raw --help" ;;
	replay) echo "--iface --format --summary --quiet -w --explain --report --threads --topology --root --help" ;;
	states | rules) echo "-s -v --format --help" ;;
	stats | tables) echo "-s --format --help" ;;
	reload) echo "-s --confirm --help" ;;
	kill-states | confirm) echo "-s --help" ;;
	esac
}

_picket() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local commands="check print lint diff explain query test compile keygen import dump replay states stats rules tables kill-states reload confirm"
	COMPREPLY=()
	if [ "$COMP_CWORD" -eq 1 ]; then
		mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$cur")
		return
	fi
	local cmd=${COMP_WORDS[1]} words=""
	case $prev in
	--format)
		case $cmd in
		lint) words="text json sarif html" ;;
		test) words="text json sarif" ;;
		replay) words="text jsonl csv" ;;
		*) words="text json" ;;
		esac ;;
	--color) words="auto always never" ;;
	--fail-on) words="error warning info never" ;;
	--enable | --disable) words=$(picket lint --list 2>/dev/null | cut -d' ' -f1) ;;
	--iface | --explain | --max | --threads | --confirm | -D) return ;;
	--topology | --root | --report | --expect | --sign | --output | -o | -w | -s)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return ;;
	esac
	if [ -z "$words" ] && [ "${cur#-}" != "$cur" ]; then
		words=$(_picket_options "$cmd")
	fi
	if [ -n "$words" ]; then
		mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
	else
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	fi
}
complete -o filenames -F _picket picket
