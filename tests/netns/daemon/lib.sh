# tests/netns/daemon/lib.sh: the reference topology of the synproxy/FreeNAS
# story in three network namespaces, real servers, and picketd between them.
#
#   client (192.168.1.10) --- lan0 [picketd, 192.168.1.1 | 10.0.10.1] opt1 --- freenas (10.0.10.5)
#
# The firewall namespace has no kernel addresses and kernel forwarding off:
# picketd is the router. Sourced by tests/netns/picketd_*.sh and
# bench/picketd-bench; everything it creates is removed by pk_cleanup (trap).
# Every wait is bounded.

PK_ROOT=${PK_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
PICKET=$PK_ROOT/build/picket
PICKETD=${PICKETD:-$PK_ROOT/build/picketd}
SUF=$$
NS_C=pkc$SUF
NS_F=pkf$SUF
NS_S=pks$SUF
CLIENT=192.168.1.10
NAS=10.0.10.5
WORK=

skip() {
	echo "SKIP: $*"
	exit 77
}

pk_require() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, AF_PACKET); run as root"
	for t in ip ethtool sshd ssh ssh-keygen curl openssl timeout "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip "needs $t (scripts/install-deps installs it)"
	done
	[ -x "$PICKETD" ] && [ -x "$PICKET" ] || skip "build/picket and build/picketd are not built (make)"
	ip netns add "pkprobe$SUF" 2>/dev/null || skip "cannot create network namespaces here"
	ip netns del "pkprobe$SUF"
}

