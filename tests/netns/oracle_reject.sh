#!/bin/sh
# Oracle: reject on an internal interface (RST for TCP, ICMP port
# unreachable for UDP), silent drop elsewhere, judged by the kernel.
#
# Where pf and nftables differ: pf's `block return` also answers protocols
# other than TCP and UDP with an ICMP unreachable (pf.conf(5)), while the
# pfSense reference this project follows, and nft's reject here, drop them
# silently; this test sends no such protocol to the rejecting rule. The
# RST and ICMP the two firewalls build differ in detail (source address of
# the ICMP error, TTL); only the verdict is compared.
CASE=reject
. "$(dirname "$0")/oracle/lib.sh"
setup
servers tcp:80
capture_start
in_c nc -z -w 2 10.0.10.5 23                                   # reject: RST
in_c nc -z -w 2 10.0.10.5 69                                   # reject: RST
in_c sh -c 'echo x | nc -u -w 1 10.0.10.5 69'                   # reject: ICMP port unreachable
in_c curl -s -m 3 -o /dev/null http://10.0.10.5/               # pass
in_c nc -z -w 1 10.0.10.5 25                                   # block: dropped silently
in_c sh -c 'echo x | nc -u -w 1 10.0.10.5 53'                   # block: dropped silently
capture_stop
judge
