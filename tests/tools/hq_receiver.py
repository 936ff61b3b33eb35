#!/usr/bin/env python3
# hq_receiver.py — a head-office receiver for the upload tests: implements
# POST /v1/records and GET /v1/master, and misbehaves on command.
#
# Usage: hq_receiver.py --store FILE --token TOKEN [--mode MODE] [--rate 0.3]
#                       [--seed N] [--hang SECONDS] [--master FILE]
#                       [--tls CERT KEY]
# Listens on 127.0.0.1, port 0 (HTTPS with --tls); prints the port on stdout.
# Received records go to the SQLite file --store (table received), so a test
# can compare them with the station's database.
#
# Modes (GET /control?mode=M[&count=N][&rate=R][&seed=S][&master=FILE]
# [&max_lines=N: 413 for a request of more than N records, -1 = no limit]
# [&master_drip=S: the master body sent in pieces spread over S seconds]
# [&master_stall=N: after N bytes of the master body, nothing more for an hour];
# with count, the fault hits the next N requests, then mode returns to ok;
# with after=N, the next N requests are answered ok before the fault starts):
#   ok       store and acknowledge
#   down     503 to everything
#   random   a fault from FAULTS with probability rate (seeded), else ok
#   5xx hang reset drop ack2 partial 409 401 garbage   that one fault
#   409any   409 to every batch, storing nothing (acknowledges nothing)
#   404all   404 to every batch, storing nothing (a wrong URL path)
# Records whose data has "invalid": true are always rejected (dead letters),
# with the message "data.invalid is set (line N)" or the one set by
# /control?reject_message=TEXT.
# A poison record: /control?refuse_id=ID[&refuse_status=400][&refuse_body=B]
# refuses every batch holding the record ID as a whole, whatever the mode:
# HTTP refuse_status (400 unless given) with the body B (default a JSON
# error naming the line), nothing stored; refuse_id= (empty) ends it.
# stats "refused" counts those answers.
# GET /stats returns counters as JSON: requests (POSTs), connections (all),
# record_connections (connections that carried a POST), distinct,
# duplicates, dup_mismatch (same id, other content), order_violations (a new
# id whose seq is not above every seq stored before for its station),
# header_errors, key_mismatch (an Idempotency-Key reused for other ids),
# keys_reused (a batch retried with its key after it was stored),
# auth_failures, faults{name: n}, points{customer: sum}, last_since.
import argparse
import json
import os
import random
import socket
import sqlite3
import ssl
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

FAULTS = ["5xx", "hang", "reset", "drop", "ack2", "partial", "409", "401", "garbage"]


