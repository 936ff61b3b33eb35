#!/usr/bin/env bash
# screen_fit.sh — every screen and every message the kiosk can show fits
# 80x24, in zh_CN and en (issue 18).  Three checks:
#  1. the catalogues: every message of the sources (xgettext, as `make po`)
#     is translated in both ui/po/*.po;
#  2. a drive through every screen and state at 80x24 in both languages,
#     the kiosk started with FORECOURT_FIT_LOG (base/fitlog.h): every text
#     it had to cut is a fault (names and other data are cut with "…" by
#     text_put_data and are not), and every message it looked up is noted;
#  3. the messages no drive reaches (failures of the disk, of memory, of a
#     thread) are checked on their own: with long values in place of their
#     %s and %d, each fits the two rows a message gets at 80 columns.
# Strings that never reach a screen (the CLI's words in core messages) are
# listed at the end with why.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

export TZ=CST-8 FORECOURT_NOW=2026-07-01T02:00:00Z # Wed 07-01 10:00 local
SRC=$FORECOURT_SRC
# The drives run in subshells: their background helpers (pty feeds, the
# lock holder) write their pids to $T/*/feed.pid and lock.pid, ended at exit.
trap 'for f in "$T"/*/feed.pid "$T"/*/lock.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done; _cleanup' EXIT
UNKNOWN2=0A1B2C3DEE # unknown all along (CARD_UNKNOWN is registered on the way)

# --- 1. every message translated in both catalogues --------------------------
make --no-print-directory -s -C "$SRC" BUILD="$T/po" po-check >"$T/po-check.out" 2>&1 ||
	{ cat "$T/po-check.out"; fail "messages missing or untranslated in ui/po (make po, then translate)"; }
POT=$T/po/forecourt.pot
ok "every message of the sources is translated in zh_CN.po and en.po"

# --- 2. the drive ------------------------------------------------------------
# tr LOCALE MSGID: the message as the kiosk shows it in LOCALE.
tr() { LANGUAGE=$1 LC_ALL=C.UTF-8 TEXTDOMAINDIR=$FORECOURT_LOCALEDIR gettext -d forecourt -- "$2"; }

