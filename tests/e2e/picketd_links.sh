#!/bin/sh
# picketd is what runs on the router: it links the runtime and libc only (and
# libsodium, for --signed-by), never Z3, the parser, jansson, libpcap or
# libxml2 (config.xml is read by picket).
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/build/picketd
[ -x "$bin" ] || { echo "FAIL: $bin is not built (make)"; exit 1; }
libs=$(ldd "$bin") || { echo "FAIL: ldd $bin"; exit 1; }
for lib in libz3 libjansson libpcap libxml2 libfl libcmocka libstdc++; do
	if echo "$libs" | grep -q "$lib"; then
		echo "FAIL: picketd links $lib:"
		echo "$libs"
		exit 1
	fi
done
# Nor is the front end linked in statically.
if nm "$bin" | grep -Eq ' (yyparse|pk_frontend_load|pk_encode|Z3_[a-z_]+)$'; then
	echo "FAIL: picketd contains front-end or verifier code:"
	nm "$bin" | grep -E ' (yyparse|pk_frontend_load|pk_encode|Z3_[a-z_]+)$' | head
	exit 1
fi
echo "picketd links: $(echo "$libs" | awk '{print $1}' | tr '\n' ' ')"
