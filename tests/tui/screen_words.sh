#!/usr/bin/env bash
# screen_words.sh — text that cannot be misread (issue 18), in zh_CN and en
# at 80x24: the messages the issue found cut are whole ("…再按 Enter。",
# the archive's search hint, each count of the Ctrl-R classes line, F10 and
# Enter on the English key bar); the archive list shows a phone whole or
# marks it cut with "…"; a phone is found typed either way (13800138000
# finds 138-0013-8000, and the reverse) while the screen keeps the typed
# form; the idle lock says "1 minute" (plural forms); the complaint list
# says the same word for a closed entry as its help; before any upload the
# status bar says "not tried yet", not "online".
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

for L in zh_CN en; do
	D=$T/$L S=k$L
	mkdir -p "$D"
	tui_fixture "$D" "$D/reader" "$L" || fail "$L: fixture"
	printf '[auth]\nidle_minutes = 1\n' >>"$D/fc.conf"
	fc() { "$FC" --config "$D/fc.conf" --db "$D/st.db" "$@"; }
	printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "$L: admin"
	printf '999999\n246810\n246810\n' | fc staff add H1 王站长 head --as A1 >/dev/null || fail "$L: head"
	sqlite3 "$D/st.db" "INSERT INTO customers (id, code, name, nature, industry, stability, tier,
		phone, created_at, updated_at) VALUES
		(7, 'S0001-I-OT-000007', '周师傅', 'individual', 'other', 'current', 'ordinary',
		 '138-0013-8000', 'x', 'x'),
		(8, 'S0001-I-OT-000008', '长号码客户', 'individual', 'other', 'current', 'ordinary',
		 '+86 023 6123 4567 89', 'x', 'x')" || fail "$L: customers"
	printf '246810\n' | fc complaint add "old trouble" --as H1 >/dev/null || fail "$L: complaint"
	id=$(fc complaint list | grep -oE '^[0-9a-f]{8}' | head -n 1)
	# a general complaint is closed once its opinion is approved and the customer told
	for step in "resolve --result done --handler 王站长" approve "tell --how phone" close; do
		printf '246810\n' | fc complaint $step "$id" --as H1 >/dev/null || fail "$L: $step $id"
	done
	# head office configured; another uploader holds the lock: nothing tried yet
	printf 'secret-token\n' >"$D/token" && chmod 600 "$D/token"
	printf '[upload]\nurl = http://127.0.0.1:9/\ntoken_file = %s/token\nconnect_timeout_s = 1\n' "$D" >>"$D/fc.conf"
	( exec 9>>"$D/st.db.upload.lock" && flock 9 && exec sleep 600 ) >/dev/null 2>&1 &
	LOCK_PID=$!
	BG_PIDS+=("$LOCK_PID")
	wait_for 10 sh -c '! flock -n "$1" true' _ "$D/st.db.upload.lock" || fail "$L: lock not held"
	feed_start "$D" || fail "$L: ptyfeed"
	FORECOURT_UI_TRACE=$D/ui.trace FORECOURT_MONO_OFFSET_FILE=$D/mono.offset \
		kiosk_start "$S" "$D" 80 24 || fail "$L: kiosk"
	idle=$(msg "$L" "Please swipe the customer's card")
	tui_wait "$S" 30 "$idle" || fail "$L: idle screen"

	# --- the status bar before any upload: "not tried yet", never "online"
	tui_wait "$S" 10 "$(msg "$L" "another uploader is running; waiting")" || fail "$L: no waiting note"
	tui_wait "$S" 10 "$(msg "$L" "upload not tried yet")" || fail "$L: not 'not tried yet' before any upload"
	tui_screen "$S" | head -n 2 | grep -qF "$(msg "$L" online)" && fail "$L: 'online' before any upload"
	kill "$LOCK_PID"
	tui_wait "$S" 30 "$(msg_head "$L" "offline since %s")" || fail "$L: no 'offline since' after a failed try"
	ok "$L: status bar '$(msg "$L" "upload not tried yet")' until the first try, then '$(msg_head "$L" "offline since %s")…'"

	# --- the key bar keeps every key (it takes a second row when it must)
	swipe "$D" "$CARD_DIAMOND"
	tui_wait "$S" 10 顺丰物流车队 || fail "$L: diamond"
	bar=$(tui_screen "$S" | tail -n 2 | tr '\n' ' ')
	for key in "Enter$(msg "$L" Save)" "Esc$(msg "$L" Back)" "F3$(msg "$L" Redeem)" "F9$(msg "$L" Pump)" \
		"F1$(msg "$L" Help)" "F10$(msg "$L" Quit)" "Home$(msg "$L" Customers)" "^R$(msg "$L" Monthly)"; do
		grep -qF -- "$key" <<<"$bar" || fail "$L: '$key' missing from the key bar: $bar"
	done
	ok "$L: the swipe screen's key bar: $bar"

	# --- a refusal whole: "…请修正后再按 Enter。"
	tui_keys "$S" a 3 0 0 0 Enter
	tail=$(msg "$L" "NOT saved: %s — the values are kept, fix and press Enter again.")
	tail=${tail##*%s}
	wait_for 10 screen_has_wrapped "$S" "$tail" ||
		fail "$L: '$tail' not on screen: $(tui_screen "$S")"
	ok "$L: 3000 L refused, the message ends on screen with '$tail'"
	tui_keys "$S" Escape
	tui_wait "$S" 10 "$idle" || fail "$L: back to idle"

	# --- login; the archive: hint whole, phones typed either way, whole or marked cut
	tui_keys "$S" F6
	tui_wait "$S" 10 "$(msg "$L" "Shift login: staff number and PIN")" || fail "$L: login"
	tui_keys "$S" -l H1; tui_keys "$S" Tab; tui_keys "$S" -l 246810; tui_keys "$S" Enter
	tui_wait "$S" 10 王站长 || fail "$L: not logged in"
	tui_keys "$S" Home
	hint=$(msg "$L" "Type any part of a name, phone, plate or customer code.")
	tui_wait "$S" 10 "$hint" || fail "$L: the archive's hint not whole: $(tui_screen "$S")"
	for typed in 13800138000 "138 0013 8000" 0013-8000 138-0013-8000; do
		tui_keys "$S" -l "$typed"
		tui_wait "$S" 10 周师傅 || fail "$L: '$typed' did not find 138-0013-8000"
		tui_screen "$S" | grep -F 周师傅 | grep -qE " 138-0013-8000( |$)" ||
			fail "$L: the phone is not shown whole as typed: $(tui_screen "$S")"
		for _ in $(seq ${#typed}); do tui_keys "$S" BSpace; done
		tui_wait "$S" 10 "$hint" || fail "$L: query not erased"
	done
	[ "$(q "$D/st.db" "SELECT phone || '|' || phone_digits FROM customers WHERE id = 7")" = \
		"138-0013-8000|13800138000" ] || fail "$L: phone row: $(q "$D/st.db" 'SELECT phone, phone_digits FROM customers WHERE id = 7')"
	tui_keys "$S" -l 长号码
	tui_wait "$S" 10 长号码客户 || fail "$L: long phone customer"
	row=$(tui_screen "$S" | grep -F 长号码客户)
	grep -qF "+86 023 6123…" <<<"$row" || fail "$L: a phone too long for its column is not marked cut: $row"
	ok "$L: '$hint' whole; 13800138000, '138 0013 8000', 0013-8000 find 138-0013-8000 (stored digits 13800138000); a long phone ends in …"
	tui_keys "$S" Escape
	tui_wait "$S" 10 "$idle" || fail "$L: back to idle"

	# --- Ctrl-R: each count of the classes
	tui_keys "$S" C-r
	tui_wait "$S" 20 "$(msg "$L" "Customers by class")" || fail "$L: monthly analysis"
	s=$(tui_screen "$S")
	for st in "current customer" "lost customer" "potential customer" "swing customer"; do
		grep -qE "$(msg "$L" "$st") [0-9]+" <<<"$s" || fail "$L: no count after '$(msg "$L" "$st")': $s"
	done
	ok "$L: Ctrl-R shows the count of each of the four classes"
	tui_keys "$S" Escape

	# --- the complaint list: the word of a closed entry is its help's
	tui_keys "$S" F7
	tui_wait "$S" 10 "$(msg_head "$L" "Complaint book (%s) — Tab: open / closed / all")" || fail "$L: complaint book"
	tui_keys "$S" Tab
	closed=$(msg "$L" closed)
	tui_wait "$S" 10 "old trouble" || fail "$L: closed complaint not listed"
	tui_screen "$S" | grep -F "old trouble" | grep -qF "$closed" || fail "$L: the closed entry does not say '$closed'"
	tui_keys "$S" F1
	tui_wait "$S" 10 "$(msg "$L" "Keys on this screen (Esc: back)")" || fail "$L: help"
	tui_screen "$S" | grep -qF "/ $closed /" || fail "$L: the help does not say '$closed': $(tui_screen "$S")"
	ok "$L: a closed complaint says '$closed' in the list, the title and the help"
	tui_keys "$S" Escape
	# the help closed before the clock moves (Esc waits out ESCDELAY): the
	# lock closes the book and its message stays; a late Esc would take it away
	tui_wait "$S" 10 "old trouble" || fail "$L: help not closed"

	# --- locked after 1 minute, not "1 minutes"
	printf '70000\n' >"$D/mono.new" && mv "$D/mono.new" "$D/mono.offset"
	locked=$(msg "$L" "Locked after %d minute without a key: the head PIN is needed again")
	locked=${locked/\%d/1}
	tui_wait "$S" 20 "$locked" || fail "$L: no '$locked'"
	screen_has "$S" "1 minutes" && fail "$L: '1 minutes' on screen"
	ok "$L: '$locked'"
	kiosk_quit "$S" "$D" || fail "$L: unclean exit"
done
