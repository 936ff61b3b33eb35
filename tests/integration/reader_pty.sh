#!/usr/bin/env bash
# reader_pty.sh — `forecourt reader-test` against real ptys (ptyfeed): the
# termios fallback, the libserialport path, unplug/replug, and tcp:// over
# loopback; each run ends with its counters.
#
# libserialport 0.1.1 cannot open a pty (no sysfs entry, no TIOCMGET), so the
# libserialport run preloads tests/shim/pty_serial.so, which answers exactly
# those calls for ptys (see the comment at its top).  ASan wants to be first
# in the library list; verify_asan_link_order=0 lets the shim go before it.
. "$(dirname "$0")/../lib.sh"
FEED=$FORECOURT_BUILD/tests/tools/ptyfeed
SHIM=$FORECOURT_BUILD/tests/shim/pty_serial.so
[ -x "$FEED" ] && [ -f "$SHIM" ] || fail "build the tests first (ptyfeed, pty_serial.so)"

has() { grep -qF -- "$2" "$1"; }
count() { grep -cF -- "$2" "$1"; }
# has_n FILE N TEXT: TEXT is on at least N lines of FILE.
has_n() { [ "$(count "$1" "$3")" -ge "$2" ]; }

# start_feed NAME: a pty whose slave is linked at $T/NAME.tty, commands from
# the fifo $T/NAME.cmd.
start_feed() {
	[ -p "$T/$1.cmd" ] || mkfifo "$T/$1.cmd"
	"$FEED" "$T/$1.tty" "$T/$1.cmd" >"$T/$1.feed" 2>&1 &
	BG_PIDS+=($!)
	wait_for 20 has "$T/$1.feed" ready || fail "ptyfeed $1 did not start"
}
feed() { echo "$2" >"$T/$1.cmd"; }

# stop PID OUT: Ctrl-C the reader-test and check it printed its counters.
stop() {
	kill -INT "$1"
	wait "$1" || fail "reader-test exited with $?: $(cat "$2")"
	has "$2" "frames ok" || fail "no counters at the end: $(cat "$2")"
}

# 1. termios fallback: a plain pty, a card, a bad checksum, a repeat (the
# config's 10 s debounce window keeps a loaded machine from splitting it).
printf '[reader]\nport = sim\ndebounce_ms = 10000\n' >"$T/reader.conf"
start_feed a
"$FC" --config "$T/reader.conf" reader-test --port "$T/a.tty" --protocol em4100 >"$T/a.out" 2>&1 &
pid=$!
BG_PIDS+=("$pid")
wait_for 20 has "$T/a.out" "reader connected" || fail "not connected: $(cat "$T/a.out")"
has "$T/a.out" "via termios" || fail "expected the termios transport: $(cat "$T/a.out")"
has "$T/a.out" "libserialport refused it" || fail "the fallback is not explained: $(cat "$T/a.out")"
feed a "card 62E3086CED"
wait_for 20 has "$T/a.out" "card 62E3086CED  8H10D 3808980205  W26 008,27885" ||
	fail "card not shown: $(cat "$T/a.out")"
feed a "raw 02 $(printf '62E3086CED09' | xxd -p) 03"
wait_for 20 has "$T/a.out" "error: em4100: bad checksum" || fail "bad checksum not shown: $(cat "$T/a.out")"
feed a "card 62E3086CED"  # held on the reader: one swipe
feed a "card 0102030405"
wait_for 20 has "$T/a.out" "card 0102030405" || fail "second card not shown: $(cat "$T/a.out")"
stop $pid "$T/a.out"
has "$T/a.out" "frames ok 3, bad checks 1, resyncs 0, timeouts 0, debounced repeats 1" ||
	fail "counters: $(tail -1 "$T/a.out")"
[ "$(count "$T/a.out" "card 62E3086CED ")" = 1 ] || fail "the repeat was shown: $(cat "$T/a.out")"
feed a quit
ok "termios: card with renderings, bad checksum, debounce, counters"

# 2. libserialport (through the shim), unplug and replug on the same link.
start_feed b
LD_PRELOAD=$SHIM ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" \
	"$FC" reader-test --port "$T/b.tty" >"$T/b.out" 2>&1 &
pid=$!
BG_PIDS+=("$pid")
wait_for 20 has "$T/b.out" "reader connected" || fail "not connected: $(cat "$T/b.out")"
has "$T/b.out" "via libserialport, 9600 8N1" || fail "expected libserialport: $(cat "$T/b.out")"
feed b "card 62E3086CED"
wait_for 20 has "$T/b.out" "card 62E3086CED" || fail "card not shown: $(cat "$T/b.out")"
# a second kiosk on the same reader is refused (flock), not given half the bytes,
# and refused before it configures the port: a setting of the port in use
# (onlcr: output only, the reader never writes) is still there afterwards
stty -F "$T/b.tty" onlcr || fail "stty onlcr"
LD_PRELOAD=$SHIM ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" \
	"$FC" reader-test --port "$T/b.tty" >"$T/b2.out" 2>&1 &
