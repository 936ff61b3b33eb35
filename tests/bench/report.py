#!/usr/bin/env python3
# report.py OUT [--svg FILE] — turns the figures (JSON lines on stdin) into
# the tables of `make bench`, the growth with the number of customers
# (drawn with gnuplot into FILE) and a JSON file: name, size, median, p99,
# floor, ratio (the median of the rounds' ratios) and its spread, target,
# PASS/MISS.  A miss is a finding, not a failure: always exits 0.
import json, math, shutil, statistics, subprocess, sys, tempfile

args = sys.argv[1:]
svg_path = None
if "--svg" in args:
    i = args.index("--svg")
    svg_path = args[i + 1]
    del args[i:i + 2]
out_path = args[0]

def ratio_of(f):
    return f["median"] / f["floor"]

# name -> (description of the target, ratio function, check function)
TARGETS = {
    "swipe_decision": ("p99 <= 200 us, ratio <= 1.5", ratio_of,
                       lambda f, r: f["p99"] <= 200 and r <= 1.5),
    "swipe_screen": ("ratio <= 1.5", ratio_of, lambda f, r: r <= 1.5),
    "visit_commit": ("ratio <= 1.5", ratio_of, lambda f, r: r <= 1.5),
    "outbox_drain": ("throughput ratio >= 0.8", ratio_of, lambda f, r: r >= 0.8),
    "import": ("ratio <= 3", ratio_of, lambda f, r: r <= 3),
    # the import and the search entries made after it (in the background
    # at a station), as the import was measured before issue 17
    "import_whole": ("ratio <= 3", ratio_of, lambda f, r: r <= 3),
    "search": ("p99 <= 10 ms", lambda f: None, lambda f, r: f["p99"] <= 10),
    "monthly": ("<= 2 s", lambda f: f["median"] / f["floor"] if f.get("floor") else None,
                lambda f, r: f["median"] <= 2),
    "startup": ("<= 200 ms and ratio <= 5", ratio_of,
                lambda f, r: f["median"] <= 200 and r <= 5),
    "memory": ("peak RSS <= 16 MiB", lambda f: None, lambda f, r: f["median"] <= 16 * 1024),
    # Limits that were once in `make check` (where they failed at random on
    # a loaded machine); the tests keep the behaviour.
    "key_drain": ("worst < 100 ms, ratio <= 2", ratio_of,
                  lambda f, r: f["worst"] < 100 and r <= 2),
    "write_drain": ("median < 100 ms, ratio <= 2", ratio_of,
                    lambda f, r: f["median"] < 100 and r <= 2),
    "reader_card": ("ratio <= 2", ratio_of, lambda f, r: r <= 2),
    "reader_unplug": ("p99 <= 100 ms", ratio_of, lambda f, r: f["p99"] <= 100000),
    "reader_replug": ("worst <= 1.1 s (1 s retries)", lambda f: None,
                      lambda f, r: f["worst"] <= 1100000),
    "reader_idle_cpu": ("<= 5 %", lambda f: None, lambda f, r: f["median"] <= 5),
    "hq_ingest": ("throughput ratio >= 0.5", ratio_of, lambda f, r: r >= 0.5),
    "hq_master": ("ratio <= 3", ratio_of, lambda f, r: r <= 3),
    "uploader_stop": ("worst <= 1 s", ratio_of, lambda f, r: f["worst"] <= 1000000),
    # A fuelling never waits behind a bulk job (HACKING.md "Bulk jobs").
    "visit_during_import": ("p99 <= 50 ms, none refused", ratio_of,
                            lambda f, r: f["p99"] <= 50000 and f["errors"] == 0 and f["job_ok"]),
    # issue 16: a month of a 13-card fleet prints in under a second
    "statement": ("worst < 1 s", lambda f: f["median"] / f["floor"],
                  lambda f, r: f["worst"] < 1000),
}
UNIT_US = {"us": 1.0, "ms": 1e3, "s": 1e6}

