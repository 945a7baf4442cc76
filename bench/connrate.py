"""bench/connrate.py: TCP connections per second, as `connrate.py serve HOST PORT`
(accept and close) and `connrate.py run HOST PORT SECONDS` (connect, read the
close, repeat; prints the rate)."""
import socket
import sys
import time


def serve(host, port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(1024)
    while True:
        c, _ = s.accept()
        c.close()


def run(host, port, seconds):
    n = errors = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            c = socket.create_connection((host, port), timeout=2)
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            c.recv(1)
            c.close()
            n += 1
        except OSError:
            errors += 1
    print("%.0f" % (n / seconds))
    if errors:
        print("connrate: %d failed connections" % errors, file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        run(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