pk_cleanup() {
	for f in "$WORK"/*.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	for ns in $NS_C $NS_F $NS_S; do
		# Processes still inside a namespace go with it.
		pids=$(ip netns pids "$ns" 2>/dev/null)
		[ -n "$pids" ] && kill $pids 2>/dev/null
	done
	sleep 0.2
	for ns in $NS_C $NS_F $NS_S; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		[ -n "$pids" ] && kill -9 $pids 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "$WORK" ] && rm -rf "$WORK"
}

fail() {
	echo "FAIL: $*"
	[ -f "$WORK/picketd.log" ] && { echo "--- picketd log"; tail -n 30 "$WORK/picketd.log"; }
	exit 1
}

inc() { ip netns exec "$NS_C" "$@"; }
inf() { ip netns exec "$NS_F" "$@"; }
ins() { ip netns exec "$NS_S" "$@"; }

# Offloads off on the hosts' sides: picketd forwards frames as they are
# (no segmentation of GSO packets).
no_offload() {
	ip netns exec "$1" ethtool -K "$2" tx off tso off gso off gro off >/dev/null 2>&1 || true
}

# The namespaces and links. With kernel=1 the firewall namespace gets the
# addresses and forwards in the kernel (the bench's reference); with
# kernel=bridge client and FreeNAS share 10.0.10.0/24 across picketd's bridge.
pk_topology() {
	kernel=${1:-0}
	WORK=$(mktemp -d /tmp/picketd-test.XXXXXX)
	chmod 755 "$WORK" # picketd re-reads the ruleset here after dropping to nobody
	trap pk_cleanup EXIT
	trap 'exit 1' INT TERM
	for ns in $NS_C $NS_F $NS_S; do
		ip netns add "$ns" || fail "ip netns add $ns"
		ip -n "$ns" link set lo up
		# IPv4 only: picketd does not route IPv6 (no neighbour discovery).
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	done
	ip -n "$NS_F" link add lan0 type veth peer name eth0 netns "$NS_C" || fail "veth lan0"
	ip -n "$NS_F" link add opt1 type veth peer name eth0 netns "$NS_S" || fail "veth opt1"
	ip -n "$NS_C" addr add $CLIENT/24 dev eth0
	ip -n "$NS_S" addr add $NAS/24 dev eth0
	for ns in $NS_C $NS_S; do
		ip -n "$ns" link set eth0 up
		no_offload "$ns" eth0
	done
	ip -n "$NS_F" link set lan0 up
	ip -n "$NS_F" link set opt1 up
	no_offload "$NS_F" lan0
	no_offload "$NS_F" opt1
	if [ "$kernel" = bridge ]; then
		# One network across the bridge: the client moves into FreeNAS's subnet.
		ip -n "$NS_C" addr flush dev eth0
		CLIENT=10.0.10.10
		ip -n "$NS_C" addr add $CLIENT/24 dev eth0
		return
	fi
	ip -n "$NS_C" route add default via 192.168.1.1
	ip -n "$NS_S" route add default via 10.0.10.1
	if [ "$kernel" = 1 ]; then
		ip -n "$NS_F" addr add 192.168.1.1/24 dev lan0
		ip -n "$NS_F" addr add 10.0.10.1/24 dev opt1
		inf sysctl -qw net.ipv4.ip_forward=1
	else
		inf sysctl -qw net.ipv4.ip_forward=0
	fi
}

# Wait up to $1 seconds for command "$@" to succeed.
wait_for() {
	secs=$1
	shift
	i=0
	while [ $i -lt $((secs * 10)) ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# sshd (key authentication only), HTTP on 80 and 8080, HTTPS on 443.
pk_servers() {
	mkdir -p /run/sshd "$WORK/www"
	echo "hello from freenas" >"$WORK/www/index.html"
	ssh-keygen -q -t ed25519 -N '' -f "$WORK/host_key" || fail "ssh-keygen host"
	ssh-keygen -q -t ed25519 -N '' -f "$WORK/user_key" || fail "ssh-keygen user"
	cp "$WORK/user_key.pub" "$WORK/authorized_keys"
	cat >"$WORK/sshd_config" <<CFG
Port 22
ListenAddress $NAS
HostKey $WORK/host_key
AuthorizedKeysFile $WORK/authorized_keys
PidFile $WORK/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
LogLevel ERROR
CFG
	ins /usr/sbin/sshd -f "$WORK/sshd_config" -E "$WORK/sshd.log" || fail "sshd did not start"
	ins /usr/bin/python3 -m http.server 80 --bind $NAS --directory "$WORK/www" >"$WORK/http.log" 2>&1 &
	echo $! >"$WORK/http.pid"
	ins /usr/bin/python3 -m http.server 8080 --bind $NAS --directory "$WORK/www" >"$WORK/http8080.log" 2>&1 &
	echo $! >"$WORK/http8080.pid"
	openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=freenas -days 1 \
		-keyout "$WORK/tls.key" -out "$WORK/tls.crt" >/dev/null 2>&1 || fail "openssl req"
	ins openssl s_server -accept $NAS:443 -cert "$WORK/tls.crt" -key "$WORK/tls.key" -www -quiet \
		</dev/null >"$WORK/https.log" 2>&1 &
	echo $! >"$WORK/https.pid"
	wait_for 10 ins sh -c "ss -ltn | grep -q ':22 ' && ss -ltn | grep -q ':80 ' && ss -ltn | grep -q ':443 ' && ss -ltn | grep -q ':8080 '" ||
		fail "servers did not start listening"
}

# Compile rule file $1 (a test ruleset) to $WORK/rules.pkb, mode 0644.
pk_compile() {
	"$PICKET" compile "$1" -o "$WORK/rules.pkb" >"$WORK/compile.log" 2>&1 ||
		{ cat "$WORK/compile.log"; fail "picket compile $1"; }
	chmod 644 "$WORK/rules.pkb"
}

# Start picketd in the firewall namespace (foreground, logs in $WORK;
# PK_NOLOGS=1 leaves out the pcap and verdict logs, as the benchmark does).
pk_start() {
	logs="-l $WORK/log.pcap --verdict-log $WORK/verdicts.log"
	[ "${PK_NOLOGS:-0}" = 1 ] && logs=
	inf "$PICKETD" -f "$WORK/rules.pkb" -d -s "$WORK/ctl.sock" -p "$WORK/picketd.pid" \
		$logs "$@" >>"$WORK/picketd.log" 2>&1 &
	wait_for 10 test -S "$WORK/ctl.sock" || fail "picketd did not start"
	wait_for 5 test -s "$WORK/picketd.pid" || fail "picketd wrote no pid file"
}

# Stop picketd (SIGTERM) and wait until it and its reaper are gone: the pid
# file, the last thing the reaper removes before the locks, is gone then.
pk_stop() {
	pid=$(cat "$WORK/picketd.pid")
	kill -TERM "$pid" || fail "picketd (pid $pid) is not running"
	wait_for 10 sh -c "! kill -0 $pid 2>/dev/null && ! test -e '$WORK/picketd.pid'" ||
		fail "picketd did not stop within 10 s of SIGTERM"
}

# picketd's resident memory in KiB.
pk_rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$(cat "$WORK/picketd.pid")/status"; }

# A counter of `picket stats` by its name ("state-limit", "inserts", ...).
pk_stat() {
	ctl stats | awk -v n="$1" '{ line = $0; sub(/^ +/, "", line) }
		index(line, n " ") == 1 { print ($NF ~ /\/s$/) ? $(NF - 1) : $NF; exit }'
}

# Frames picketd took from interface $1's ring, and those the ring dropped
# because picketd was behind (`picket stats`, Interfaces).
pk_rx() { ctl stats | awk -v i="$1" '$1 == i && NF == 5 { print $2; exit }'; }
pk_ring_drops() { ctl stats | awk -v i="$1" '$1 == i && NF == 5 { print $4; exit }'; }

# A file of $1 MiB of random bytes served by FreeNAS's HTTP server as /big.
# The client's TCP receive buffer is capped at 128 KiB, so that a paced
# fetch's data crosses picketd as curl reads it, not megabytes ahead.
pk_big_file() {
	inc sysctl -qw net.ipv4.tcp_rmem="4096 65536 131072"
	head -c "$(($1 * 1048576))" /dev/urandom >"$WORK/www/big"
	sha256sum <"$WORK/www/big" | cut -d' ' -f1 >"$WORK/big.sha256"
}

# Fetch /big from the client at $1 bytes/s into $WORK/got (curl's status
# and times in $WORK/curl.out), given up after ${2:-5} s below 1000 bytes/s;
# in the background, its pid in $!.
pk_fetch_big() {
	inc curl -sS --max-time 60 --speed-limit 1000 --speed-time "${2:-5}" --limit-rate "$1" -o "$WORK/got" \
		-w '%{http_code} %{size_download} %{time_total}\n' "http://$NAS/big" >"$WORK/curl.out" 2>&1 &
}

# True when the fetched file is whole and right.
pk_got_big() { [ "$(sha256sum <"$WORK/got" | cut -d' ' -f1)" = "$(cat "$WORK/big.sha256")" ]; }

# TCP resets and aborts the kernel of namespace $1 counted (sent or received).
pk_resets() {
	ip netns exec "$1" nstat -asz TcpOutRsts TcpEstabResets TcpExtTCPAbortOnData TcpExtTCPAbortOnClose 2>/dev/null |
		awk 'NR > 1 { n += $2 } END { print n + 0 }'
}

ctl() {
	cmd=$1
	shift
	inf "$PICKET" "$cmd" -s "$WORK/ctl.sock" "$@"
}

ssh_nas() {
	inc timeout 20 ssh -i "$WORK/user_key" -o BatchMode=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o ConnectTimeout=8 -o LogLevel=ERROR root@$NAS "$@"
}

http_nas() { inc curl -sS --max-time 10 "http://$NAS/"; }
https_nas() { inc curl -sSk --max-time 10 "https://$NAS/"; }

# curl's connect outcome to port $1: prints the exit status and the seconds taken.
probe_port() {
	start=$(date +%s.%N)
	inc curl -s -o /dev/null --connect-timeout 3 --max-time 5 "http://$NAS:$1/"
	rc=$?
	end=$(date +%s.%N)
	echo "$rc $(awk "BEGIN{printf \"%.2f\", $end - $start}")"
}