# Issue 17 (import, search, monthly analysis): the raised targets.
TARGETS.update({
    "search": ("p99 <= 10 ms, 1-2 chars too", lambda f: None,
               lambda f, r: f["p99"] <= 10 and f.get("p99_short", 0) <= 10),
    "monthly": ("<= 2 s; Ctrl-R figures <= 2 s, <= 64 MiB", lambda f: None,
                lambda f, r: f["median"] <= 2 and f["kiosk_s"] <= 2
                and f["kiosk_rss_kib"] <= 64 * 1024),
})

def ratio(f):
    fn = TARGETS.get(f["name"], (None, lambda f: None))[1]
    try:
        return fn(f)
    except (TypeError, ZeroDivisionError, KeyError):
        return None

def per_op_us(f):
    """Time of one operation in microseconds (import: of one row), or None."""
    scale = UNIT_US.get(f.get("unit"))
    if scale is None or not isinstance(f.get("median"), (int, float)):
        return None
    t = f["median"] * scale
    if f["name"] in ("import", "import_whole"):
        t /= max(f.get("n", 1), 1)
    return t

def merge(rounds):
    """One figure of its rounds: numbers are the medians of the rounds',
    the ratio the median of the rounds' ratios, with their spread."""
    f = dict(rounds[-1])
    for k, v in rounds[-1].items():
        vals = [g[k] for g in rounds if isinstance(g.get(k), (int, float)) and not isinstance(g.get(k), bool)]
        if k not in ("size", "round") and len(vals) == len(rounds) and vals:
            f[k] = statistics.median(vals)
    rs = [r for r in (ratio(g) for g in rounds) if r is not None]
    if len(rounds) == 1 and isinstance(rounds[0].get("ratios"), list) and rounds[0]["ratios"]:
        rs = rounds[0]["ratios"] # a figure that ran its own rounds (outbox_drain)
    f["rounds"] = max(len(rounds), len(rs))
    f["ratio"] = statistics.median(rs) if rs else None
    f["ratio_spread"] = [min(rs), max(rs)] if len(rs) > 1 else None
    ops = [t for t in (per_op_us(g) for g in rounds) if t is not None]
    f["per_op_us"] = statistics.median(ops) if ops else None
    f["per_op_spread"] = [min(ops), max(ops)] if ops else None
    f.pop("round", None)
    return f

def judge(f):
    desc, _, check = TARGETS.get(f["name"], ("-", None, lambda f, r: True))
    f["target"] = desc
    try:
        f["result"] = "PASS" if check(f, f["ratio"]) else "MISS"
    except (TypeError, KeyError):
        f["result"] = "MISS"
    return f

lines = []
for line in sys.stdin:
    line = line.strip()
    if line.startswith("{"):
        try:
            lines.append(json.loads(line))
        except ValueError:
            print("report: not a figure: %s" % line[:80], file=sys.stderr)

# Group: per-size figures by (size, name), the others by name, in first-seen order.
groups, order = {}, []
for f in lines:
    key = (f.get("size"), f["name"])
    if key not in groups:
        groups[key] = []
        order.append(key)
    groups[key].append(f)
figures = [judge(merge(groups[k])) for k in order]

def num(v):
    if v is None:
        return "-"
    return "%.3g" % v if abs(v) < 1000 else "%.0f" % v

def spread(s):
    return "-" if not s else "%s-%s" % (num(s[0]), num(s[1]))

HEAD = "%-20s %-6s %10s %10s %10s %7s %11s  %-28s %s"
def table(title, rows):
    print(title)
    print(HEAD % ("figure", "unit", "median", "p99", "floor", "ratio", "spread", "target", "result"))
    for f in rows:
        print(HEAD % (f["name"], f["unit"], num(f["median"]), num(f.get("p99")), num(f.get("floor")),
                      num(f["ratio"]), spread(f["ratio_spread"]), f["target"], f["result"]))
        if isinstance(f.get("card_view"), (int, float)):
            # the swipe's whole card view, read right after the decision: beside it
            print(HEAD % ("  card_view", f["unit"], num(f["card_view"]), num(f.get("card_view_p99")),
                          num(f.get("floor")), num(f["card_view"] / f["floor"]) if f.get("floor") else "-",
                          "-", "the rest of the swipe", "(shown)"))
    print()

