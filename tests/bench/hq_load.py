#!/usr/bin/env python3
# hq_load.py — the hq_ingest load: STATIONS simulated stations post BATCHES
# batches of SIZE real visit records each to forecourt-hq at once (one
# request in flight per station, as a station does), and the same rows as
# CSV for the floor (COPY into the same tables).
#
#   hq_load.py make DIR STATIONS BATCHES SIZE CUSTOMERS   -> DIR/bodies, DIR/*.csv
#   hq_load.py post DIR URL TOKENS_FILE                   -> "records seconds"
# TOKENS_FILE: "STATION TOKEN" lines.  Every reply must accept every record.
import csv, http.client, json, os, sys, threading, time, urllib.parse, uuid


def make(d, stations, batches, size, customers):
    os.makedirs(os.path.join(d, "bodies"), exist_ok=True)
    rec = open(os.path.join(d, "records.csv"), "w", newline="")
    vis = open(os.path.join(d, "visits.csv"), "w", newline="")
    led = open(os.path.join(d, "ledger.csv"), "w", newline="")
    rw, vw, lw = csv.writer(rec), csv.writer(vis), csv.writer(led)
    n = 0
    for s in range(1, stations + 1):
        st = "B%04d" % s
        seq = 0
        for b in range(batches):
            lines = []
            for i in range(size):
                seq += 1
                n += 1
                rid = str(uuid.uuid4())
                code = "C%05d" % (1 + n % customers)
                litres = 20 + n % 40
                data = {"pump": 1 + n % 8, "grade": "92#", "volume_ml": litres * 1000,
                        "amount_fen": litres * 750, "price_fen_per_litre": 750,
                        "discount_fen": 0, "points_earned": litres, "won_back": False,
                        "card": "%08X" % (1 + n % customers), "customer_code": code,
                        "tier": "ordinary"}
                created = "2026-12-06T08:%02d:%02d.000Z" % (n // 60 % 60, n % 60)
                line = {"id": rid, "type": "visit", "station": st, "seq": seq,
                        "created_at": created, "staff": 1, "data": data}
                lines.append(json.dumps(line, separators=(",", ":")))
                rw.writerow([rid, st, seq, "visit", created, 1, json.dumps(data)])
                vw.writerow([rid, st, created, code, data["card"], data["pump"], "92#",
                             data["volume_ml"], data["amount_fen"], 750, 0, litres, "f",
                             "ordinary"])
                lw.writerow([rid, code, st, seq, litres, created])
            with open(os.path.join(d, "bodies", "%s-%d" % (st, b)), "w") as f:
                f.write("\n".join(lines) + "\n")
    for f in (rec, vis, led):
        f.close()


def post(d, url, tokens_file):
    u = urllib.parse.urlparse(url)
    tokens = dict(l.split() for l in open(tokens_file) if l.strip())
    bodies = {}
    for name in sorted(os.listdir(os.path.join(d, "bodies"))):
        st = name.split("-")[0]
        bodies.setdefault(st, []).append(open(os.path.join(d, "bodies", name), "rb").read())
    errors, counted = [], [0]
    lock = threading.Lock()
    go = threading.Event()

    def station(st):
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
        go.wait()
        for body in bodies[st]:
            conn.request("POST", "/v1/records", body,
                         {"Authorization": "Bearer " + tokens[st], "X-Station-Id": st,
                          "Idempotency-Key": str(uuid.uuid4()),
                          "Content-Type": "application/x-ndjson"})
            r = conn.getresponse()
            reply = r.read()
            if r.status != 200:
                with lock:
                    errors.append("%s: HTTP %d %s" % (st, r.status, reply[:200]))
                return
            got = json.loads(reply)
            with lock:
                counted[0] += len(got["accepted"])
                if got["rejected"]:
                    errors.append("%s: rejected %s" % (st, got["rejected"][:1]))
        conn.close()

    threads = [threading.Thread(target=station, args=(st,)) for st in bodies]
    for t in threads:
        t.start()
    t0 = time.monotonic()
    go.set()
    for t in threads:
        t.join()
    secs = time.monotonic() - t0
    if errors:
        sys.exit("hq_load: %d errors, first: %s" % (len(errors), errors[0]))
    print(counted[0], "%.3f" % secs)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], *map(int, sys.argv[3:7]))
    else:
        post(sys.argv[2], sys.argv[3], sys.argv[4])