pid2=$!
BG_PIDS+=("$pid2")
wait_for 20 has "$T/b2.out" "in use by another process" || fail "second open not refused: $(cat "$T/b2.out")"
stty -F "$T/b.tty" -a | grep -qw -- -onlcr &&
	fail "the refused second reader configured the port in use: $(stty -F "$T/b.tty" -a)"
ok "a second reader is refused before it touches the port's settings"
kill -INT "$pid2"
wait "$pid2"; rc=$?
[ $rc -eq 1 ] || fail "refused second reader-test: exit $rc, want 1: $(cat "$T/b2.out")"
has "$T/b2.out" "the reader never connected (reader disconnected: " ||
	fail "refused second reader-test does not say so: $(cat "$T/b2.out")"
feed b "raw 02 36 32"   # a partial frame, then the unplug
feed b quit             # ptyfeed closes the master: the reader is gone
wait_for 10 has "$T/b.out" "reader disconnected" || fail "unplug not shown: $(cat "$T/b.out")"
start_feed b            # a new pty behind the same link
wait_for 10 has_n "$T/b.out" 2 "reader connected" || fail "replug not seen: $(cat "$T/b.out")"
feed b "card 0102030405"
wait_for 20 has "$T/b.out" "card 0102030405" || fail "card after replug not shown: $(cat "$T/b.out")"
stop $pid "$T/b.out"
has "$T/b.out" "frames ok 2, bad checks 0" || fail "counters: $(tail -1 "$T/b.out")"
feed b quit
ok "libserialport: card, second kiosk refused, unplug, replug on the same link, card"

# 3. tcp:// to a loopback "device server" sending one stx-bcc frame.
python3 - >"$T/port" <<'PY' &
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
c.sendall(bytes.fromhex("020A0206008E6D5DB003"))
c.recv(1)
PY
BG_PIDS+=($!)
srv=$!
wait_for 20 test -s "$T/port" || fail "listener did not start"
"$FC" reader-test --port "tcp://127.0.0.1:$(cat "$T/port")" --protocol stx-bcc >"$T/c.out" 2>&1 &
pid=$!
BG_PIDS+=("$pid")
wait_for 20 has "$T/c.out" "card 06008E6D5D  8H10D 0009334109  W26 142,27997" ||
	fail "tcp card not shown: $(cat "$T/c.out")"
kill $srv
wait_for 20 has "$T/c.out" "reader disconnected" || fail "tcp drop not shown: $(cat "$T/c.out")"
stop $pid "$T/c.out"
ok "tcp: card over loopback, drop reported"

# 3b. tcp:// by name: the name is resolved off the main thread and each of
# its addresses is tried.  The shim resolves reader.test to 127.0.0.2 (no
# listener: refused) then 127.0.0.1, and fails when asked on the main thread.
RESOLVE_SHIM=$FORECOURT_BUILD/tests/shim/reader_resolve.so
[ -f "$RESOLVE_SHIM" ] || fail "build the tests first (reader_resolve.so)"
rm -f "$T/port"
python3 - >"$T/port" <<'PY' &
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
c.sendall(bytes.fromhex("020A0206008E6D5DB003"))
c.recv(1)
PY
BG_PIDS+=($!)
srv=$!
wait_for 20 test -s "$T/port" || fail "listener did not start"
LD_PRELOAD=$RESOLVE_SHIM ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" \
	"$FC" reader-test --port "tcp://reader.test:$(cat "$T/port")" --protocol stx-bcc >"$T/e.out" 2>&1 &
pid=$!
BG_PIDS+=("$pid")
wait_for 20 has "$T/e.out" "card 06008E6D5D" ||
	fail "tcp by name: no card (resolved on the main thread, or only the first address tried): $(cat "$T/e.out")"
kill $srv
wait_for 20 has "$T/e.out" "reader disconnected" || fail "tcp drop not shown: $(cat "$T/e.out")"
stop $pid "$T/e.out"
ok "tcp by name: resolved off the main thread, the refused first address passed over, card shown"

# 4. bad input: a clear message and exit 2.
"$FC" reader-test --port "tcp://nohost" >"$T/d.out" 2>&1; rc=$?
[ $rc -eq 2 ] || fail "bad port: exit $rc"
has "$T/d.out" "expected tcp://host:port" || fail "bad port message: $(cat "$T/d.out")"
"$FC" reader-test --port sim --protocol wiegand >"$T/d.out" 2>&1; rc=$?
[ $rc -eq 2 ] || fail "unknown protocol: exit $rc"
has "$T/d.out" "unknown protocol 'wiegand'" || fail "protocol message: $(cat "$T/d.out")"
ok "bad port and protocol refused with exit 2"
"$FC" reader-test --port "$T/no-such-tty" --seconds 1 >"$T/e.out" 2>&1; rc=$?
[ $rc -eq 1 ] || fail "a reader that never connected: exit $rc: $(cat "$T/e.out")"
has "$T/e.out" "the reader never connected" || fail "never-connected message: $(cat "$T/e.out")"
ok "a port with no reader for the whole run: exit 1, '$(grep -o 'the reader never connected.*' "$T/e.out")'"
