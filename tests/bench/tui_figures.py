#!/usr/bin/env python3
# tui_figures.py — the figures of `make bench` that need the real kiosk in
# tmux: startup, swipe -> screen (100 swipes over a pty), peak memory after
# 1 000 swipes; each floor measured in the same run the same way.
# Prints one JSON object per figure (times in ms, memory in KiB).
import argparse, fcntl, json, os, pty, select, shutil, signal, sqlite3, statistics, struct, subprocess, sys, termios, time

p = argparse.ArgumentParser()
p.add_argument("--fc", required=True)
p.add_argument("--ptyfeed", required=True)
p.add_argument("--echo", required=True)
p.add_argument("--db", required=True)
p.add_argument("--dir", required=True)
p.add_argument("--swipes", type=int, default=100)
p.add_argument("--mem-swipes", type=int, default=1000)
p.add_argument("--starts", type=int, default=10)
a = p.parse_args()

SOCK = "fc-bench-%d" % os.getpid()
IDLE = "请刷客户卡"


def tmux(*args, check=True):
    return subprocess.run(["tmux", "-L", SOCK] + list(args), check=check,
                          capture_output=True, text=True).stdout


def screen(name):
    return tmux("capture-pane", "-p", "-t", name, check=False)


def wait_text(name, text, deadline_s=20.0):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if text in screen(name):
            return True
        time.sleep(0.001)
    return False


def start(name, cmd):
    tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30",
         "-e", "LANG=C.UTF-8", "-e", "TERM=xterm-256color", *cmd)


def kill(name):
    tmux("kill-session", "-t", name, check=False)


def pane_pid(name):
    return int(tmux("list-panes", "-t", name, "-F", "#{pane_pid}").split()[0])


def conf(port):
    path = os.path.join(a.dir, "bench.conf")
    with open(path, "w") as f:
        f.write("[station]\nid = S0001\nname = bench\n[reader]\nport = %s\n"
                "protocol = em4100\ndebounce_ms = 0\n[ui]\nlocale = zh_CN\n"
                "idle_seconds = 3600\n" % port)
    return path


def emit(name, unit, samples, floor, **extra):
    d = {"name": name, "unit": unit, "median": statistics.median(samples),
         "p99": sorted(samples)[min(len(samples) - 1, int(0.99 * (len(samples) - 1) + 0.5))],
         "worst": max(samples), "floor": statistics.median(floor) if floor else None,
         "n": len(samples)}
    d.update(extra)
    print(json.dumps(d), flush=True)


tmux("start-server", check=False)
try:
    # --- startup: kiosk to the idle screen vs sqlite3 opening the db + one
    # row; both run on a pty of our own (no tmux in the timing), until their
    # text appears in the output stream.
    cfg = conf("sim")

    def timed_start(argv, text):
        pid, fd = pty.fork()
        if pid == 0:
            os.environ["TERM"] = "xterm-256color"
            os.environ["LANG"] = "C.UTF-8"
            os.execv(argv[0], argv)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        t0 = time.monotonic()
        seen = b""
        want = text.encode()
        while want not in seen:
            r, _, _ = select.select([fd], [], [], 20)
            if not r:
                sys.exit("startup: %s never appeared" % text)
            try:
                seen += os.read(fd, 65536)
            except OSError:
                sys.exit("startup: %s exited before %s" % (argv[0], text))
        took = (time.monotonic() - t0) * 1000
        os.kill(pid, signal.SIGTERM)
        try:
            while os.read(fd, 65536):
                pass
        except OSError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
        return took

    sqlite_bin = shutil.which("sqlite3")
    ours, floor = [], []
    for i in range(a.starts):
        ours.append(timed_start([a.fc, "--config", cfg, "--db", a.db], IDLE))
        floor.append(timed_start([sqlite_bin, a.db, "SELECT 'FLOOR' || code FROM customers LIMIT 1"],
                                 "FLOOR"))
    emit("startup", "ms", ours, floor)

    # --- swipe -> screen, over a real pty
    db = sqlite3.connect(a.db)
    cards = db.execute(
        "SELECT c.card_id, u.code FROM cards c JOIN customers u ON u.id = c.customer_id "
        "WHERE c.status = 'active' AND length(c.card_id) = 10 ORDER BY random() LIMIT ?",
        (2 * a.mem_swipes,)).fetchall()
    db.close()
    seen = set()  # one card per customer: a code already on screen would show at once
    cards = [(c, code) for c, code in cards if not (code in seen or seen.add(code))]
    cards = cards[:a.mem_swipes]

    def feeder(name):
        """A pty reader link fed through a fifo: (process, writer, link)."""
        link = os.path.join(a.dir, "reader-" + name)
        fifo = os.path.join(a.dir, "feed-" + name)
        if not os.path.exists(fifo):
            os.mkfifo(fifo)
        proc = subprocess.Popen([a.ptyfeed, link, fifo], stdout=subprocess.PIPE, text=True)
        if proc.stdout.readline().strip() != "ready":
            sys.exit("ptyfeed did not start")
        return proc, open(fifo, "w"), link

    def swipe(w, name, card, text):
        w.write("card %s\n" % card)
        w.flush()
        t0 = time.monotonic()
        if not wait_text(name, text, 10):
            sys.exit("%s: %s never appeared" % (name, text))
        return (time.monotonic() - t0) * 1000

    # Floor and kiosk side by side, swipes alternating, so both see the same
    # machine load (other work on the machine comes and goes).
    efeed, ew, elink = feeder("echo")
    kfeed, kw, klink = feeder("kiosk")
    start("echo", [a.echo, elink])
    if not wait_text("echo", "echo ready"):
        sys.exit("bench_echo never started")
    cfg = conf(klink)
    start("k", [a.fc, "--config", cfg, "--db", a.db])
    if not wait_text("k", IDLE):
        sys.exit("kiosk idle screen never appeared")
    floor, ours = [], []
    for card, code in cards[:a.swipes]:
        floor.append(swipe(ew, "echo", card, "card " + card))
        ours.append(swipe(kw, "k", card, code))
    kill("echo")
    efeed.terminate(); efeed.wait(); ew.close()
    emit("swipe_screen", "ms", ours, floor)

    # --- memory: peak RSS after mem_swipes swipes
    for card, code in cards[a.swipes:a.mem_swipes]:
        swipe(kw, "k", card, code)
    pid = pane_pid("k")
    hwm = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    print(json.dumps({"name": "memory", "unit": "KiB", "median": hwm, "n": len(cards)}), flush=True)
    kill("k")
    kfeed.terminate(); kfeed.wait(); kw.close()
finally:
    tmux("kill-server", check=False)