drive() { # LOCALE: one kiosk at 80x24 through every screen
	local L=$1 D=$T/$1 S=k$1
	mkdir -p "$D"
	tui_fixture "$D" "$D/reader" "$L" >/dev/null || fail "$L: fixture"
	printf '[complaints]\nholidays_file = %s/config/holidays.conf\n' "$SRC" >>"$D/fc.conf"
	fc() { "$FC" --config "$D/fc.conf" --db "$D/st.db" "$@"; }
	printf '999999\n999999\n' | fc staff add A1 管理员 admin >/dev/null || fail "$L: admin"
	printf '999999\n246810\n246810\n' | fc staff add H1 王站长 head --as A1 >/dev/null || fail "$L: head"
	printf '999999\n1111\n1111\n' | fc staff add T1 赵加油 attendant --as A1 >/dev/null || fail "$L: attendant"
	printf '999999\n2222\n2222\n' | fc staff add T2 钱加油 attendant --as A1 >/dev/null || fail "$L: attendant 2"
	sqlite3 "$D/st.db" "UPDATE customers SET tier_source = 'hq' WHERE id = 1" || fail "$L: hq tier"
	fc holidays load "$SRC/config/holidays.conf" >/dev/null || fail "$L: holidays"
	printf '246810\n' | fc complaint add "加油站三号枪计量不准，客户多次反映加满后仪表显示不足，要求复核并退还差价" \
		--as H1 --received 2026-06-20T02:00:00Z --name 孙先生 >/dev/null || fail "$L: complaint"
	printf '246810\n' | fc complaint add "special one" --as H1 --severity special --approved-by 孙经理 \
		--days 5 >/dev/null || fail "$L: special complaint"
	feed_start "$D" || fail "$L: ptyfeed"
	echo "$FEED_PID" >"$D/feed.pid"
	FORECOURT_UI_TRACE=$D/ui.trace FORECOURT_MONO_OFFSET_FILE=$D/mono.offset \
		FORECOURT_FIT_LOG=$D/fit.log kiosk_start "$S" "$D" 80 24 || fail "$L: kiosk"

	k() { tui_keys "$S" "$@"; }
	typ() { tui_keys "$S" -l "$1"; }
	# see MSGID: its translation (its start: a cut one is the fit log's) is on the screen
	see() {
		local t; t=$(tr "$L" "$1"); t=${t%%%*}; t=${t:0:24}
		tui_wait "$S" 30 "$t" >"$D/wait.out" || { cat "$D/wait.out"; fail "$L: '$t' not shown"; }
	}
	seen() { local t; t=$(tr "$L" "$1"); t=${t%%%*}; screen_has "$S" "$t"; }
	card() { swipe "$D" "$1"; }
	# cust NAME: the swipe screen of the customer NAME (from the fixture) is up
	cust() { tui_wait "$S" 30 "$1" >"$D/wait.out" || { cat "$D/wait.out"; fail "$L: $1 not shown"; }; }
	help() { k F1; see "Keys on this screen (Esc: back)"; k Escape; }
	login() { # NO PIN
		k F6; see "Shift login: staff number and PIN"; typ "$1"; k Tab; typ "$2"; k Enter
		see "Logged in: %s (%s)"
	}

	see "Please swipe the customer's card"
	help
	k F3; see "%s is not available here (F1: help)"
	typ "x"; see "That key does nothing here (F1: help)"
	k F2; see "F2 works with the demo reader only ([reader] port = sim)"
	k C-z; see "Ctrl-Z (suspend) is not available in the kiosk."

	# --- the swipe screen, every kind of card
	for c in "$CARD_IND_SILVER:欧阳建国" "$CARD_LOST:城东出租公司" "$CARD_PLATINUM:Li Platinum" \
		"$CARD_LONGNAME:中华人民共和国"; do
		card "${c%%:*}"; cust "${c#*:}"; help; k Escape; see "Please swipe the customer's card"
	done
	card "$CARD_BLOCKED"; see "!! BLOCKED CARD — NO BENEFITS !!"; help
	k F5; see "Fuelling without a card"; k Escape; see "Please swipe the customer's card"
	card "$CARD_UNKNOWN"; see "Card not registered"; help
	k F4; see "Register a new customer — card %s"; help
	k Enter; see "NOT registered: %s"
	typ "测试客户"; k Tab; typ "x"; see "%s: digits, '-', '+' and spaces only"
	typ "138-0013-8000"; k Tab; typ "!!!"; k Tab; typ "中"; see "(keys 1-%d)"
	k Enter; see "NOT registered: %s"        # the plate: the focus is on it
	k BSpace BSpace BSpace; typ "渝A·21978"; k Down Down; typ 2
	k Escape; see "Unsaved changes: Enter saves them, Esc again discards them"
	k Enter; see "Registered ✓  customer code %s"
	k Escape; see "Please swipe the customer's card"
	card "$CARD_DIAMOND"; tui_wait "$S" 30 "顺丰物流车队" >/dev/null || fail "$L: diamond"; help
	typ 5; see "Choose the grade first: keys %s."
	typ x; see "Grade keys are %s; litres, amount and pump take digits."
	typ a; k Enter; see "Type the litres (or Tab and the amount in yuan), more than 0."
	k Tab; typ .; see "type a digit before the '.'"; k BSpace; k BTab
	typ 10.555; see "at most 2 decimals"
	k Enter; see "NOT saved: a key was refused in this field; Bksp removes it, then Enter."
	k BSpace; typ .; see "only one '.' is allowed"; k BSpace
	k BSpace BSpace BSpace BSpace BSpace; typ 3000; k Enter
	see "NOT saved: %s — the values are kept, fix and press Enter again."
	k BSpace BSpace BSpace BSpace; typ 10; k Enter; see "Saved ✓  %s  %s L  ¥%s  pump %d  points +%lld = %lld"
	k Enter; see "Already saved. Next fuelling: a grade key; next customer: Esc."
	k F3; see "Type the points, Enter redeems.  Tab: back to the fuelling."
	k Enter; see "Type the points to redeem (more than 0)."
	typ 9999999; k Enter; see "Only %lld points available."
	k BSpace BSpace BSpace BSpace BSpace BSpace BSpace; typ 100; k Enter; see "Redeemed ✓  %lld points = ¥%s  balance %lld"
	k F9; see "Type the pump, Enter sets it.  Esc: keep the pump it was."
	typ 0; k Enter; see "Pump: type a pump number 1-%d (F9)."
	k Escape; k F9; typ 7; k Enter; see "Pump %d set. Now the grade (keys %s) and the litres."
	k Tab; typ b; typ 100; k Enter; see "Saved ✓  %s  %s L  ¥%s  pump %d  points +%lld = %lld"
	k Escape; see "Please swipe the customer's card"
	k F5; see "Fuelling without a card"; typ c; typ 5; k Enter; see "Saved ✓  %s  %s L  ¥%s  pump %d"
	k Escape; see "Please swipe the customer's card"

	# --- staff login, the care screens
	k F7; see "Station head or admin: staff number and PIN"; help
	typ H1; k Tab; typ 0000; k Enter; see "Wrong staff number or PIN"
	typ x; see "Digits only here"
	typ 246810; k Enter; see "Complaint book (%s) — Tab: open / closed / all"
	k Escape; see "F7: complaint book    F8: callbacks    Esc: lock"; see "Station head: %s"
	k Escape; see "Please swipe the customer's card"
	k F6; see "Shift login: staff number and PIN"; typ ZZ; k Tab; typ 1234; k Enter
	see "Wrong staff number or PIN"; k Escape
	k F6; typ T2; k Tab
	for i in 1 2 3 4 5; do typ 0000; k Enter; see "Wrong staff number or PIN"; done
	see "Too many wrong PINs: %s is locked until %s"; k Escape
	login T1 1111
	k F7; see "Station head or admin: staff number and PIN"; typ T1; k Tab; typ 1111; k Enter
	see "A station head or admin PIN is needed here"; k Escape
	k C-r; see "The monthly analysis is for the station head or admin, not %s"
	k Home; see "Customer archive"; typ "顺丰"; k Enter; see "Customer card %s (now %s · %s)"
	see "Read only: only a station head or admin can change the archive (log in with F6)"
	typ x; see "Not changed: you may only view this card; a station head or admin logs in with F6 to edit it"
	k Escape; k IC; see "Only a station head or admin can register a customer: log in with F6"
	k Escape
	k F6; see "Enter: log out    Esc: back"; k Enter; see "Logged out"
	k Home; see "The customer archive is for station staff: log in with F6 first"
	k C-r; see "The monthly analysis is for the station head: log in with F6 first"
	login H1 246810
	see "%d complaint is overdue (F7: complaint book)"

	# complaint book
	k F7; see "Complaint book (%s) — Tab: open / closed / all"; help
	k Enter; see "F11: the next step    Esc: back to the complaint book"; help; k Escape
	k Tab; see "No complaints here."; k F11; see "Select an open complaint first"
	k Enter; see "Select a complaint first"
	k Tab; k Tab
	k IC; see "New complaint"; help
	k Enter; see "Not saved: fill in \"%s\""
	card "$UNKNOWN2"; see "This card is not registered: type the customer's name"
	card "$CARD_DIAMOND"; see "Customer from the card: %s"
	typ "油价太高"                                  # the refusal left the focus on the content
	k Up; k BSpace; typ 9; k Enter; see "Not saved: %s: no customer with code %s"
	k BSpace; typ 1; k Down Down Down Down; typ 3  # code -> severity: special
	k Enter; see "Not saved: a special case needs \"%s\": the approving supervisor"
	typ 孙经理; k Down; typ 99; k Enter; see "Not saved: %s: a special case gets 1 to %d working days, not %d"
	k BSpace BSpace; typ 5
	k Escape; see "Unsaved changes: Enter saves them, Esc again discards them"
	k Enter; see "Saved: complaint %s, %s, due %s (end of day)"
	k F12; see "Escalate complaint"            # the overdue one, first
	see "OVERDUE: raised to major it stays overdue; only a special case with a supervisor's approval gets a new deadline"
	k Enter; see "Not saved: fill in \"%s\""
	typ "客户再次投诉"; k Enter; see "Saved: complaint %s is now %s, due %s (end of day)"
	k F12; see "Escalate complaint"; typ "再次"; k Up; typ 1; k Enter
	see "Not saved: %s: the complaint is already %s, choose a higher one"
	k Escape; k Escape; see "Complaint book (%s) — Tab: open / closed / all"
	k Down; k F12; see "Complaint %s is already a special case: it cannot be escalated further"
	k Up; k F11; see "Resolve complaint"; k Enter; see "Not saved: fill in \"%s\""
	card "$CARD_DIAMOND"; see "Card ignored: this form is for a filed complaint"
	typ "已复核并退还差价"; k Enter; see "Saved: complaint %s resolved"
	k Tab; see "closed"; k Enter; see "Esc: back to the complaint book"; k Escape; k Tab; k Tab
	# the path of a special case: level 2, the result, the customer told, closing
	k F11; see "Approve the special case: level %d of %d, %s"; help
	k Enter; see "Not saved: fill in \"%s\""
	typ 钱经理; k Enter; see "Saved: complaint %s, approval %d of %d by %s"
	k F11; see "Resolve complaint"; typ "送检合格"; k Enter
	see "Saved: the handling result of complaint %s; next: %s"
	k F11; see "The customer was told the result"; help
	k Enter; see "Saved: complaint %s, the customer was told"
	k Enter; see "F11: the next step    Esc: back to the complaint book"
	k F11; see "Close the complaint"; help; k Enter; see "Saved: complaint %s closed"
	k Escape

	# callbacks
	k F8; see "Callbacks due: %zu customer"; help
	k Enter; see "Callback: %s %s"; help
	k Enter; see "Not saved: fill in \"%s\""
	k Up; k Up; typ 中; see "(keys 1-%d)"; typ 7; see "%s: choose with the keys 1-%d"
	k Down; typ "张经理"; k Down; typ "问了柴油价格"; k Enter; see "Saved: callback to %s"
	k End; see "Visit report: %s %s"; help
	k Enter; see "Not saved: choose \"%s\" with the digit keys"
	typ 2; k Down; typ 3; k Down; typ 7; k Up; k Up; k Up
	k BSpace BSpace; typ 99; k Enter; see "Not saved: %s: a date such as %s"
	k BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace; typ 2099-01-01
	k Enter; see "Not saved: %s: %s is after today"
	k BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace; typ 2026-06-30
	k Down Down Down Down; typ "需要发票"; k Down; typ "李明"; k Down; typ "车队队长"; k Down; typ "x"
	see "%s: digits, '-', '+' and spaces only"
	# the rest of the form (issue 16): a short mobile, the business contact, a blank text
	k Down; typ 12; k Enter; see "Not saved: %s: a phone number of 3 to 20 digits, +, - and spaces"
	k BSpace BSpace; typ 13900000001
	k Down; typ "李主办"; k Down; typ "车队调度"; k Down; typ "023-61230000"; k Down; typ "13900000002"
	k Down; typ "张法人"; k Down; typ "北碚区缙云路 1 号"; k Down; typ "车队扩大"; k Down; typ "开票慢"
	k Down; typ "  "; k Enter; see "Not saved: %s: only blanks"
	k BSpace BSpace; typ "月度台账"; k Down; typ 4; see "signed and sealed"
	k Enter; see "Saved: visit report for %s"
	k F7; see "Complaint book (%s) — Tab: open / closed / all"; k F8; see "Callbacks due: %zu customer"
	k Escape

	# the archive
	k Home; see "Type any part of a name, phone, plate or customer code."; help
	k Enter; see "No customer to open: type a name, phone, plate or code first"
	typ "zzz"; see "No customer matches \"%s\"."
	typ "zzzzzzzzzzzzzzzzzzzzzzzzzzzz"; see "Search: at most %zu characters"
	k Escape; k Home; see "Type any part of a name, phone, plate or customer code."
	k BSpace BSpace BSpace; typ 1380; see "%d customer found."
	k BSpace BSpace BSpace BSpace; typ 顺丰; k Enter; see "Customer card %s (now %s · %s)"; help
	k C-l; see "Fuel ledger: %s %s  %s"; help # issue 16: the fuel ledger
	k NPage; k NPage; see "Month total"; k Left; see "Totals per card"; k Right; k Right
	see "%s has not begun yet"; k Escape; see "Customer card %s (now %s · %s)"
	k Down; typ "王经理"; k Enter; see "Saved: %d field of %s changed"; k Up
	k Down; k Down; typ "abc"; see "%s: digits, '-', '+' and spaces only"
	k Enter; see "Nothing to save: no field was changed"
	k Down; k Down; typ "!!!"; k Enter; see "Not saved: %s"
	k Escape; see "Unsaved changes: Enter saves them, Esc again discards them"; k Escape
	# the card's competitor flag, special dates and ratings; ^F lists competitor customers
	k Enter; see "Customer card %s (now %s · %s)"
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do k Down; done
	typ 2; k Down; typ "中石化"; k Down; typ "13-45"; k Enter; see "Not saved: %s"
	k BSpace BSpace BSpace BSpace BSpace; typ "03-15"; k Down; k Down; typ 90; k Enter
	see "Saved: %d field of %s changed"; see "Ratings entered by %s, %s"; k Escape
	k C-f; see "%d competitor customer (^F: everyone)."; see "Customer archive: competitor customers"
	typ "zzz"; see "No competitor customer matches: ^F shows everyone again."
	k BSpace BSpace BSpace; k C-f
	card "$UNKNOWN2"; see "This card is not registered: search by name, phone or plate"
	k IC; see "Register a potential customer (has fuel demand, never bought here)"; help
	k Enter; see "Not registered: fill in \"%s\""
	typ "潜在客户公司"; k Down; typ 1; k Down; typ 2; k Down; typ "1"; k Enter; see "Not registered: %s"
	k BSpace; typ "13800138000"; k Enter; see "Registered: potential customer %s, code %s"
	k Escape

	# the monthly analysis
	k C-r; see "Monthly analysis %s   ←/→ month   ↑/↓ PgUp/PgDn scroll"; help
	see "Customers by tier"
	k Right; see "No later month: this is the current one"
	k Left; see "Customers by tier"; k NPage; k NPage; k End; k Home; k Tab; k BTab
	k Escape

	# idle lock of the care screens, then a terminal too small
	k F8; see "Callbacks due: %zu customer"
	printf '400000\n' >"$D/mono.new" && mv "$D/mono.new" "$D/mono.offset" # past idle_minutes
	local ticks; ticks=$(grep -c '^tick ' "$D/ui.trace")
	wait_for 30 sh -c '[ "$(grep -c "^tick " "$1")" -ge "$2" ]' _ "$D/ui.trace" $((ticks + 2)) ||
		fail "$L: clock not moved"
	see "Locked after %d minute without a key: the head PIN is needed again"
	tmux -L "$TMUX_SOCKET" resize-window -t "$S" -x 60 -y 20
	see "Terminal too small: %dx%d, need %dx%d"
	card "$CARD_PLATINUM"; see "A card was read: it is shown when the window is big enough."
	tmux -L "$TMUX_SOCKET" resize-window -t "$S" -x 80 -y 24
	cust "Li Platinum"
	k Escape; see "Please swipe the customer's card"
	# F10 over unsaved input asks; Ctrl-C too
	card "$CARD_IND_SILVER"; cust 欧阳建国; typ b; typ 5
	card "$CARD_DIAMOND"; see "Unsaved input: press Enter to save or Esc to discard it, then swipe again."
	k C-c; see "There is unsaved input: press %s again to quit (Esc: back to it)."
	k Escape; k Escape; see "Please swipe the customer's card"
	login A1 999999
	kiosk_quit "$S" "$D" || fail "$L: unclean exit"
}

