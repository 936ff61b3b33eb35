#!/usr/bin/env python3
# keyturn.py — checks that a kiosk running in tmux answers each key press in
# the key's own turn of its event loop, not in a later one (a tick, a status
# refresh): no clock involved, so a loaded machine cannot make it fail.
#
# For each press: send the key, wait for the kiosk's `key` line in its
# FORECOURT_UI_TRACE file (written after that turn's screen update), freeze
# the kiosk (SIGSTOP) and make sure the key turn is the last thing it did: no
# trace line after it, and (where /proc tells) its main thread is back in
# poll(), between turns.  Then the answer must reach the screen while the
# kiosk is frozen: only what the key turn wrote can.  A press where another
# turn got in first is "inconclusive" (it cannot show anything): the kiosk is
# let go and the answer awaited; it is counted, not failed.
#
# Prints "PRESSES CONCLUSIVE"; exits 1 when an answer is not drawn in its turn.
import argparse, os, platform, signal, subprocess, sys, time

p = argparse.ArgumentParser()
p.add_argument("--socket", required=True)
p.add_argument("--target", required=True)
p.add_argument("--pid", type=int, required=True, help="the kiosk's pid")
p.add_argument("--trace", required=True, help="the kiosk's FORECOURT_UI_TRACE file")
p.add_argument("--press", action="append", required=True,
               help="KEY=TEXT: send KEY; its answer shows TEXT")
p.add_argument("--while-cmd", help="keep pressing while this shell command exits 0")
p.add_argument("--presses", type=int, default=20, help="most key presses")
p.add_argument("--deadline", type=float, default=30.0,
               help="seconds to wait for anything that must happen (not a speed limit)")
a = p.parse_args()

pairs = []
for spec in a.press:
    key, sep, text = spec.partition("=")
    if not sep or not text:
        sys.exit("keyturn: --press wants KEY=TEXT, got %r" % spec)
    pairs.append((key, text))

# poll() as the kiosk's loop calls it, by machine: (poll, ppoll) numbers.
POLL_SYSCALLS = {"x86_64": {"7", "271"}, "aarch64": {"73"}}.get(platform.machine())


def tmux(*args):
    return subprocess.run(["tmux", "-L", a.socket] + list(args), capture_output=True,
                          text=True, check=True).stdout


def on_screen(text):
    return text in tmux("capture-pane", "-p", "-t", a.target)


def trace_size():
    return os.path.getsize(a.trace)


def until(cond, what):
    end = time.monotonic() + a.deadline
    while not cond():
        if time.monotonic() > end:
            sys.exit("keyturn: %s (waited %.0f s)" % (what, a.deadline))
        time.sleep(0.0005)  # polling, not synchronisation


def key_line_end(start):
    """Offset just past the first `key` line written after start, or None."""
    with open(a.trace, "rb") as f:
        f.seek(start)
        data = f.read()
    at = 0
    for line in data.split(b"\n")[:-1]:  # complete lines only
        at += len(line) + 1
        if line.startswith(b"key "):
            return start + at
    return None


def stopped():
    with open("/proc/%d/stat" % a.pid) as f:
        return f.read().rsplit(")", 1)[1].split()[0] == "T"


def between_turns():
    """True/False when /proc tells whether the main thread sits in poll()."""
    if POLL_SYSCALLS is None:
        return None
    try:
        with open("/proc/%d/syscall" % a.pid) as f:
            return f.read().split()[0] in POLL_SYSCALLS
    except (OSError, IndexError):
        return None


def press(key, text):
    """True when checked in the frozen kiosk, False when inconclusive."""
    if on_screen(text):
        sys.exit("keyturn: %r is on the screen before %s is pressed" % (text, key))
    start = trace_size()
    tmux("send-keys", "-t", a.target, key)
    end_of_key = None
    until(lambda: key_line_end(start) is not None, "%s: no key turn in the trace" % key)
    os.kill(a.pid, signal.SIGSTOP)
    try:
        until(stopped, "the kiosk did not stop")
        end_of_key = key_line_end(start)
        idle = between_turns()
        conclusive = trace_size() == end_of_key and idle is not False
        if conclusive:
            until(lambda: on_screen(text),
                  "%s: %r not drawn by the key's own turn (the kiosk, frozen after it, never showed it)"
                  % (key, text))
    finally:
        os.kill(a.pid, signal.SIGCONT)
    if not conclusive:
        until(lambda: on_screen(text), "%s: %r never drawn" % (key, text))
    return conclusive


presses = conclusive = 0
while presses < a.presses:
    if a.while_cmd and subprocess.run(a.while_cmd, shell=True).returncode != 0:
        break
    for key, text in pairs:
        presses += 1
        conclusive += press(key, text)
print("%d %d" % (presses, conclusive))
