# tests/support/e2e.sh: the start every end-to-end script shares, sourced
# after `set -u`: root (the tree), picket (the program), a temporary
# directory removed on exit, and fail() counting failures in $fails.
root=$(cd "$(dirname "$0")/../.." && pwd)
picket=$root/build/picket
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