# kiosk mode and the rating are their own kiosks
drive_more() { # LOCALE
	local L=$1 D=$T/$1-kiosk S=m$1
	mkdir -p "$D"
	tui_fixture "$D" "$D/reader" "$L" yes >/dev/null || fail "$L: fixture"
	sed -i 's/^idle_seconds = .*/&\nask_rating = yes/' "$D/fc.conf"
	# head office configured, another uploader holding the lock: the status
	# bar's "not tried yet" and "another uploader is running"
	printf 'secret-token\n' >"$D/token" && chmod 600 "$D/token"
	printf '[upload]\nurl = http://127.0.0.1:9/\ntoken_file = %s/token\nconnect_timeout_s = 1\n' "$D" >>"$D/fc.conf"
	( exec 9>>"$D/st.db.upload.lock" && flock 9 && exec sleep 600 ) >/dev/null 2>&1 &
	local lock=$!
	echo "$lock" >"$D/lock.pid"
	feed_start "$D" || fail "$L: ptyfeed"
	echo "$FEED_PID" >"$D/feed.pid"
	FORECOURT_FIT_LOG=$T/$L/fit.log kiosk_start "$S" "$D" 80 24 || fail "$L: kiosk"
	k() { tui_keys "$S" "$@"; }
	see() {
		local t; t=$(tr "$L" "$1"); t=${t%%%*}; t=${t:0:24}
		tui_wait "$S" 30 "$t" >"$D/wait.out" || { cat "$D/wait.out"; fail "$L: '$t' not shown"; }
	}
	see "Kiosk mode: to exit, an admin logs in (F6) and presses F10"
	see "another uploader is running; waiting"; see "upload not tried yet"
	kill "$lock" # the kiosk's uploader tries once there is something to send
	k F1; see "Kiosk mode: Ctrl-C, Ctrl-Z and F10 do not quit. To exit, an admin logs in (F6) and presses F10."
	k Escape; k C-c; see "Kiosk mode: %s does not quit. To exit, an admin logs in (F6) and presses F10."
	k C-z
	swipe "$D" "$CARD_DIAMOND"; tui_wait "$S" 30 顺丰物流车队 >/dev/null || fail "$L: diamond"
	k a; tui_keys "$S" -l 20; k Enter
	see "How satisfied was the customer? Press 1 to 5 (Esc: skip)"
	see "offline since %s"
	k F1; see "Rating asked: 1 to 5 rates, Esc skips"; k Escape
	tui_keys "$S" -l 9; see "Press 1 to 5, or Esc to skip"
	swipe "$D" "$CARD_PLATINUM"; see "Next card read: it opens after the rating (1-5, or Esc)"
	tui_keys "$S" -l 4; see "Thank you: rating %d saved"
	k a; tui_keys "$S" -l 20; k Enter; see "How satisfied was the customer? Press 1 to 5 (Esc: skip)"
	k Escape; see "Rating skipped"
	tmux -L "$TMUX_SOCKET" kill-session -t "$S"
}