class Receiver:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.db = sqlite3.connect(args.store, check_same_thread=False)
        self.db.executescript(
            "PRAGMA journal_mode=WAL;"
            "CREATE TABLE IF NOT EXISTS received (id TEXT PRIMARY KEY, station TEXT,"
            " seq INTEGER, payload TEXT, customer TEXT, points INTEGER, arrival INTEGER);")
        self.token = args.token
        self.mode = args.mode
        self.count = -1
        self.after = 0
        self.rate = args.rate
        self.rng = random.Random(args.seed)
        self.hang = args.hang
        self.master = args.master
        self.master_drip = 0.0
        self.master_stall = -1
        self.max_lines = -1
        self.refuse_id = None
        self.refuse_status = 400
        self.refuse_body = None
        self.reject_message = None
        self.max_seq = {}
        self.keys = {}
        self.arrival = 0
        self.stats = {"requests": 0, "connections": 0, "record_connections": 0, "distinct": 0, "duplicates": 0,
                      "dup_mismatch": 0, "order_violations": 0, "header_errors": 0,
                      "key_mismatch": 0, "keys_reused": 0, "auth_failures": 0, "faults": {}, "last_since": None,
                      "master_requests": 0, "refused": 0}

    def pick_fault(self):
        with self.lock:
            if self.after > 0:
                self.after -= 1
                return "ok"
            mode = self.mode
            if self.count == 0:
                mode = self.mode = "ok"
            elif self.count > 0:
                self.count -= 1
            if mode == "random":
                if self.rng.random() < self.rate:
                    mode = self.rng.choice(FAULTS)
                else:
                    mode = "ok"
            if mode not in ("ok", "down"):
                self.stats["faults"][mode] = self.stats["faults"].get(mode, 0) + 1
            return mode

    def store(self, lines, key, station_header, prefix=None):
        """Commit the batch; returns (accepted, rejected, all_known)."""
        accepted, rejected, ids, all_known = [], [], [], True
        with self.lock:
            for n, line in enumerate(lines):
                try:
                    rec = json.loads(line)
                    rid, station, seq = rec["id"], rec["station"], int(rec["seq"])
                except (ValueError, KeyError, TypeError):
                    self.stats["header_errors"] += 1
                    continue
                ids.append(rid)
                if station != station_header:
                    self.stats["header_errors"] += 1
                if prefix is not None and n >= prefix:
                    continue
                data = rec.get("data") or {}
                if data.get("invalid"):
                    rejected.append({"id": rid, "code": "invalid_payload",
                                     "message": self.reject_message or
                                     "data.invalid is set (line %d)" % (n + 1)})
                    continue
                row = self.db.execute("SELECT payload FROM received WHERE id = ?",
                                      (rid,)).fetchone()
                if row:
                    self.stats["duplicates"] += 1
                    if row[0] != line:
                        self.stats["dup_mismatch"] += 1
                else:
                    all_known = False
                    if seq <= self.max_seq.get(station, 0):
                        self.stats["order_violations"] += 1
                    self.max_seq[station] = max(seq, self.max_seq.get(station, 0))
                    self.arrival += 1
                    self.db.execute("INSERT INTO received VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    (rid, station, seq, line, data.get("customer"),
                                     int(data.get("points") or 0), self.arrival))
                    self.stats["distinct"] += 1
                accepted.append(rid)
            self.db.commit()
            if key in self.keys and self.keys[key] != ids:
                self.stats["key_mismatch"] += 1
            elif key in self.keys:
                self.stats["keys_reused"] += 1
            self.keys[key] = ids
        return accepted, rejected, all_known

    def points(self):
        with self.lock:
            rows = self.db.execute("SELECT customer, sum(points) FROM received"
                                   " WHERE customer IS NOT NULL GROUP BY customer").fetchall()
        return {c: p for c, p in rows}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body go out in two sends: with Nagle on, the client's
    # delayed ACK stalls every reply by 40 ms
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        with self.server.rx.lock:
            self.server.rx.stats["connections"] += 1

    def reply(self, status, body, ctype="application/json"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def reset(self):
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def authorised(self):
        if self.headers.get("Authorization") != "Bearer " + self.server.rx.token:
            with self.server.rx.lock:
                self.server.rx.stats["auth_failures"] += 1
            self.reply(401, '{"error":"bad token"}')
            return False
        return True

    def do_GET(self):
        rx = self.server.rx
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/stats":
            with rx.lock:
                s = dict(rx.stats)
            s["points"] = rx.points()
            return self.reply(200, json.dumps(s))
        if url.path == "/control":
            q = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            with rx.lock:
                if "mode" in q:
                    rx.mode = q["mode"]
                    rx.count = int(q.get("count", -1))
                    rx.after = int(q.get("after", 0))
                if "rate" in q:
                    rx.rate = float(q["rate"])
                if "seed" in q:
                    rx.rng = random.Random(int(q["seed"]))
                if "master" in q:
                    rx.master = q["master"]
                if "max_lines" in q:
                    rx.max_lines = int(q["max_lines"])
                if "refuse_id" in q:
                    rx.refuse_id = q["refuse_id"] or None
                    rx.refuse_status = int(q.get("refuse_status", 400))
                    rx.refuse_body = q.get("refuse_body")
                if "reject_message" in q:
                    rx.reject_message = q["reject_message"] or None
                if "master_drip" in q:
                    rx.master_drip = float(q["master_drip"])
                if "master_stall" in q:
                    rx.master_stall = int(q["master_stall"])
            return self.reply(200, '{"ok":true}')
        if url.path == "/v1/master":
            if not self.authorised():
                return None
            with rx.lock:
                rx.stats["last_since"] = q.get("since", "")
                rx.stats["master_requests"] += 1
                path, drip, stall = rx.master, rx.master_drip, rx.master_stall
            if not path:
                return self.reply(200, '{"kind":"version","version":"1"}\n',
                                  "application/x-ndjson")
            return self.send_master(path, drip, stall)
        return self.reply(404, '{"error":"no such path"}')

    def send_master(self, path, drip, stall):
        """The master file from disk in 64 KiB pieces (never whole in memory),
        spread over drip seconds, or stopping for an hour after stall bytes."""
        size = os.path.getsize(path)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        piece = 65536
        pause = drip / max(1, size // piece) if drip > 0 else 0
        sent = 0
        try:
            with open(path, "rb") as f:
                while True:
                    data = f.read(piece if stall < 0 else max(1, min(piece, stall - sent)))
                    if not data:
                        break
                    self.wfile.write(data)
                    sent += len(data)
                    if 0 <= stall <= sent:
                        self.wfile.flush()
                        time.sleep(3600)
                    if pause:
                        self.wfile.flush()
                        time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        return None

    def do_POST(self):
        rx = self.server.rx
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length).decode()
        with rx.lock:
            rx.stats["requests"] += 1
            if not getattr(self, "counted", False):
                rx.stats["record_connections"] += 1
                self.counted = True
        if self.path != "/v1/records":
            return self.reply(404, '{"error":"no such path"}')
        if not self.authorised():
            return None
        key = self.headers.get("Idempotency-Key")
        station = self.headers.get("X-Station-Id")
        if not key or not station or \
                self.headers.get("Content-Type") != "application/x-ndjson":
            with rx.lock:
                rx.stats["header_errors"] += 1
            return self.reply(400, '{"error":"missing headers"}')
        with rx.lock:
            max_lines = rx.max_lines
        if max_lines >= 0 and len([x for x in body.split("\n") if x]) > max_lines:
            return self.reply(413, '{"error":"at most %d records a request"}' % max_lines)
        lines = [line for line in body.split("\n") if line]
        with rx.lock:
            refuse_id, refuse_status, refuse_body = rx.refuse_id, rx.refuse_status, rx.refuse_body
        for n, line in enumerate(lines):
            if refuse_id and ('"id":"%s"' % refuse_id) in line:
                with rx.lock:
                    rx.stats["refused"] += 1
                if refuse_body is None:
                    refuse_body = '{"error":"line %d: record %s cannot be stored"}' % (n + 1, refuse_id)
                return self.reply(refuse_status, refuse_body)
        fault = rx.pick_fault()
        if fault == "409any":
            return self.reply(409, '{"error":"a request with this key is in progress"}')
        if fault == "404all":
            return self.reply(404, '{"error":"no such path"}')
        if fault == "down":
            return self.reply(503, '{"error":"down for maintenance"}')
        if fault == "5xx":
            return self.reply(rx.rng.choice([500, 502, 503]), "<html>server error</html>",
                              "text/html")
        if fault == "401":
            return self.reply(401, '{"error":"token expired"}')
        if fault == "hang":
            time.sleep(rx.hang)
            return self.reset()
        if fault == "reset":
            return self.reset()
        prefix = len(lines) // 2 if fault == "partial" else None
        accepted, rejected, all_known = rx.store(lines, key, station, prefix)
        if fault == "drop":
            return self.reset()
        if fault == "garbage":
            return self.reply(200, "<html>Service Unavailable</html>", "text/html")
        if fault == "409" and all_known:
            return self.reply(409, '{"error":"already known"}')
        if fault == "ack2":
            accepted = accepted + accepted
        return self.reply(200, json.dumps({"accepted": accepted, "rejected": rejected}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--mode", default="ok")
    ap.add_argument("--rate", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hang", type=float, default=3.0)
    ap.add_argument("--master")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    server.rx = Receiver(args)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
