#!/usr/bin/env bash
# master_stream.sh — the master pull is read as it arrives, with its own
# timeouts: `forecourt sync --once` against a master body of about 100 MB
# (2 000 customers of 50 KB each, all already held) peaks far below the
# body's size; a pull that trickles in over longer than [upload] timeout_s
# (the records' timeout) is applied, its total time sized to its data; a
# pull that stalls halfway is given up after [upload] master_stall_s with
# "stalled", and nothing of it is applied.
. "$(dirname "$0")/upload_lib.sh"

rx_start
"$FC" --db "$DB" init >/dev/null || fail "init"
# 2 000 customers, each with a 50 KB address: first from a file, then the
# same rows as head office's master lines (nothing in them changes)
"$PY" - "$T/big.ndjson" "$T/big-master.ndjson" <<'EOF'
import json, sys
with open(sys.argv[1], "w") as imp, open(sys.argv[2], "w") as pull:
    for i in range(2000):
        row = {"code": "M%05d" % i, "name": "Customer %d" % i, "nature": "individual",
               "industry": "other", "points": str(i), "address": ("%05d-" % i) * 8500}
        imp.write(json.dumps(row) + "\n")
        pull.write(json.dumps(dict(kind="customer", **row)) + "\n")
    pull.write('{"kind":"version","version":"big-1"}\n')
EOF
"$FC" --db "$DB" import customers "$T/big.ndjson" >"$T/import.log" 2>&1 || fail "import: $(cat "$T/import.log")"
body=$(stat -c %s "$T/big-master.ndjson")
[ "$body" -gt 100000000 ] || fail "the master body is only $body bytes"

# peak_kib CMD...: run CMD, print its exit status and peak RSS in KiB.
peak_kib() {
	"$PY" -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:], stdout=sys.stderr)
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}

# pull_600 FILE CODE NAME FILL VERSION: a master pull of 600 big taxi
# customers (codes CODE00000.., names "NAME 0".., a contact of 1000 FILLs),
# then its version line.
pull_600() {
	"$PY" - "$@" <<'EOF'
import json, sys
path, code, name, fill, version = sys.argv[1:]
with open(path, "w") as f:
    for i in range(600):
        f.write(json.dumps({"kind": "customer", "code": code + "%05d" % i, "name": name + " %d" % i,
                            "nature": "big", "industry": "taxi", "contact": fill * 1000}) + "\n")
    f.write('{"kind":"version","version":"%s"}\n' % version)
EOF
}

write_conf "$RX_PORT"
rx_ctl "master=$T/big-master.ndjson"
# ASan keeps freed memory aside (quarantine, 256 MB by default): a little
# here, so the peak is the program's own
read -r rc kib < <(ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=8" \
	peak_kib "$FC" --config "$T/fc.conf" --db "$DB" sync --once 2>"$T/big.log")
[ "$rc" = 0 ] || fail "sync of the big pull: $(cat "$T/big.log")"
grep -q "master data version big-1 (2000 lines)" "$T/big.log" || fail "big pull: $(cat "$T/big.log")"
[ "$kib" -lt $((body / 1024 / 2)) ] ||
	fail "sync --once peaked at $kib KiB for a $((body / 1024)) KiB master body"
ok "a $((body / 1024 / 1024)) MB master body read as it came: sync --once peaked at $((kib / 1024)) MB"

# A pull that trickles in for about 4 s, longer than timeout_s = 1, with
# the default master timeouts (60 s + 1 s per 64 KiB; stalled under 1 KiB/s
# for 30 s): applied.
pull_600 "$T/slow.ndjson" S Slow x slow-1
rx_ctl "master=$T/slow.ndjson&master_drip=4"
fc sync --once 2>"$T/slow.log" || fail "a slow pull was given up: $(cat "$T/slow.log")"
[ "$(q "$DB" "SELECT count(*) FROM customers WHERE code LIKE 'S%'")" = 600 ] || fail "slow pull not applied"
[ "$(q "$DB" "SELECT value FROM meta WHERE key = 'master_version'")" = slow-1 ] || fail "slow pull: version"
ok "a pull trickling in over 4 s (timeout_s = 1) applied: its time is sized to its data"

# A pull that stalls after 300 000 bytes: given up after master_stall_s.
pull_600 "$T/stall.ndjson" T Stall y stall-1
write_conf "$RX_PORT" "master_stall_s = 2"
rx_ctl "master=$T/stall.ndjson&master_drip=0&master_stall=300000"
if fc sync --once 2>"$T/stall.log"; then fail "a stalled pull was applied"; fi
grep -q "stalled: under 1024 bytes/s for 2 s (\[upload\] master_stall_s)" "$T/stall.log" ||
	fail "stalled pull: $(cat "$T/stall.log")"
[ "$(q "$DB" "SELECT count(*) FROM customers WHERE code LIKE 'T%'")" = 0 ] || fail "a stalled pull changed something"
[ "$(q "$DB" "SELECT value FROM meta WHERE key = 'master_version'")" = slow-1 ] || fail "stalled pull: version"
ok "a pull stalled after 300 000 bytes given up (under 1 KiB/s for master_stall_s = 2 s); nothing applied"
