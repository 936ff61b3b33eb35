#!/usr/bin/env bash
# first_run.sh — a newcomer's first run from README alone (issue 18): the
# commands of README's "A first run" block, as they stand, typed into a
# shell in a terminal: `make run` (the demo kiosk; F10 quits), the three
# commands that make an admin and a station head with their PINs, `make run`
# again; then F6 logs the head in and F7 opens the demo's complaint book.
# The PIN pepper is the demo's, beside its database: nothing in /etc.
# `make` runs this tree's Makefile on the test's build (BUILD, SAN=1, no
# `deps`) with the demo database in the scratch tree and 300 customers;
# `build/` of the scratch tree is the test's build.
. "$(dirname "$0")/../lib.sh"

SRC=$FORECOURT_SRC
TREE=$T/tree
mkdir -p "$TREE/build" || fail "scratch tree"
ln -s "$FC" "$TREE/build/forecourt" || fail "build/forecourt"

# README's block: the lines after the first-run marker, to the closing fence.
awk '/<!-- first-run:/ { on = 1; next } on && /^```sh/ { inblock = 1; next }
	inblock && /^```/ { exit } inblock { print }' "$SRC/README.md" >"$T/commands"
[ "$(grep -c . "$T/commands")" -ge 5 ] || fail "README has no first-run block: $(cat "$T/commands")"
grep -q '^make run' "$T/commands" || fail "the first-run block does not start the demo: $(cat "$T/commands")"
[ "$(grep -c 'staff add' "$T/commands")" = 2 ] || fail "the block does not add two staff members"

cat >"$T/rc" <<RC
PS1='newcomer\$ '
make() {
	command make --no-print-directory -C "$SRC" -o deps BUILD="$FORECOURT_BUILD" SAN=1 \\
		DEMO_DB="$TREE/build/demo.db" DEMO_FLAGS="--customers 300" "\$@"
}
export FORECOURT_LOCALEDIR="$FORECOURT_LOCALEDIR" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}"
unset FORECOURT_CONFIG
cd "$TREE"
RC
tui_start sh 80 24 bash --rcfile "$T/rc" -i
tui_wait sh 10 'newcomer$' || fail "no shell"
prompts() { tmux -L "$TMUX_SOCKET" capture-pane -p -S -200 -t sh | grep -cF 'newcomer$'; }
runs=0
while IFS= read -r cmd; do
	[ -n "$cmd" ] || continue
	before=$(prompts)
	tui_keys sh -l "$cmd"
	tui_keys sh Enter
	case $cmd in
	make\ run*)
		runs=$((runs + 1))
		tui_wait sh 120 "请刷客户卡" || fail "'$cmd' did not show the demo kiosk"
		if [ "$runs" = 2 ]; then # the head's screens, as the comment of the line says
			tui_keys sh F6
			tui_wait sh 10 "上班登录：工号和密码" || fail "F6: no login"
			tui_keys sh -l H1; tui_keys sh Tab; tui_keys sh -l 246810; tui_keys sh Enter
			tui_wait sh 10 "员工： 王站长" || fail "F6: the head is not logged in"
			tui_keys sh F7
			tui_wait sh 10 "意见簿（未办结）" || fail "F7: no complaint book"
			wait_for 10 sh -c "tmux -L '$TMUX_SOCKET' capture-pane -p -t sh | grep -qE '^ [0-9a-f]{8} '" ||
				fail "F7: the demo's complaints are not listed: $(tui_screen sh)"
			ok "make run again: F6 logs H1 in, F7 lists the demo's complaints"
			tui_keys sh Escape
		fi
		tui_keys sh F10
		;;
	*"staff add A1"*)
		tui_wait sh 10 "new PIN for A1:" || fail "no PIN asked for A1"
		tui_keys sh -l 999999; tui_keys sh Enter
		tui_wait sh 10 "new PIN for A1 again:" || fail "no second PIN for A1"
		tui_keys sh -l 999999; tui_keys sh Enter
		;;
	*"staff add H1"*)
		tui_wait sh 10 "PIN of A1:" || fail "the admin's PIN not asked"
		tui_keys sh -l 999999; tui_keys sh Enter
		tui_wait sh 10 "new PIN for H1:" || fail "no PIN asked for H1"
		tui_keys sh -l 246810; tui_keys sh Enter
		tui_wait sh 10 "new PIN for H1 again:" || fail "no second PIN for H1"
		tui_keys sh -l 246810; tui_keys sh Enter
		;;
	esac
	wait_for 120 sh -c '[ "$(tmux -L "$1" capture-pane -p -S -200 -t sh | grep -cF "newcomer\$")" -gt "$2" ]' \
		_ "$TMUX_SOCKET" "$before" || fail "'$cmd' did not come back to the shell: $(tui_screen sh)"
	if tmux -L "$TMUX_SOCKET" capture-pane -p -S -200 -t sh | grep -qE 'forecourt: |Error|error:'; then
		fail "'$cmd' failed: $(tmux -L "$TMUX_SOCKET" capture-pane -p -S -200 -t sh)"
	fi
	ok "\$ $cmd"
done <"$T/commands"
[ "$runs" = 2 ] || fail "the block ran make run $runs times"

[ "$(q "$TREE/build/demo.db" "SELECT group_concat(staff_no || ':' || role, ' ') FROM staff")" = "A1:admin H1:head" ] ||
	fail "staff: $(q "$TREE/build/demo.db" 'SELECT * FROM staff')"
[ "$(stat -c %a "$TREE/build/demo.pepper")" = 600 ] || fail "the demo's pepper is not beside the demo database (0600)"
grep -qF "pepper_file = $TREE/build/demo.pepper" "$TREE/build/demo.conf" ||
	fail "build/demo.conf does not name the pepper beside the database"
ok "README's first run: admin A1 and head H1 in build/demo.db, the pepper in build/demo.pepper (0600)"