sizes = sorted({f["size"] for f in figures if f.get("size") is not None})
for n in sizes:
    rows = [f for f in figures if f.get("size") == n]
    table("%d customers (median of %d rounds; spread: the rounds' ratios)" % (n, max(f["rounds"] for f in rows)), rows)
others = [f for f in figures if f.get("size") is None]
if others:
    table("at %s customers, once" % (num(sizes[-1]) if sizes else "-"), others)

# How cost grows: time per operation against customers; a figure whose time
# grows faster than log n from one size to the next is named.
names = []
for f in figures:
    if f.get("size") is not None and f["per_op_us"] is not None and f["name"] not in names:
        names.append(f["name"])
curve = {nm: [(f["size"], f["per_op_us"], f["per_op_spread"]) for f in figures
              if f["name"] == nm and f.get("size") is not None and f["per_op_us"]]
         for nm in names}
faster = []
if len(sizes) > 1 and names:
    print("How cost grows: time per operation (import: per row), median of the rounds [their spread]")
    print("%-20s " % "figure" + " ".join("%20s" % ("%d" % n) for n in sizes) + "   growth (log n allows)")
    for nm in names:
        pts = dict((n, (t, s)) for n, t, s in curve[nm])
        cells = []
        for n in sizes:
            if n in pts:
                t, s = pts[n]
                cells.append("%20s" % ("%s us [%s]" % (num(t), spread(s))))
            else:
                cells.append("%20s" % "-")
        growth = []
        seq = [(n, pts[n][0]) for n in sizes if n in pts]
        for (n1, t1), (n2, t2) in zip(seq, seq[1:]):
            g, allowed = t2 / t1, math.log(n2) / math.log(n1)
            growth.append("x%.2f (%.2f)" % (g, allowed))
            if g > allowed:
                faster.append("%s: x%.2f from %d to %d customers (log n: x%.2f)" % (nm, g, n1, n2, allowed))
        print("%-20s " % nm + " ".join(cells) + "   " + ", ".join(growth))
    if faster:
        print("faster than log n: " + "; ".join(faster))
    else:
        print("faster than log n: none")
    print()

if svg_path and len(sizes) > 0 and names:
    gp = shutil.which("gnuplot")
    if not gp:
        print("report: gnuplot not found (make deps installs gnuplot-nox): no %s" % svg_path)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            plots = []
            for i, nm in enumerate(names):
                path = "%s/%d.dat" % (tmp, i)
                with open(path, "w") as fh:
                    for n, t, s in curve[nm]:
                        fh.write("%d %g %g %g\n" % (n, t, s[0], s[1]))
                plots.append("'%s' using 1:2:3:4 with yerrorlines title '%s'" % (path, nm))
            script = "\n".join([
                "set terminal svg size 900,560 dynamic font 'sans,12' noenhanced",
                "set output '%s'" % svg_path,
                "set title 'forecourt: time per operation against customers (median of the rounds, bars: their spread)'",
                "set logscale xy 10",
                "set xlabel 'customers'", "set ylabel 'microseconds per operation (import: per row)'",
                "set xrange [%g:%g]" % (sizes[0] / 2, sizes[-1] * 2),
                "set key outside right", "set grid",
                "set format x '%.0s%c'",
                "plot " + ", ".join(plots), ""])
            r = subprocess.run([gp], input=script, text=True, capture_output=True)
            if r.returncode == 0:
                print("curves written to %s" % svg_path)
            else:
                print("report: gnuplot failed: %s" % r.stderr.strip()[:300])

with open(out_path, "w") as fh:
    json.dump({"figures": figures, "faster_than_log_n": faster}, fh, indent=1)
print("results written to %s" % out_path)
