#!/bin/sh
# Oracle: a match rule's rdr-to, judged by the kernel's DNAT. Through the
# redirection the client reaches the server; the pass rule that names the
# server's address lets it in, as it does when the client asks the server
# directly; the firewall's other ports stay closed.
CASE=dnat
. "$(dirname "$0")/oracle/lib.sh"
setup
servers tcp:80
capture_start
in_c curl -s -m 3 -o /dev/null http://192.168.1.1:8080/       # redirected: pass
in_c curl -s -m 3 -o /dev/null http://10.0.10.5/              # direct: pass
in_c nc -z -w 1 192.168.1.1 8081                              # the firewall's own port: block
in_c nc -z -w 1 10.0.10.5 8080                                # not redirected there: block
capture_stop
judge