for L in zh_CN en; do
	( drive "$L" && drive_more "$L" ) >"$T/drive-$L.out" 2>&1 &
	pids+=($!)
done
for i in 0 1; do
	wait "${pids[$i]}" || { cat "$T/drive-"*.out; fail "drive failed"; }
done
ok "drove every screen at 80x24 in zh_CN and en"

# --- 3. the verdict ----------------------------------------------------------
python3 - "$POT" "$SRC/ui/po" "$T/zh_CN/fit.log" "$T/en/fit.log" <<'PY' || fail "messages do not fit"
import re, sys, unicodedata
pot, podir, logs = sys.argv[1], sys.argv[2], sys.argv[3:]

def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in s)

def entries(path):
    """msgctxt\\x04msgid (or msgid) -> list of msgstr (plural forms)."""
    text = open(path, encoding="utf-8").read()
    out = {}
    for block in text.split("\n\n"):
        def field(name):
            m = re.search(r'^%s "(.*)"$' % re.escape(name), block, re.M)
            return None if m is None else bytes(m.group(1), "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
        mid = field("msgid")
        if not mid:
            continue
        ctx = field("msgctxt")
        strs = [field("msgstr")] if field("msgstr") is not None else \
            [field("msgstr[%d]" % i) for i in range(4) if field("msgstr[%d]" % i) is not None]
        out[(ctx + "\x04" if ctx else "") + mid] = strs
    return out

catalogue = entries(pot)
cuts, seen = [], set()
for path, lang in zip(logs, ("zh_CN", "en")):
    for line in open(path, encoding="utf-8"):
        tag, _, rest = line.rstrip("\n").partition("\t")
        rest = rest.replace("\\n", "\n").replace("\\t", "\t")
        if tag == "MSG":
            seen.add(rest)
        elif tag == "UNTR":
            cuts.append("%s: shown untranslated (not in ui/po/%s.po): %s" % (lang, lang, rest))
        elif tag == "CUT":
            cols, _, text = rest.partition("\t")
            cuts.append("%s: cut to %s columns: %s" % (lang, cols, text))

# Strings that never reach a screen, with why.
NEVER_SHOWN = {
    # archive_check_field's answers to the CLI's FIELD=VALUE (the kiosk's
    # forms only give known fields, keys and names)
    "field '%s' cannot be edited (fields: name, contact, phone, address, plate, fuel_grades, yearly_litres, refuel_cycle_days, other_channels, potential_needs, person_in_charge, handler, special_needs, industry, nature, competitor, competitor_name, birthday, anniversary, rating_scale, rating_credit, rating_influence)",
    # competitor is a choice on the card: never empty there
    "field '%s': 1 (buys from a competitor) or 0",
    "field 'industry': '%s' is not one of passenger, logistics, taxi, official, industrial, agri, other",
    "field 'nature': '%s' is not big or individual",
    "field 'nature' cannot be edited: nature follows the customer's cards (a unit card or several cards make a big customer; the daily classification sets it)",
    "give nature and industry once",
    "no customer with code '%.40s...'",
}

def worst(fmt):
    """fmt with long values for its directives."""
    def one(m):
        d = m.group(0)
        if d == "%%":
            return "%"
        prec = re.match(r"%\.(\d+)s", d)
        if prec:
            return "W" * int(prec.group(1))
        if d.endswith("s"):
            return "W" * 12
        if d.endswith("c"):
            return "W"
        return "8" * (9 if "ll" in d else 5)
    return re.sub(r"%[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t)?[diouxXcsp%]", one, fmt)

def rows(text, cols=80):
    """Rows of text wrapped as text_put_wrapped wraps: at a newline, at the
    space before an ASCII word that does not fit, else between characters."""
    n = 0
    for s in text.split("\n"):
        n += 0 if s else 1
        while s:
            w = i = 0
            while i < len(s) and w + width(s[i]) <= cols:
                w += width(s[i])
                i += 1
            n += 1
            if i == len(s):
                break
            cut, skip = max(i, 1), 0
            if s[i] == " ":
                skip = 1
            elif s[i].isascii() and s[i - 1].isascii() and s[i - 1] != " ":
                j = i
                while j > 0 and s[j - 1] != " " and s[j - 1].isascii():
                    j -= 1
                if j > 0 and s[j - 1] == " ":
                    cut, skip = j - 1, 1
            s = s[cut + skip:]
    return n

bad = sorted(set(cuts))
po = {lang: entries("%s/%s.po" % (podir, lang)) for lang in ("zh_CN", "en")}
unseen = []
for key in catalogue:
    if key in seen or key in NEVER_SHOWN or "\x04" in key and key.split("\x04")[0] in ("field", "unit"):
        continue
    unseen.append(key)
    for lang in po:
        for s in po[lang].get(key, [key]):
            if rows(worst(s)) > 2:
                bad.append("%s: not reached, and longer than 2 rows of 80 columns: %s" % (lang, s))
reached = len(catalogue) - len(unseen)
print("# messages: %d in the sources, %d reached a screen in the drive, %d checked on their own, %d never on a screen"
      % (len(catalogue), reached, len(unseen), len(NEVER_SHOWN)))
for key in sorted(unseen):
    print("#   not reached:", key.replace("\x04", " | ").replace("\n", "\\n"))
for b in bad:
    print("FAIL:", b.replace("\n", "\\n"))
sys.exit(1 if bad else 0)
PY
ok "nothing was cut at 80x24 in zh_CN or en; unreached messages fit two rows"
