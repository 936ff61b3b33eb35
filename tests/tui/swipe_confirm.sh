#!/usr/bin/env bash
# swipe_confirm.sh — on the swipe screen a confirmation stays (issue 18), in
# zh_CN and en at 80x24: a gloved double Enter after a fuelling (A 1 0 Enter
# Enter) or a redemption (F3 100 Enter Enter) keeps "Saved ✓" / "Redeemed ✓"
# and stores nothing more; a refused key shows its reason under it; a grade
# key (new input) clears it.  Esc in the F9 pump field brings the pump back
# and stays with the customer.  A card swiped while the terminal is too
# small is shown once it is big enough.  Ctrl-C over typed litres asks, as
# F10 does.
# With [ui] ask_rating the rating is asked under "Saved ✓" and a card
# swiped meanwhile waits for it, then opens.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

for L in zh_CN en; do
	D=$T/$L S=k$L
	mkdir -p "$D"
	tui_fixture "$D" "$D/reader" "$L" || fail "$L: fixture"
	sed -i 's/^idle_seconds = .*/&\nask_rating = no/' "$D/fc.conf"
	feed_start "$D" || fail "$L: ptyfeed"
	kiosk_start "$S" "$D" 80 24 || fail "$L: kiosk"
	saved=$(msg_head "$L" "Saved ✓  %s  %s L  ¥%s  pump %d  points +%lld = %lld")
	redeemed=$(msg_head "$L" "Redeemed ✓  %lld points = ¥%s  balance %lld")
	already=$(msg "$L" "Already saved. Next fuelling: a grade key; next customer: Esc.")
	need_grade=$(msg_head "$L" "Choose the grade first: keys %s.")
	idle=$(msg "$L" "Please swipe the customer's card")
	tui_wait "$S" 30 "$idle" || fail "$L: idle screen"

	# --- a gloved double Enter after a fuelling
	swipe "$D" "$CARD_DIAMOND"
	tui_wait "$S" 10 顺丰物流车队 || fail "$L: diamond"
	tui_keys "$S" a 1 0 Enter Enter
	tui_wait "$S" 10 "$already" || fail "$L: the second Enter said nothing"
	s=$(tui_screen "$S")
	grep -qF "$saved" <<<"$s" || fail "$L: the confirmation went after a second Enter: $s"
	grep -qF "$need_grade" <<<"$s" && fail "$L: the second Enter asked for a grade: $s"
	[ "$(q "$D/st.db" "SELECT count(*) FROM visits")" = 1 ] || fail "$L: the second Enter stored a visit"
	ok "$L: A 1 0 Enter Enter: '$(grep -F -- "$saved" <<<"$s" | sed 's/ *$//')' stays, '$already', one visit"

	# a refused key keeps the confirmation; its reason shows under it
	tui_keys "$S" 5
	tui_wait "$S" 10 "$need_grade" || fail "$L: digit before a grade not refused"
	screen_has "$S" "$saved" || fail "$L: a refused key hid the confirmation"
	ok "$L: a refused key shows '$need_grade' under the confirmation, which stays"

	# --- redemption: F3 100 Enter Enter
	tui_keys "$S" F3 1 0 0 Enter Enter
	tui_wait "$S" 10 "$redeemed" || fail "$L: redemption not confirmed"
	tui_wait "$S" 10 "$already" || fail "$L: the second Enter after a redemption said nothing"
	screen_has "$S" "$redeemed" || fail "$L: the redemption's confirmation went"
	screen_has "$S" "$need_grade" && fail "$L: the second Enter after a redemption asked for a grade"
	[ "$(q "$D/st.db" "SELECT count(*) FROM redemptions")" = 1 ] || fail "$L: redemptions stored"
	ok "$L: F3 100 Enter Enter: '$redeemed…' stays, one redemption"

	# a grade key starts new input: the confirmation goes
	tui_keys "$S" b
	tui_gone "$S" "$redeemed" || fail "$L: the confirmation stayed over new input"
	ok "$L: a grade key (new input) clears the confirmation"

	# --- F9, another pump typed, Esc: the pump it was, still this customer
	tui_keys "$S" BSpace
	tui_keys "$S" F9 7
	tui_wait "$S" 10 "$(msg "$L" "Type the pump, Enter sets it.  Esc: keep the pump it was.")" ||
		fail "$L: F9 did not go to the pump field"
	tui_keys "$S" Escape
	tui_wait "$S" 10 "$(msg_head "$L" "Grade key %s, litres (or Tab: amount), Enter saves.  Esc: next customer.")" ||
		fail "$L: Esc in the pump field did not go back to the litres"
	s=$(tui_screen "$S")
	grep -qF 顺丰物流车队 <<<"$s" || fail "$L: Esc in the pump field left the customer: $s"
	grep -E "$(msg "$L" "Pump:") +1( |$)" <<<"$s" >/dev/null || fail "$L: the pump is not 1 again: $s"
	tui_keys "$S" a 5 Enter
	tui_wait "$S" 10 "$saved" || fail "$L: fuelling after Esc in the pump field"
	[ "$(q "$D/st.db" "SELECT pump FROM visits ORDER BY id DESC LIMIT 1")" = 1 ] ||
		fail "$L: the fuelling after Esc was not on pump 1"
	ok "$L: F9 7 Esc: back to pump 1 on the same customer; the next fuelling is on pump 1"

	# --- a card swiped while the terminal is too small waits for it to grow
	tmux -L "$TMUX_SOCKET" resize-window -t "$S" -x 60 -y 20
	tui_wait "$S" 10 "$(msg_head "$L" "Terminal too small: %dx%d, need %dx%d")" || fail "$L: not too small"
	swipe "$D" "$CARD_PLATINUM"
	tui_wait "$S" 10 "$(msg "$L" "A card was read: it is shown when the window is big enough.")" ||
		fail "$L: the card read while too small is not said to wait"
	tmux -L "$TMUX_SOCKET" resize-window -t "$S" -x 80 -y 24
	tui_wait "$S" 10 "Li Platinum" || fail "$L: the card read while too small not shown after the resize"
	ok "$L: a card swiped at 60x20 is kept and shown at 80x24"

	# --- Ctrl-C over typed litres asks, as F10 does; Esc goes back to them
	tui_keys "$S" a 3 3
	tui_wait "$S" 10 "33_" || fail "$L: litres not typed"
	tui_keys "$S" C-c
	tui_wait "$S" 10 "$(msg_head "$L" "There is unsaved input: press %s again to quit (Esc: back to it).")" ||
		fail "$L: Ctrl-C over typed litres did not ask"
	[ -e "$D/kiosk.status" ] && fail "$L: the first Ctrl-C quit over unsaved input"
	screen_has "$S" "33_" || fail "$L: the typed litres went"
	tui_keys "$S" BSpace BSpace
	tui_keys "$S" C-c
	kiosk_wait_exit "$D" || fail "$L: Ctrl-C with nothing typed did not quit"
	[ "$(cat "$D/kiosk.status")" = 0 ] && [ ! -s "$D/kiosk.err" ] ||
		fail "$L: exit $(cat "$D/kiosk.status"): $(cat "$D/kiosk.err")"
	[ "$(q "$D/st.db" "SELECT count(*) FROM visits")" = 2 ] || fail "$L: the 33 L were stored"
	ok "$L: Ctrl-C over typed litres asks first; with nothing typed it quits (status 0)"

	# --- ask_rating: the rating under "Saved ✓"; a card swiped meanwhile waits
	sed -i 's/^ask_rating = no/ask_rating = yes/' "$D/fc.conf"
	kiosk_start "$S" "$D" 80 24 || fail "$L: kiosk with ask_rating"
	tui_wait "$S" 30 "$idle" || fail "$L: idle screen (rating)"
	swipe "$D" "$CARD_DIAMOND"
	tui_wait "$S" 10 顺丰物流车队 || fail "$L: diamond (rating)"
	tui_keys "$S" a 2 0 Enter
	question=$(msg "$L" "How satisfied was the customer? Press 1 to 5 (Esc: skip)")
	tui_wait "$S" 10 "$question" || fail "$L: no rating asked"
	screen_has "$S" "$saved" || fail "$L: the rating hid the confirmation"
	swipe "$D" "$CARD_PLATINUM"
	tui_wait "$S" 10 "$(msg "$L" "Next card read: it opens after the rating (1-5, or Esc)")" ||
		fail "$L: the card swiped during the rating is not said to wait"
	s=$(tui_screen "$S")
	grep -qF 顺丰物流车队 <<<"$s" && grep -qF "$question" <<<"$s" && grep -qF "$saved" <<<"$s" ||
		fail "$L: the swipe skipped the rating: $s"
	tui_keys "$S" 4
	tui_wait "$S" 10 "Li Platinum" || fail "$L: the waiting card did not open after the rating"
	tui_wait "$S" 10 "$(msg_head "$L" "Thank you: rating %d saved")" || fail "$L: rating not confirmed"
	visit=$(q "$D/st.db" "SELECT id FROM visits ORDER BY id DESC LIMIT 1")
	[ "$(q "$D/st.db" "SELECT rating || '|' || visit_id FROM feedback")" = "4|$visit" ] ||
		fail "$L: feedback: $(q "$D/st.db" 'SELECT * FROM feedback')"
	ok "$L: rating asked under '$saved…'; the next card waited, rating 4 stored for the visit, then the card opened"
	tui_keys "$S" a 2 0 Enter
	tui_wait "$S" 10 "$question" || fail "$L: no rating for the second fuelling"
	tui_keys "$S" Escape
	tui_gone "$S" "$question" || fail "$L: Esc did not skip the rating"
	s=$(tui_screen "$S")
	grep -qF "Li Platinum" <<<"$s" && grep -qF "$saved" <<<"$s" ||
		fail "$L: Esc on the rating left the customer or the confirmation: $s"
	[ "$(q "$D/st.db" "SELECT count(*) FROM feedback")" = 1 ] || fail "$L: a skipped rating was stored"
	ok "$L: Esc skips the rating and stays with the customer and '$saved…'"
	kiosk_quit "$S" "$D" || fail "$L: unclean exit"
done
