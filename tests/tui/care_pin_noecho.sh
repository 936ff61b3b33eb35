#!/usr/bin/env bash
# care_pin_noecho.sh — `forecourt staff add` on a terminal asks for the PIN
# twice without echoing it, and the member can then log in with it.
. "$(dirname "$0")/../lib.sh"

printf '[station]\nid = S0042\n[auth]\npepper_file = %s/pepper\n' "$T" >"$T/fc.conf"
"$FC" --config "$T/fc.conf" --db "$T/fc.db" init >/dev/null || fail "init"
tui_start add 80 10 sh -c "ASAN_OPTIONS='$ASAN_OPTIONS' '$FC' --config '$T/fc.conf' --db '$T/fc.db' \
	staff add A1 Li admin; echo \"exit=\$?\"; cat"
tui_wait add 10 "new PIN for A1:" || fail "no PIN prompt"
tui_keys add -l 864213
tui_keys add Enter
tui_wait add 10 "new PIN for A1 again:" || fail "no second prompt"
tui_keys add -l 864213
tui_keys add Enter
tui_wait add 10 "exit=0" || fail "staff add failed"
tui_screen add | grep -qF "864213" && fail "the PIN was echoed"
tui_wait add 10 "staff A1 (Li, admin) added" || fail "no confirmation"
printf '864213\n' | "$FC" --config "$T/fc.conf" --db "$T/fc.db" staff login A1 >/dev/null ||
	fail "the PIN typed on the terminal does not log in"
ok "PIN typed twice without echo, then logs in"
