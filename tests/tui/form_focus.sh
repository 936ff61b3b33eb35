#!/usr/bin/env bash
# form_focus.sh — forms that cannot be mis-filled (issue 18), in zh_CN and en
# at 80x24: the field being typed has the terminal's text cursor and its row
# a ">" (not colour alone); a new complaint opens on its first field, the
# customer, in the order of the paper complaint book; a refused save names
# the field and moves the focus there; Chinese typed on a choice row makes
# the row say which keys choose; every text field says in grey what goes in
# it while empty (the callback's person and notes cannot be swapped); every
# choice of the visit report is on screen; an unregistered card swiped on a
# new complaint clears the last customer; a plate of punctuation ("!!!") is
# refused by the registration, the customer card and the CLI.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

UNKNOWN2=0A1B2C3DEE
GREY=$(printf '\033[38;5;244m')      # an example in an unfocused field
GREY_FOCUS=$(printf '\033[38;5;250m') # and in the focused one

# line NAME TEXT: the 0-based screen row of the first line holding TEXT
line() { tui_screen "$1" | grep -nF -- "$2" | head -n 1 | cut -d: -f1 | awk '{ print $1 - 1 }'; }
# focused NAME LABEL: the row of LABEL starts with ">" and has the cursor
focused() {
	local row cur
	row=$(line "$1" "$2")
	[ -n "$row" ] || return 1
	tui_screen "$1" | sed -n "$((row + 1))p" | grep -qE "^> +$2" || return 1
	cur=$(tui_cursor "$1")
	[ "${cur%% *}" = 1 ] && [ "${cur##* }" = "$row" ]
}

