#!/usr/bin/python3
"""Listeners for the oracle's server namespace: servers.py tcp:PORT udp:PORT ...

A TCP port answers each connection with one HTTP-like line and closes; a
UDP port echoes each datagram. Runs until killed.
"""
import socket
import sys
import threading


def tcp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(16)
    while True:
        c, _ = s.accept()
        c.settimeout(2)
        try:
            c.recv(4096)
        except OSError:
            pass
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n")
        c.close()


def udp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    while True:
        data, peer = s.recvfrom(4096)
        s.sendto(data, peer)


def main(specs):
    for spec in specs:
        kind, port = spec.split(":")
        threading.Thread(target=tcp if kind == "tcp" else udp, args=(int(port),), daemon=True).start()
    threading.Event().wait()


if __name__ == "__main__":
    main(sys.argv[1:])
