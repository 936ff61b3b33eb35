#!/usr/bin/env bash
# tests/tui/kiosk_logs.sh — what the station logs, read from the test builds'
# log sink (FORECOURT_LOG_FILE, src/base/log.h) instead of syslog: the card
# reader's connect, faults and disconnect from the kiosk's loop, a blocked
# card presented (masked), a database error, each with the station id in
# the ident and the right priority; and nowhere in the log a PIN, the
# upload token, the pepper or a full card number.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

export FORECOURT_LOG_FILE=$T/station.log
LOG=$FORECOURT_LOG_FILE
tui_fixture "$T" "$T/reader" en || fail "fixture"
# An upload token, and a head office that is not there: the uploader fails.
TOKEN=tok-$$-9f8e7d6c5b4a
printf '%s\n' "$TOKEN" >"$T/token"
chmod 600 "$T/token"
printf '[upload]\nurl = http://127.0.0.1:%s\ntoken_file = %s\nconnect_timeout_s = 1\n' \
	"$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')" \
	"$T/token" >>"$T/fc.conf"
fc() { "$FC" --config "$T/fc.conf" --db "$T/st.db" "$@"; }
ADMIN_PIN=482913 HEAD_PIN=736150 WRONG_PIN=551177
printf '%s\n%s\n' $ADMIN_PIN $ADMIN_PIN | fc staff add A1 Li admin >/dev/null || fail "first admin"
printf '%s\n%s\n%s\n' $ADMIN_PIN $HEAD_PIN $HEAD_PIN | fc staff add H1 Wang head --as A1 >/dev/null ||
	fail "add head"
printf '%s\n' $WRONG_PIN | fc staff login H1 >/dev/null 2>&1 && fail "a wrong PIN logged in"
printf '%s\n' $HEAD_PIN | fc staff login H1 >/dev/null || fail "right PIN refused"

has() { grep -qF -- "$1" "$LOG"; }
# line PRIORITY TEXT: a line of that priority from this station with TEXT.
line() { grep -E "^$1 forecourt/S0001\[[0-9]+\]: " "$LOG" | grep -qF -- "$2"; }

feed_start "$T" || fail "ptyfeed"
kiosk_start k "$T"
tui_wait k 15 "reader: connected" || fail "reader not connected"
wait_for 30 has "reader connected: " || fail "connect not logged: $(cat "$LOG")"
line notice "reader connected: /dev/pts/" || fail "connect: $(grep 'reader connected' "$LOG")"
ok "reader connect logged at notice: $(grep -o 'reader connected: .*' "$LOG" | head -1)"

printf 'raw 02 30 41 31 42 32 43 33 44 30 31 46 46 03\n' >"$T/feed" # bad checksum
wait_for 30 has "reader fault: " || fail "fault not logged: $(cat "$LOG")"
line warning "reader fault: em4100: bad checksum, frame dropped" ||
	fail "fault: $(grep 'reader fault' "$LOG")"
ok "reader fault logged at warning"

swipe "$T" "$CARD_DIAMOND"
tui_wait k 10 "Diamond" || fail "diamond card not shown: $(tui_screen k)"
tui_keys k Escape
swipe "$T" "$CARD_BLOCKED"
tui_wait k 10 "BLOCKED CARD" || fail "blocked card not shown: $(tui_screen k)"
wait_for 30 has "blocked card " || fail "blocked card not logged: $(cat "$LOG")"
line warning "blocked card ****3D04 presented (swipe): customer S0001-B-PT-000004, reported stolen" ||
	fail "blocked card: $(grep 'blocked card' "$LOG")"
ok "blocked card logged at warning, masked: $(grep -o 'blocked card .*' "$LOG")"

printf 'quit\n' >"$T/feed" # the reader is unplugged ...
wait_for 30 has "reader disconnected: " || fail "disconnect not logged: $(cat "$LOG")"
line warning "reader disconnected: " || fail "disconnect: $(grep 'reader disconnected' "$LOG")"
wait_for 30 sh -c '! test -e "$1"' _ "$T/reader" || fail "ptyfeed did not quit"
rm -f "$T/feed"
feed_start "$T" || fail "ptyfeed again" # ... and plugged in again
wait_for 30 sh -c '[ "$(grep -c "reader connected: " "$1")" -ge 2 ]' _ "$LOG" ||
	fail "reconnect not logged: $(cat "$LOG")"
ok "reader disconnect (warning) and reconnect (notice) logged"
kiosk_quit k "$T" || fail "kiosk quit"

# A database error: a file that is not a database.
printf 'this is not a database, only text that fills the header page ......\n' >"$T/bad.db"
"$FC" --config "$T/fc.conf" --db "$T/bad.db" lookup "$CARD_DIAMOND" >/dev/null 2>&1 &&
	fail "a garbage database was used"
line crit "database error: setting up the database: file is not a database" ||
	fail "database error not logged at crit: $(cat "$LOG")"
ok "database error logged at crit"

# Every line is the station's, and no secret and no full card id is in it.
bad=$(grep -vE '^(emerg|alert|crit|err|warning|notice|info|debug) forecourt/S0001\[[0-9]+\]: ' "$LOG")
[ -z "$bad" ] || fail "lines without the station's ident: $bad"
pepper_hex=$(od -An -tx1 "$T/pepper" | tr -d ' \n')
pepper_b64=$(base64 -w0 "$T/pepper")
for secret in $ADMIN_PIN $HEAD_PIN $WRONG_PIN "$TOKEN" "$pepper_hex" "$pepper_b64" \
	"$CARD_DIAMOND" "$CARD_BLOCKED"; do
	! grep -qiF -- "$secret" "$LOG" || fail "the log holds a secret or a full card id: $(grep -iF -- "$secret" "$LOG")"
done
ok "$(wc -l <"$LOG") log lines, all with the station id; no PIN, token, pepper or full card id"
