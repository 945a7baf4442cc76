#!/bin/sh
# Oracle: allow-list with default block, replies riding on states, and
# connections started from the server's side blocked, judged by the kernel.
#
# Where pf and nftables differ, and what this test does about it:
# - pf keeps state only from a SYN (flags S/SA); conntrack, by default,
#   from any TCP packet: the nft twin requires a SYN and tcp_loose is off.
# - pf filters forwarded packets twice (in on lan0, out on opt1, each with
#   its own state); nftables once, in the forward hook. `pass out all` in
#   the picket rules makes the out pass a formality, so both agree.
# - an ICMP error related to a tracked flow passes in both (related).
CASE=allowlist
. "$(dirname "$0")/oracle/lib.sh"
setup
servers tcp:22 tcp:80 udp:5353
capture_start
for _ in 1 2 3; do
	in_c curl -s -m 3 -o /dev/null http://10.0.10.5/           # pass: HTTP, replies on the state
done
in_c sh -c 'echo hello | nc -w 2 10.0.10.5 22' >/dev/null      # pass: SSH port
in_c sh -c 'echo query | nc -u -w 1 10.0.10.5 5353' >/dev/null # pass: UDP and its echo
in_c sh -c 'echo x | nc -u -w 1 10.0.10.5 9'                   # pass, and the server's ICMP
#                                                                 port unreachable rides on the state
in_c ping -c 2 -i 0.2 -W 1 10.0.10.5 >/dev/null                # pass: echo request and reply
in_c nc -z -w 1 10.0.10.5 23                                    # block: not allowed
in_c sh -c 'echo x | nc -u -w 1 10.0.10.5 9999'                 # block: UDP port not allowed
in_s nc -z -w 1 192.168.1.10 22                                 # block: the server starts it
in_s ping -c 1 -W 1 192.168.1.10 >/dev/null                     # block: the server pings the LAN
capture_stop
judge
