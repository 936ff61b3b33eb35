#!/usr/bin/env bash
# archive_ratings.sh — issue 16's customers in the real kiosk (zh_CN): the
# swipe of a potential customer with a provisional tier says 临时 and gives no
# green lane; a head marks a customer as a competitor's (without whose: refused;
# with it: saved), enters
# a birthday and the three ratings on the card: the database holds them with
# who rated, the outbox the customer_changed and composite_evaluated records
# by that head, the card says who rated and the current nature beside the
# code; ^F on the archive lists the competitor customers with the
# competitor's name.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"
. "$(dirname "$0")/head_fixture.sh"
export TZ=CST-8
feed_start "$T" || fail "pty reader"
tui_fixture "$T" "$T/reader" zh_CN || fail "fixture"
CARD_DECLARED=0A1B2C3D07
sqlite3 "$DB" "INSERT INTO customers (id, code, name, nature, industry, stability, tier,
  tier_provisional, tier_evaluated_at, yearly_litres, created_at, updated_at) VALUES
  (7, 'S0001-I-OT-000007', '申报客户', 'individual', 'other', 'potential', 'gold', 1,
  '2026-07-01T08:00:00Z', 3000, 'x', 'x');
  INSERT INTO cards (card_id, customer_id, kind, status, updated_at) VALUES
  ('$CARD_DECLARED', 7, 'personal', 'active', 'x');" || fail "declared customer"
head_staff
head_id=$(q "$DB" "SELECT id FROM staff WHERE staff_no = 'H1'")

kiosk_start k "$T" 100 30 || fail "kiosk"
tui_wait k 20 "请刷客户卡" || fail "kiosk did not start"
swipe "$T" "$CARD_DECLARED"
tui_wait k 10 "黄金级 （临时）" || fail "the swipe does not say provisional: $(tui_screen k)"
screen_has k "绿色通道" && fail "a provisional tier got the green lane"
tui_keys k Escape
tui_wait k 10 "请刷客户卡" || fail "Esc from the swipe"
swipe "$T" "$CARD_PLATINUM"
tui_wait k 10 "绿色通道" || fail "an evaluated platinum lost the green lane"
tui_keys k Escape
tui_wait k 10 "请刷客户卡" || fail "Esc from the second swipe"
ok "the swipe: 黄金级 （临时） and no green lane for the declared tier; platinum keeps it"
# a birthday three days ahead (the kiosk's own clock): the care call on the swipe
soon=$(date -d '+3 days' +%m-%d)
sqlite3 "$DB" "UPDATE customers SET birthday = '1980-$soon' WHERE id = 2" || fail "birthday"
swipe "$T" "$CARD_IND_SILVER"
tui_wait k 10 "需回访：生日 $soon" || fail "no care call on the swipe: $(tui_screen k)"
tui_keys k Escape
tui_wait k 10 "请刷客户卡" || fail "Esc from the third swipe"
out=$(fc lookup "$CARD_IND_SILVER" --json) || fail "lookup --json"
[ "$(python3 -c 'import json,sys; d=json.load(sys.stdin)["callback_special"]; print(d["kind"], d["date"][5:])' <<<"$out")" = "birthday $soon" ] ||
	fail "lookup --json callback_special: $out"
ok "a birthday in 3 days: 需回访：生日 $soon on the swipe, callback_special in lookup --json"

head_archive k
tui_keys k -l "顺丰"
tui_wait k 10 "S0001-B-LG-000001" || fail "search"
tui_keys k Enter
tui_wait k 10 "客户档案卡 S0001-B-LG-000001（现为 大客户 · 物流车队）" || fail "card title: $(tui_screen k)"
for _ in $(seq 14); do tui_keys k Down; done # to 竞争对手客户
tui_wait k 5 "> 竞争对手客户" || fail "focus not on the competitor flag: $(tui_screen k)"
tui_keys k 2
tui_keys k Enter # a competitor customer without whose: refused, nothing stored
tui_wait k 10 "须注明在哪家加油" || fail "competitor without a name not refused: $(tui_screen k)"
[ "$(q "$DB" "SELECT coalesce(competitor, 0) FROM customers WHERE id = 1")" = 0 ] || fail "competitor stored without a name"
tui_keys k Down
tui_keys k -l "中石化"
tui_keys k Down
tui_keys k -l "03-15"
tui_keys k Down Down # anniversary, then the scale rating
tui_keys k -l 90
tui_keys k Down
tui_keys k -l 80
tui_keys k Down
tui_keys k -l 70
tui_keys k Enter
tui_wait k 10 "已保存" || fail "not saved: $(tui_screen k)"
[ "$(q "$DB" "SELECT competitor || '|' || competitor_name || '|' || birthday || '|' || rating_scale || rating_credit || rating_influence || '|' || rating_by FROM customers WHERE id = 1")" = \
	"1|中石化|03-15|908070|$head_id" ] || fail "stored: $(q "$DB" "SELECT competitor, competitor_name, birthday, rating_scale, rating_by FROM customers WHERE id = 1")"
[ "$(q "$DB" "SELECT json_extract(payload, '\$.staff') || ' ' || json_array_length(json_extract(payload, '\$.data.changes')) FROM outbox WHERE type = 'customer_changed'")" = "$head_id 6" ] ||
	fail "customer_changed record"
[ "$(q "$DB" "SELECT json_extract(payload, '\$.staff') || ' ' || json_extract(payload, '\$.data.scale') || ' ' || json_extract(payload, '\$.data.customer_code') FROM outbox WHERE type = 'composite_evaluated'")" = \
	"$head_id 90 S0001-B-LG-000001" ] || fail "composite_evaluated record"
tui_wait k 10 "评分录入：王站长" || fail "the card does not say who rated: $(tui_screen k)"
ok "a head's competitor flag, birthday and ratings: stored with rating_by $head_id, customer_changed (6 fields) and composite_evaluated queued, the card names the rater"

tui_keys k Escape
tui_wait k 10 "查询：" || fail "back to the search"
tui_keys k C-f
tui_wait k 10 "客户档案：竞争对手的客户" || fail "^F: $(tui_screen k)"
tui_wait k 5 "竞争对手客户 1 个" || fail "^F count: $(tui_screen k)"
tui_screen k | grep -F "S0001-B-LG-000001" | grep -qF "中石化" || fail "the row lacks the competitor: $(tui_screen k)"
tui_keys k C-f
tui_wait k 10 "找到 1 位客户" || fail "^F again did not show the search: $(tui_screen k)"
ok "^F lists the competitor customer with 中石化; ^F again the search"
tui_keys k Escape
kiosk_quit k "$T" || fail "kiosk did not quit cleanly"
