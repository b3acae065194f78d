#!/usr/bin/env python3
"""Opens N idle client connections to HOST:PORT, checks each with one PING, holds them until stdin closes."""
import socket
import sys

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
conns = []
for i in range(count):
    s = socket.create_connection((host, port))
    conns.append(s)
ok = 0
for s in conns:
    s.sendall(b"PING\r\n")
for s in conns:
    if s.recv(64).startswith(b"+PONG"):
        ok += 1
print(f"{ok} of {count} idle clients connected and answered PING", flush=True)
sys.stdin.read()
