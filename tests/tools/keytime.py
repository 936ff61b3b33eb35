#!/usr/bin/env python3
# keytime.py — times key presses of a kiosk running in tmux: the time from
# `tmux send-keys` until the answer's bytes leave the kiosk (tmux pipe-pane
# copies the pane's raw output to a file; capture-pane only to read the
# screen when new output came without the text in one piece).
# Prints "median worst n" in ms; every sample goes to --samples.  A figure of
# `make bench` (tests/bench/key_drain.sh), never a limit in `make check`
# (there tests/tools/keyturn.py checks each answer is drawn in its key's turn).
import argparse, os, statistics, subprocess, sys, time

p = argparse.ArgumentParser()
p.add_argument("--socket", required=True)
p.add_argument("--target", required=True)
p.add_argument("--out", required=True, help="file that tmux pipe-pane appends to")
p.add_argument("--press", action="append", required=True,
               help="KEY=TEXT: send KEY, wait until TEXT is in the output")
p.add_argument("--while-cmd", help="keep pressing while this shell command exits 0")
p.add_argument("--presses", type=int, default=20, help="most key presses")
p.add_argument("--samples", required=True)
p.add_argument("--deadline", type=float, default=30.0,
               help="seconds to wait for each answer (against a hang, not a limit)")
a = p.parse_args()

pairs = []
for spec in a.press:
    key, sep, text = spec.partition("=")
    if not sep or not text:
        sys.exit("keytime: --press wants KEY=TEXT, got %r" % spec)
    pairs.append((key, text.encode()))


def size():
    try:
        return os.path.getsize(a.out)
    except FileNotFoundError:
        return 0


def on_screen(text):
    out = subprocess.run(["tmux", "-L", a.socket, "capture-pane", "-p", "-t", a.target],
                         capture_output=True).stdout
    return text in out


def press(key, text):
    """ms from send-keys until the kiosk's answer is out: text in the output
    after the press, or, when curses wrote it in pieces (cells already on the
    screen are skipped), output arrived and the screen shows text."""
    start_at = size()
    t0 = time.monotonic()
    subprocess.run(["tmux", "-L", a.socket, "send-keys", "-t", a.target, key], check=True)
    end = t0 + a.deadline
    seen = b""
    answered = False  # output came after the press, but not the text in one piece
    with open(a.out, "rb") as f:
        f.seek(start_at)
        while True:
            chunk = f.read()
            if chunk:
                seen += chunk
                if text in seen:
                    return (time.monotonic() - t0) * 1000.0
                answered = True
            if answered:
                t1 = time.monotonic()
                if on_screen(text):
                    return (t1 - t0) * 1000.0
            if time.monotonic() > end:
                sys.exit("keytime: %s: %r not drawn within %.0f s" % (key, text.decode(), a.deadline))
            if not chunk:
                time.sleep(0.0005)  # polling the output file, not synchronisation


samples = []
while len(samples) < a.presses:
    if a.while_cmd and subprocess.run(a.while_cmd, shell=True).returncode != 0:
        break
    for key, text in pairs:
        samples.append(press(key, text))
if not samples:
    sys.exit("keytime: no key pressed")
with open(a.samples, "w") as f:
    f.write("".join("%.2f\n" % s for s in samples))
print("%.1f %.1f %d" % (statistics.median(samples), max(samples), len(samples)))