for L in zh_CN en; do
	D=$T/$L S=k$L
	mkdir -p "$D"
	tui_fixture "$D" "$D/reader" "$L" || fail "$L: fixture"
	fc() { "$FC" --config "$D/fc.conf" --db "$D/st.db" "$@"; }
	printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "$L: admin"
	printf '999999\n246810\n246810\n' | fc staff add H1 王站长 head --as A1 >/dev/null || fail "$L: head"
	feed_start "$D" || fail "$L: ptyfeed"
	kiosk_start "$S" "$D" 80 24 || fail "$L: kiosk"
	tui_wait "$S" 30 "$(msg "$L" "Please swipe the customer's card")" || fail "$L: idle"
	tui_keys "$S" F6
	tui_wait "$S" 10 "$(msg "$L" "Shift login: staff number and PIN")" || fail "$L: login"
	tui_keys "$S" -l H1; tui_keys "$S" Tab; tui_keys "$S" -l 246810; tui_keys "$S" Enter
	tui_wait "$S" 10 王站长 || fail "$L: not logged in"
	name=$(msg "$L" "Customer name") code=$(msg "$L" "Customer code") content=$(msg "$L" "Content")
	channel=$(msg "$L" "Channel")

	# --- a new complaint: the customer first, the paper form's order, the cursor there
	tui_keys "$S" F7
	tui_wait "$S" 10 "$(msg_head "$L" "Complaint book (%s) — Tab: open / closed / all")" || fail "$L: complaint book"
	tui_keys "$S" IC
	tui_wait "$S" 10 "$(msg "$L" "New complaint")" || fail "$L: new complaint form"
	wait_for 10 focused "$S" "$name" || fail "$L: the form does not open on '$name' with the cursor: $(tui_cursor "$S") $(tui_screen "$S")"
	rows=""
	for label in "$name" "$code" "$content" "$(msg "$L" "Category")" "$channel" "$(msg "$L" "Severity")" \
		"$(msg "$L" "Approved by")" "$(msg "$L" "Working days")"; do
		rows="$rows $(line "$S" "$label")"
	done
	awk '{ for (i = 2; i <= NF; i++) if ($i <= $(i - 1)) exit 1 }' <<<"$rows" ||
		fail "$L: fields not in the paper form's order (rows$rows)"
	tui_screen "$S" | grep -E "^  $code" | grep -qF "$(msg "$L" "filled by the card; may stay empty")" ||
		fail "$L: the customer code says nothing of what goes in it"
	tmux -L "$TMUX_SOCKET" capture-pane -e -p -t "$S" |
		grep -F "$(msg "$L" "what the customer says went wrong")" | grep -qF "$GREY" ||
		fail "$L: the content's example is not grey"
	ok "$L: new complaint opens on '$name' (cursor $(tui_cursor "$S"), '>' on its row); rows$rows in the paper order; examples in grey"

	# --- a refused save names the field; the focus goes there with the message
	tui_keys "$S" Enter
	tui_wait "$S" 10 "$(msg_head "$L" "Not saved: fill in \"%s\"")$content" || fail "$L: empty complaint not refused naming '$content'"
	wait_for 10 focused "$S" "$content" || fail "$L: the focus did not move to '$content': $(tui_cursor "$S") $(tui_screen "$S")"
	ok "$L: Enter on an empty complaint: '$(msg_head "$L" "Not saved: fill in \"%s\"")$content…', '>' and the cursor on '$content'"

	# --- Chinese typed on a choice row: the row says it takes choice keys
	tui_keys "$S" Down Down
	wait_for 10 sh -c "tmux -L '$TMUX_SOCKET' capture-pane -p -t '$S' | grep -qE '^> +$channel'" ||
		fail "$L: focus not on '$channel'"
	[ "$(tui_cursor "$S" | cut -d' ' -f1)" = 0 ] || fail "$L: a text cursor on a choice row"
	tui_keys "$S" -l 投诉
	# shellcheck disable=SC2059 # the catalogue's format
	keys=$(printf "$(msg "$L" "(keys 1-%d)")" 4)
	# shellcheck disable=SC2059
	why=$(printf "$(msg "$L" "%s: choose with the keys 1-%d")" "$channel" 4)
	tui_wait "$S" 10 "$why" || fail "$L: no message for Chinese on the channel row"
	# the row of the channel: its first screen line (">") or the one its choices wrap onto
	row_says() { tui_screen "$S" | grep -A1 -E "^> +$channel" | grep -qF "$keys"; }
	wait_for 10 row_says || fail "$L: the channel row does not say it takes the keys 1-4: $(tui_screen "$S")"
	ok "$L: Chinese typed on '$channel': its row says '$keys', the message line '$why'"

	# --- a card names the customer; an unregistered one clears it
	swipe "$D" "$CARD_DIAMOND"
	tui_wait "$S" 10 顺丰物流车队 || fail "$L: the card did not name the customer"
	tui_wait "$S" 10 S0001-B-LG-000001 || fail "$L: the card did not fill the code"
	swipe "$D" "$UNKNOWN2"
	tui_wait "$S" 10 "$(msg "$L" "This card is not registered: type the customer's name")" ||
		fail "$L: unregistered card not said"
	s=$(tui_screen "$S")
	grep -qF 顺丰物流车队 <<<"$s" && fail "$L: the previous customer's name stayed: $s"
	grep -qF S0001-B-LG-000001 <<<"$s" && fail "$L: the previous customer's code stayed: $s"
	grep -qF "$(msg "$L" "swipe the card, or type the name: Mr Sun")" <<<"$s" || fail "$L: the name field is not empty: $s"
	ok "$L: an unregistered card after a registered one clears the name and the code"
	tui_keys "$S" Escape Escape
	tui_wait "$S" 10 "$(msg_head "$L" "Complaint book (%s) — Tab: open / closed / all")" || fail "$L: back to the book"

	# --- the callback: who was reached and what was said, each labelled, grey examples
	tui_keys "$S" F8
	tui_wait "$S" 10 "$(msg_head "$L" "Callbacks due: %zu customer")" || fail "$L: callbacks"
	tui_keys "$S" Enter
	tui_wait "$S" 10 "$(msg_head "$L" "Callback: %s %s")" || fail "$L: callback form"
	who=$(msg "$L" "Person reached") said=$(msg "$L" "What was said")
	ex_who=$(msg "$L" "who you spoke to, e.g. Manager Zhang") ex_said=$(msg "$L" "notes: what the customer said and was told")
	s=$(tmux -L "$TMUX_SOCKET" capture-pane -e -p -t "$S")
	grep -F "$who" <<<"$s" | grep -F "$ex_who" | grep -qF "$GREY" || fail "$L: '$who' lacks its grey example"
	grep -F "$said" <<<"$s" | grep -F "$ex_said" | grep -qF "$GREY" || fail "$L: '$said' lacks its grey example"
	tui_keys "$S" Down
	wait_for 10 focused "$S" "$who" || fail "$L: focus on '$who'"
	tmux -L "$TMUX_SOCKET" capture-pane -e -p -t "$S" | grep -F "$ex_who" | grep -qF "$GREY_FOCUS" ||
		fail "$L: the focused field's example is not grey"
	tui_keys "$S" -l 张经理
	tui_wait "$S" 10 张经理 || fail "$L: typed name not shown"
	# the typed text and the cleared rest of the row may reach the pane in two writes
	wait_for 10 sh -c "! tmux -L '$TMUX_SOCKET' capture-pane -p -t '$S' | grep -qF -- \"\$1\"" _ "$ex_who" ||
		fail "$L: the example stayed over typed text"
	ok "$L: callback: '$who' ('$ex_who') and '$said' ('$ex_said') in grey until typed over"
	tui_keys "$S" Escape Escape

	# --- the visit report: every choice at 80 columns
	tui_wait "$S" 10 "$(msg_head "$L" "Callbacks due: %zu customer")" || fail "$L: back to callbacks"
	tui_keys "$S" End
	tui_wait "$S" 10 "$(msg_head "$L" "Visit report: %s %s")" || fail "$L: visit report"
	s=$(tui_screen "$S")
	n=0
	for item in "very excellent:excellent:good:fair:acceptable:unacceptable" \
		"very excellent:excellent:good:fair:poor:abysmal" \
		"very famous:famous:high:fairly high:known:heard of:unknown"; do
		k=1
		IFS=: read -ra words <<<"$item"
		for w in "${words[@]}"; do
			grep -qF "$k $(msg "$L" "$w")" <<<"$s" || fail "$L: '$k $(msg "$L" "$w")' not on the visit report: $s"
			k=$((k + 1)); n=$((n + 1))
		done
	done
	screen_check_layout <(echo "$s") 80 || fail "$L: visit report wider than 80 columns"
	ok "$L: all $n choices of the visit report on screen, e.g. '7 $(msg "$L" unknown)'"
	tui_keys "$S" Escape Escape Escape
	tui_wait "$S" 10 "$(msg "$L" "Please swipe the customer's card")" || fail "$L: back to idle"

	# --- a plate of punctuation: registration, customer card, CLI
	swipe "$D" "$UNKNOWN2"
	tui_wait "$S" 10 "$(msg "$L" "Card not registered")" || fail "$L: unknown card"
	tui_keys "$S" F4
	tui_wait "$S" 10 "$(msg_head "$L" "Register a new customer — card %s")" || fail "$L: registration"
	tui_keys "$S" -l 测试; tui_keys "$S" Down Down; tui_keys "$S" -l '!!!'; tui_keys "$S" Up; tui_keys "$S" Enter
	tui_wait "$S" 10 "$(msg_head "$L" "NOT registered: %s")" || fail "$L: plate !!! not refused"
	wait_for 10 focused "$S" "$(msg "$L" "Plate")" || fail "$L: the focus did not go to the plate"
	[ "$(q "$D/st.db" "SELECT count(*) FROM cards WHERE card_id = '$UNKNOWN2'")" = 0 ] || fail "$L: registered with plate !!!"
	tui_keys "$S" Escape Escape Escape
	tui_wait "$S" 10 "$(msg "$L" "Please swipe the customer's card")" || fail "$L: back to idle"
	tui_keys "$S" Home
	tui_wait "$S" 10 "$(msg "$L" "Customer archive")" || fail "$L: archive"
	tui_keys "$S" -l 顺丰; tui_keys "$S" Enter
	tui_wait "$S" 10 "$(msg_head "$L" "Customer card %s (now %s · %s)")" || fail "$L: customer card"
	tui_keys "$S" Down Down Down Down; tui_keys "$S" -l '!!!'; tui_keys "$S" Enter
	tui_wait "$S" 10 "$(msg_head "$L" "Not saved: %s")" || fail "$L: plate !!! not refused on the card"
	[ -z "$(q "$D/st.db" "SELECT plate FROM customers WHERE id = 1")" ] || fail "$L: plate !!! stored"
	ok "$L: plate '!!!' refused by the registration (focus on the plate) and the customer card"
	tui_keys "$S" Escape Escape Escape Escape
	kiosk_quit "$S" "$D" || fail "$L: unclean exit"
done

out=$(printf '246810\n' | "$FC" --config "$T/en/fc.conf" --db "$T/en/st.db" customer edit S0001-B-LG-000001 'plate=!!!' --as H1 2>&1) &&
	fail "CLI stored plate !!!"
grep -qF "is not a plate" <<<"$out" || fail "CLI refusal: $out"
out=$("$FC" --config "$T/en/fc.conf" --db "$T/en/st.db" register --card 0A1B2C3DEF --name x --nature individual \
	--industry other --plate '!!!' 2>&1) && fail "CLI registered plate !!!"
grep -qF "is not a plate" <<<"$out" || fail "CLI register refusal: $out"
out=$("$FC" --config "$T/en/fc.conf" --db "$T/en/st.db" register --card 0A1B2C3DEF --name x --nature individual \
	--industry other --plate '渝a·21978' 2>&1) || fail "CLI refused a real plate: $out"
[ "$(q "$T/en/st.db" "SELECT plate FROM customers WHERE name = 'x'")" = 渝A21978 ] || fail "plate not stored normalised"
ok "CLI: 'customer edit plate=!!!' and 'register --plate !!!' refused ('$(head -n 1 <<<"$out")' for a real one)"
