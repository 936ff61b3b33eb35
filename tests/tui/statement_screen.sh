#!/usr/bin/env bash
# statement_screen.sh — the fuel ledger 用油台账 (issue 16) in the real kiosk at
# 80x24: ^L on a 13-card fleet's customer card shows this month's fuellings
# (cards masked), scrolls to the totals per card and grade and the month total
# (equal to SQL), Left/Right change the month and refuse one not begun, F1
# explains it, Esc returns to the card.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"
. "$(dirname "$0")/head_fixture.sh"

export TZ=CST-8
export FORECOURT_NOW=2026-06-30T08:00:00Z   # Tue 06-30 16:00 local
station_conf S0001 '[complaints]' "holidays_file = $FORECOURT_SRC/config/holidays.conf"
fc demo --customers 300 --seed 5 --build-only >/dev/null || fail "demo database"
head_staff
code=$(q "$DB" "SELECT c.code FROM customers c JOIN cards k ON k.customer_id = c.id
	WHERE c.nature = 'big' AND k.status = 'active' GROUP BY c.id HAVING count(*) = 13
	ORDER BY c.code LIMIT 1")
[ -n "$code" ] || fail "the demo has no 13-card fleet"
cid=$(q "$DB" "SELECT id FROM customers WHERE code = '$code'")
name=$(q "$DB" "SELECT name FROM customers WHERE id = $cid")
card=$(q "$DB" "SELECT card_id FROM cards WHERE customer_id = $cid AND status = 'active' ORDER BY card_id LIMIT 1")
# 24 June fuellings on one card: more lines than the screen holds.
for d in $(seq -w 1 24); do
	FORECOURT_NOW=2026-06-${d}T02:00:00Z fc visit --card "$card" --grade 0# --litres 50 >/dev/null ||
		fail "visit on 06-$d"
done
FROM=2026-05-31T16:00:00Z TO=2026-06-30T16:00:00Z
n=$(q "$DB" "SELECT count(*) FROM visits WHERE customer_id = $cid AND created_at >= '$FROM' AND created_at < '$TO'")

kiosk_start k "$T" 80 24 || fail "kiosk"
tui_wait k 20 "F6" || fail "kiosk did not start"
head_archive k
tui_keys k -l "$code"
tui_wait k 10 "找到 1 位客户" || fail "search for $code"
tui_keys k Enter
tui_wait k 10 "客户档案卡 $code" || fail "card not opened"
tui_wait k 5 "^L用油台账" || fail "the card's key bar does not offer the ledger: $(tui_screen k)"
tui_keys k C-l
tui_wait k 10 "用油台账：$code" || fail "^L did not open the ledger: $(tui_screen k)"
tui_wait k 5 "2026-06" || fail "not this month"
tui_wait k 5 "13 张卡" || fail "the fleet's 13 cards not said: $(tui_screen k)"
tui_wait k 5 "/$((n + 13 + 5 + $(q "$DB" "SELECT count(DISTINCT grade) FROM visits WHERE customer_id = $cid AND created_at >= '$FROM' AND created_at < '$TO'")))" ||
	fail "no position indicator over $n fuellings: $(tui_screen k)"
tui_screen k | grep -qE "06-01 10:00 +S0001 +\*\*\*\*${card: -4} .* 0# +50\.00 " ||
	fail "first fuelling row: $(tui_screen k)"
tui_screen k | grep -qF "$card" && fail "a full card number is shown"
for h in 日期 油站 卡号 车牌 油品 升数 金额 优惠 积分; do
	tui_screen k | grep -qF "$h" || fail "column $h missing"
done
[ -n "${SHOW_SCREEN:-}" ] && tui_screen k >>"$SHOW_SCREEN"
ok "^L on the card: $n June fuellings of $code, masked cards, every column at 80x24"

tui_keys k NPage NPage NPage
tui_wait k 10 "本月合计" || fail "PgDn did not reach the month total: $(tui_screen k)"
want=$(q "$DB" "SELECT printf('%d.%02d', sum(volume_ml) / 1000, sum(volume_ml) % 1000 / 10) || ' ' ||
	printf('%d.%02d', sum(amount_fen) / 100, sum(amount_fen) % 100) FROM visits
	WHERE customer_id = $cid AND created_at >= '$FROM' AND created_at < '$TO'")
tui_screen k | grep -F "本月合计" | grep -qE "$n 笔 +${want% *} +${want#* } " ||
	fail "month total row, want $n 笔 $want: $(tui_screen k | grep -F 本月合计)"
tui_screen k | grep -qF "各卡合计" || tui_screen k | grep -qF "各油品合计" || fail "no totals sections"
[ -n "${SHOW_SCREEN:-}" ] && tui_screen k >>"$SHOW_SCREEN"
ok "PgDn scrolls to the totals; the month total ($n 笔, $want) equals SQL"

tui_keys k Left
tui_wait k 10 "$name  2026-05" || fail "Left did not go to May"
tui_keys k Right
tui_wait k 10 "$name  2026-06" || fail "Right did not come back to June"
tui_keys k Right
tui_wait k 10 "2026-07 尚未开始" || fail "a month not begun was not refused: $(tui_screen k)"
tui_keys k F1
tui_wait k 10 "各卡（单位客户的整个车队）合计" || fail "F1 does not explain the ledger: $(tui_screen k)"
tui_keys k Escape
tui_wait k 10 "用油台账：$code" || fail "Esc from help"
tui_keys k Escape
tui_wait k 10 "客户档案卡 $code" || fail "Esc did not return to the card"
ok "Left/Right change the month (July refused), F1 help, Esc back to the card"
tui_keys k Escape Escape
tui_wait k 10 "请刷客户卡" || fail "Esc did not leave the archive: $(tui_screen k)"
kiosk_quit k "$T" || fail "kiosk did not quit cleanly (sanitizer report or leak)"
