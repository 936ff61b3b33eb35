#!/usr/bin/env bash
# upload_dead_escaped.sh — what head office says about a dead letter reaches
# the terminal with its control characters escaped: a rejection message of a
# 200 answer and the body of a batch refused as a whole, both full of escape
# sequences, line breaks, a NUL, a bell and a right-to-left override, are
# shown by `outbox dead` (text and --json) and `outbox status` as \x1B,
# \n, \x00, \u202E ..., one line per dead letter, and stored bounded.
. "$(dirname "$0")/upload_lib.sh"

rx_start
write_conf "$RX_PORT"
fill 10 --invalid-every 10   # seq 10: rejected in a 200 answer
poison=$(q "$DB" "SELECT id FROM outbox WHERE seq = 5")
enc() { "$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
nasty=$'red \e[31mALERT\e[0m\r\nsecond line\a \u202Egnp.exe'
rx_ctl "reject_message=$(enc "$nasty")"
body=$'{"error":"\e]2;pwned\a\e[2J"}\x01'
rx_ctl "refuse_id=$poison&refuse_status=422&refuse_body=$(enc "$body")%00$(enc "$(printf 'x%.0s' $(seq 2000))")"

fc sync --once 2>"$T/sync.err" || fail "sync: $(cat "$T/sync.err")"
[ "$(q "$DB" "SELECT group_concat(seq) FROM outbox WHERE state = 'dead'")" = "5,10" ] ||
	fail "dead letters: $(q "$DB" "SELECT seq, state FROM outbox WHERE state <> 'sent'")"

# no control byte but the line ends, one line per dead letter and the count
has_controls() { LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$1" || grep -q $'\u202e' "$1"; }
fc outbox dead >"$T/dead.txt" || fail "outbox dead"
has_controls "$T/dead.txt" && fail "outbox dead prints control characters: $(cat -v "$T/dead.txt")"
[ "$(wc -l <"$T/dead.txt")" = 3 ] || fail "outbox dead: $(cat -v "$T/dead.txt")"
grep -qF 'invalid_payload: red \x1B[31mALERT\x1B[0m\r\nsecond line\x07 \u202Egnp.exe' "$T/dead.txt" ||
	fail "rejection message: $(cat -v "$T/dead.txt")"
grep -qF 'http_422: {"error":"\x1B]2;pwned\x07\x1B[2J"}\x01\x00xxx' "$T/dead.txt" ||
	fail "refusal body: $(cat -v "$T/dead.txt")"
[ "$(q "$DB" "SELECT max(length(message)) <= 512 FROM dead_letters")" = 1 ] ||
	fail "a 2 KiB body stored whole: $(q "$DB" "SELECT length(message) FROM dead_letters")"
grep -q 'xxx\.\.\.$' "$T/dead.txt" || fail "the long body is not marked cut: $(tail -c 80 "$T/dead.txt")"
ok "outbox dead: $(grep -o 'invalid_payload.*' "$T/dead.txt" | cut -c1-70)…"

fc outbox dead --json >"$T/dead.json" || fail "outbox dead --json"
has_controls "$T/dead.json" && fail "outbox dead --json prints control characters"
"$PY" - "$T/dead.json" <<'EOF' || fail "dead --json: $(cat "$T/dead.json")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["seq"] for r in rows] == [5, 10], rows
for r in rows:
    for k in ("code", "message"):
        # decoded, the text still has no control character: escaped, not just JSON-quoted
        assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or c == "\u202e" for c in r[k]), r
assert rows[1]["message"].startswith("red \\x1B[31mALERT"), rows[1]
assert rows[0]["code"] == "http_422" and rows[0]["message"].startswith('{"error":"\\x1B]2;pwned'), rows[0]
EOF
ok "outbox dead --json: control characters escaped in the decoded strings too"

fc outbox status >"$T/status.txt"
has_controls "$T/status.txt" && fail "outbox status prints control characters: $(cat -v "$T/status.txt")"
# the newer of the two (they may share a second): either is escaped
grep -qE '^refused: +head office refuses record .*\((invalid_payload: red \\x1B\[31mALERT|HTTP 422: \{"error":"\\x1B\]2;pwned)' "$T/status.txt" ||
	fail "status: $(cat -v "$T/status.txt")"
ok "outbox status: $(grep '^refused:' "$T/status.txt" | cut -c16-100)…"
