#!/usr/bin/env python3
# report.py — turns the figures (JSON lines on stdin) into the table of
# `make bench` and a JSON file: name, median, p99, floor, ratio, target,
# PASS/MISS.  A miss is a finding, not a failure: always exits 0.
import json, sys

out_path = sys.argv[1]
# name -> (description of the target, ratio function, check function)
TARGETS = {
    "swipe_decision": ("p99 <= 1 ms, ratio <= 2",
                       lambda f: f["median"] / f["floor"],
                       lambda f, r: f["p99"] <= 1000 and r <= 2),
    "swipe_screen": ("ratio <= 1.5", lambda f: f["median"] / f["floor"],
                     lambda f, r: r <= 1.5),
    "visit_commit": ("ratio <= 2", lambda f: f["median"] / f["floor"],
                     lambda f, r: r <= 2),
    "outbox_drain": ("throughput ratio >= 0.8", lambda f: f["median"] / f["floor"],
                     lambda f, r: r >= 0.8),
    "import": ("ratio <= 3", lambda f: f["median"] / f["floor"], lambda f, r: r <= 3),
    "search": ("p99 <= 50 ms", lambda f: None, lambda f, r: f["p99"] <= 50),
    "startup": ("<= 200 ms and ratio <= 5", lambda f: f["median"] / f["floor"],
                lambda f, r: f["median"] <= 200 and r <= 5),
    "memory": ("peak RSS <= 16 MiB", lambda f: None, lambda f, r: f["median"] <= 16 * 1024),
    # Limits that were once in `make check` (where they failed at random on
    # a loaded machine); the tests keep the behaviour.
    "key_drain": ("worst < 100 ms, ratio <= 2", lambda f: f["median"] / f["floor"],
                  lambda f, r: f["worst"] < 100 and r <= 2),
    "write_drain": ("median < 100 ms, ratio <= 2", lambda f: f["median"] / f["floor"],
                    lambda f, r: f["median"] < 100 and r <= 2),
    "reader_card": ("ratio <= 2", lambda f: f["median"] / f["floor"], lambda f, r: r <= 2),
    "reader_unplug": ("p99 <= 100 ms", lambda f: f["median"] / f["floor"],
                      lambda f, r: f["p99"] <= 100000),
    "reader_replug": ("worst <= 1.1 s (1 s retries)", lambda f: None,
                      lambda f, r: f["worst"] <= 1100000),
    "reader_idle_cpu": ("<= 5 %", lambda f: None, lambda f, r: f["median"] <= 5),
    "hq_ingest": ("throughput ratio >= 0.5", lambda f: f["median"] / f["floor"],
                  lambda f, r: r >= 0.5),
    "hq_master": ("ratio <= 3", lambda f: f["median"] / f["floor"], lambda f, r: r <= 3),
    "uploader_stop": ("worst <= 1 s", lambda f: f["median"] / f["floor"],
                      lambda f, r: f["worst"] <= 1000000),
    # A fuelling never waits behind a bulk job (HACKING.md "Bulk jobs").
    "visit_during_import": ("p99 <= 50 ms, none refused", lambda f: f["median"] / f["floor"],
                            lambda f, r: f["p99"] <= 50000 and f["errors"] == 0 and f["job_ok"]),
    # issue 16: a month of a 13-card fleet prints in under a second
    "statement": ("worst < 1 s", lambda f: f["median"] / f["floor"],
                  lambda f, r: f["worst"] < 1000),
}

# Issue 17 (import, search, monthly analysis): the raised targets.
TARGETS.update({
    "search": ("p99 <= 10 ms, 1-2 chars too", lambda f: None,
               lambda f, r: f["p99"] <= 10 and f.get("p99_short", 0) <= 10),
    "monthly": ("<= 2 s; Ctrl-R figures <= 2 s, <= 64 MiB", lambda f: None,
                lambda f, r: f["median"] <= 2 and f["kiosk_s"] <= 2
                and f["kiosk_rss_kib"] <= 64 * 1024),
})

figures = []
for line in sys.stdin:
    line = line.strip()
    if not line.startswith("{"):
        continue
    f = json.loads(line)
    desc, ratio_fn, check = TARGETS.get(f["name"], ("-", lambda f: None, lambda f, r: True))
    try:
        r = ratio_fn(f)
    except (TypeError, ZeroDivisionError):
        r = None
    f["ratio"] = r
    f["target"] = desc
    f["result"] = "PASS" if check(f, r) else "MISS"
    figures.append(f)

def num(v):
    if v is None:
        return "-"
    return "%.3g" % v if abs(v) < 1000 else "%.0f" % v

print("%-15s %-5s %10s %10s %10s %8s  %-30s %s" %
      ("figure", "unit", "median", "p99", "floor", "ratio", "target", "result"))
for f in figures:
    print("%-15s %-5s %10s %10s %10s %8s  %-30s %s" %
          (f["name"], f["unit"], num(f["median"]), num(f.get("p99")), num(f.get("floor")),
           num(f["ratio"]), f["target"], f["result"]))
with open(out_path, "w") as fh:
    json.dump(figures, fh, indent=1)
print("results written to %s" % out_path)
