#!/usr/bin/env python3
"""hq_flood.py — idle and slow connections against forecourt-hq (loopback).

usage: hq_flood.py PORT PID COUNT SOURCES HELD_MAX DEADLINE_S

Opens COUNT connections to 127.0.0.1:PORT, spread over the source
addresses 127.0.0.N (SOURCES: comma-separated N), and never finishes a
request on them: a third send nothing, a third stop in the middle of the
headers, a third send whole headers and stop in the middle of a body.
While they are held it samples the sockets of process PID (the server) and
asks GET /v1/health from 127.0.0.1.  Then it waits (at most DEADLINE_S)
until the server has closed every one of them: refused at once (over a
connection limit) or dropped when the client was silent too long.
Prints one JSON object:
  {"connected", "closed", "max_held", "health", "health_ms", "seconds"}
max_held is the most sockets the server had beyond those it had before.
Exit 0 when every connection was closed by the server and max_held <=
HELD_MAX; 1 otherwise.  Every socket it opened is closed at exit.
"""
import http.client
import json
import os
import resource
import select
import socket
import sys
import time


def server_sockets(pid):
    n = 0
    d = "/proc/%d/fd" % pid
    for fd in os.listdir(d):
        try:
            if os.readlink(os.path.join(d, fd)).startswith("socket:"):
                n += 1
        except OSError:
            pass
    return n


def health():
    t = time.monotonic()
    try:
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=20)
        c.request("GET", "/v1/health")
        status = c.getresponse().status
        c.close()
    except OSError as e:
        status = str(e)
    return status, int((time.monotonic() - t) * 1000)


PORT, PID, COUNT = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
SOURCES = ["127.0.0.%s" % s for s in sys.argv[4].split(",")]
HELD_MAX, DEADLINE = int(sys.argv[5]), float(sys.argv[6])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < COUNT + 64:
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, COUNT + 64), hard))

start = time.monotonic()
end = start + DEADLINE
base = server_sockets(PID)
socks = {}
poller = select.poll()
for i in range(COUNT):
    s = socket.socket()
    s.setblocking(False)
    s.bind((SOURCES[i % len(SOURCES)], 0))
    try:
        s.connect(("127.0.0.1", PORT))
    except BlockingIOError:
        pass
    socks[s.fileno()] = [s, i % 3, False]  # socket, kind, sent
    poller.register(s, select.POLLOUT | select.POLLIN)

PARTS = [b"",
         b"POST /v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: appl",
         b"POST /v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
         b"Authorization: Bearer x\r\nX-Station-Id: S0001\r\nContent-Length: 1000\r\n\r\n{\"id\":"]
closed = set()
max_held = 0
health_status, health_ms = None, None
while len(closed) < COUNT and time.monotonic() < end:
    for fd, ev in poller.poll(50):
        s, kind, sent = socks[fd]
        if ev & select.POLLOUT and not sent:
            socks[fd][2] = True
            try:
                if PARTS[kind]:
                    s.send(PARTS[kind])
            except OSError:
                pass
            poller.modify(fd, select.POLLIN)
            if not ev & (select.POLLIN | select.POLLHUP | select.POLLERR):
                continue
        if ev & (select.POLLIN | select.POLLHUP | select.POLLERR):
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if not data:  # closed by the server (any answer before is ignored)
                closed.add(fd)
                poller.unregister(fd)
    max_held = max(max_held, server_sockets(PID) - base)
    if health_status is None and time.monotonic() - start > 0.5:
        health_status, health_ms = health()  # while the flood is held
if health_status is None:
    health_status, health_ms = health()
print(json.dumps({"connected": COUNT, "closed": len(closed), "max_held": max_held,
                  "health": health_status, "health_ms": health_ms,
                  "seconds": round(time.monotonic() - start, 2)}))
for s, _, _ in socks.values():
    s.close()
sys.exit(0 if len(closed) == COUNT and max_held <= HELD_MAX else 1)
