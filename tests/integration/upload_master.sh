#!/usr/bin/env bash
# upload_master.sh — master data pulled from head office: a good pull applies
# every kind and records the version (next pull asks since it); a bad line
# 5000 of 6000 (and a truncated reply) changes nothing and names the line;
# the hostile lines of the import tests are named exactly as `forecourt
# import` names the same row (a dotted plate stored as the import stores it);
# a balance with points_seq counts each of the station's movements once:
# pending above it, after a dropped acknowledgement, after the acknowledgement.
. "$(dirname "$0")/upload_lib.sh"

rx_start
write_conf "$RX_PORT"
fill 40 --customers 1 --invalid-every 4   # C00001: 30 records accepted, 10 rejected

cat >"$T/good.ndjson" <<'EOF'
{"kind":"customer","code":"H00001","name":"张三物流","nature":"big","industry":"logistics","tier":"diamond","phone":"13800000001","home_station":"S0002","owner_staff":7,"owner_name":"王站长","last_purchase_at":"2026-06-30T09:15:00Z"}
{"kind":"customer","code":"H00002","name":"李四","nature":"individual","industry":"other","points":"250"}
{"kind":"customer","code":"C00001","name":"Customer 1","nature":"individual","industry":"other","points":9000}
{"kind":"card","card_id":"0A1B2C3D","customer_code":"H00001","card_kind":"unit"}
{"kind":"card","card_id":"0A1B2C3E","customer_code":"H00002","card_kind":"personal"}
{"kind":"card","card_id":"0A1B2C3F","customer_code":"C00001","card_kind":"personal"}
{"kind":"blocked","card_id":"0A1B2C3E","reason":"lost"}
{"kind":"blocked","card_id":"FFFF0000","reason":"stolen elsewhere"}
{"kind":"tier","customer_code":"H00002","tier":"gold","period":"2026H1"}
{"kind":"litres","customer_code":"H00001","period":"2026H1","litres":21000}
{"kind":"price","grade":"92#","tier":"diamond","nature":"big","discount_fen_per_litre":30}
{"kind":"holiday","date":"2026-10-01","day_kind":"holiday","name":"国庆节"}
{"kind":"holiday","date":"2026-10-11","day_kind":"workday","name":"调休"}
{"kind":"version","version":"2026-07-01#17"}
EOF
rx_ctl "master=$T/good.ndjson"
fc sync --once 2>"$T/good.log" || fail "sync: $(cat "$T/good.log")"
[ "$(q "$DB" "SELECT value FROM meta WHERE key = 'master_version'")" = "2026-07-01#17" ] ||
	fail "master_version not recorded"
[ "$(q "$DB" "SELECT name || '|' || tier || '|' || tier_source || '|' || home_station || '|' || owner_staff || '|' || owner_name || '|' || chain_last_purchase_at FROM customers WHERE code = 'H00001'")" = "张三物流|diamond|hq|S0002|7|王站长|2026-06-30T09:15:00Z" ] ||
	fail "customer H00001 not applied: $(q "$DB" "SELECT * FROM customers WHERE code = 'H00001'")"
[ "$(q "$DB" "SELECT tier || '|' || points_synced FROM customers WHERE code = 'H00002'")" = "gold|250" ] ||
	fail "tier/points of H00002 not applied"
[ "$(q "$DB" "SELECT status || '|' || blocked_reason FROM cards WHERE card_id = '0A1B2C3E'")" = "blocked|lost" ] ||
	fail "blocked card not applied"
[ "$(q "$DB" "SELECT discount_fen_per_litre FROM prices WHERE grade = '92#' AND tier = 'diamond'")" = 30 ] ||
	fail "price not applied"
[ "$(q "$DB" "SELECT count(*) FROM holidays")" = 2 ] || fail "holidays not applied"
[ "$(q "$DB" "SELECT old_tier || '>' || new_tier || '|' || period FROM tier_history WHERE source = 'hq'")" = "ordinary>gold|2026H1" ] ||
	fail "tier history not kept: $(q "$DB" "SELECT * FROM tier_history")"
[ "$(q "$DB" "SELECT litres || '|' || period FROM chain_litres")" = "21000|2026H1" ] || fail "litres not applied"
grep -q "master data version 2026-07-01#17 (13 lines)" "$T/good.log" || fail "log: $(cat "$T/good.log")"
# Points without points_seq: head office's 9000 includes the 30 accepted records, not the 10 dead ones.
[ "$(q "$DB" "SELECT points_synced FROM customers WHERE code = 'C00001'")" = 9000 ] || fail "points_synced"
[ "$(q "$DB" "SELECT sum(synced) || '/' || count(*) FROM points_ledger")" = "30/40" ] ||
	fail "ledger synced flags: $(q "$DB" "SELECT sum(synced) || '/' || count(*) FROM points_ledger")"
ok "good pull: 13 lines of every kind applied (owner, home station, last purchase, tier history with its period, litres), version recorded, 30 acknowledged ledger rows synced, 10 dead ones not"

fc sync --once 2>/dev/null || fail "second sync"
[ "$(rx_json last_since)" = "2026-07-01#17" ] || fail "second pull asked since $(rx_json last_since)"
ok "the next pull asks since=2026-07-01#17"

snapshot() {
	sqlite3 "$DB" "SELECT * FROM customers; SELECT * FROM cards; SELECT * FROM prices;
		SELECT * FROM holidays; SELECT * FROM tier_history; SELECT * FROM points_ledger;
		SELECT * FROM chain_litres; SELECT count(*) FROM customer_search;
		SELECT * FROM meta WHERE key = 'master_version'"
}
snapshot >"$T/before.txt"

# 6000 lines, line 5000 bad (a platinum big customer), version at the end.
"$PY" - "$T/bad.ndjson" <<'EOF'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1, 6000):
        rec = {"kind": "customer", "code": "M%05d" % i, "name": "Master %d" % i,
               "nature": "big", "industry": "other", "tier": "gold", "points": i}
        if i == 5000:
            rec["tier"] = "platinum"
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    f.write('{"kind":"version","version":"2026-07-02#18"}\n')
EOF
rx_ctl "master=$T/bad.ndjson"
fc sync --once 2>"$T/bad.log" && fail "sync accepted a bad master file"
grep -q "master:5000: column 'tier': 'platinum' is not a tier of nature 'big'" "$T/bad.log" ||
	fail "message does not name line 5000: $(cat "$T/bad.log")"
snapshot >"$T/after.txt"
cmp -s "$T/before.txt" "$T/after.txt" || fail "a rejected pull changed the database"
fc outbox status >"$T/status.txt"
grep -q "^master data: *version 2026-07-01#17" "$T/status.txt" || fail "status: $(cat "$T/status.txt")"
grep -q "^master error: *master:5000" "$T/status.txt" || fail "status: $(cat "$T/status.txt")"
ok "bad line 5000 of 6000: $(grep -o 'master:5000[^"]*' "$T/bad.log" | head -1); nothing changed"

head -n 3000 "$T/bad.ndjson" >"$T/trunc.ndjson"
rx_ctl "master=$T/trunc.ndjson"
fc sync --once 2>"$T/trunc.log" && fail "sync accepted a truncated master file"
grep -q "master: no version line at the end after 3000 lines" "$T/trunc.log" || fail "truncation: $(cat "$T/trunc.log")"
printf '{"kind":"customer","code":"X1","name":"x","nature":"big","industry":"other"}\n{"kind":"customer",\n' >"$T/junk.ndjson"
rx_ctl "master=$T/junk.ndjson"
fc sync --once 2>"$T/junk.log" && fail "sync accepted a broken JSON line"
grep -q "master:2: not a JSON object" "$T/junk.log" || fail "junk: $(cat "$T/junk.log")"
snapshot >"$T/after2.txt"
cmp -s "$T/before.txt" "$T/after2.txt" || fail "a rejected pull changed the database"
ok "truncated reply and broken JSON line refused with the line, nothing changed"

# The hostile lines of the import tests.  Each is line 2 of a pull (after a
# good customer) and line 2 of a file `forecourt import` reads (after the
# header): the same words after "master:2: " and "FILE:2: ".
sqlite3 "$DB" ".backup '$T/cmp.db'"
fcc() { "$FC" --config "$T/fc.conf" --db "$T/cmp.db" "$@"; }
GOOD='{"kind":"customer","code":"G1","name":"good","nature":"big","industry":"other"}'
CODE40=S0001-B-LG-00000000000000000000000000001
[ "${#CODE40}" = 40 ] || fail "the long code is ${#CODE40} bytes"
# hostile NAME KIND MASTER_LINE FILE_NAME FILE_TEXT
hostile() {
	local name=$1 kind=$2 line=$3 file=$T/$4 text=$5 got want
	printf '%s\n%s\n{"kind":"version","version":"hostile"}\n' "$GOOD" "$line" >"$T/hostile.ndjson"
	rx_ctl "master=$T/hostile.ndjson"
	fc sync --once 2>/dev/null && fail "$name: pull accepted"
	got=$(q "$DB" "SELECT value FROM meta WHERE key = 'last_master_error'")
	printf '%s\n' "$text" >"$file"
	want=$(fcc import "$kind" "$file" 2>&1 | grep -m1 "^$file:2: ") || fail "$name: import accepted: $(fcc import "$kind" "$file" 2>&1)"
	[ "${got#master:2: }" = "${want#"$file":2: }" ] && [ "$got" != "${got#master:2: }" ] ||
		fail "$name: master says '$got', import says '$want'"
	snapshot >"$T/after3.txt"
	cmp -s "$T/before.txt" "$T/after3.txt" || fail "$name: a refused pull changed the database"
	echo "$got"
}
msgs=()
msgs+=("$(hostile "negative points" customers \
	'{"kind":"customer","code":"H3","name":"x","nature":"big","industry":"other","points":-5}' \
	neg.csv $'code,name,nature,industry,points\nH3,x,big,other,-5')") || exit 1
msgs+=("$(hostile "negative yearly litres" customers \
	'{"kind":"customer","code":"H3","name":"x","nature":"big","industry":"other","yearly_litres":-100}' \
	negl.csv $'code,name,nature,industry,yearly_litres\nH3,x,big,other,-100')") || exit 1
msgs+=("$(hostile "bad tier for the nature" customers \
	'{"kind":"customer","code":"H3","name":"x","nature":"big","industry":"other","tier":"platinum"}' \
	tier.csv $'code,name,nature,industry,tier\nH3,x,big,other,platinum')") || exit 1
msgs+=("$(hostile "40-byte code" customers \
	"{\"kind\":\"customer\",\"code\":\"$CODE40\",\"name\":\"x\",\"nature\":\"big\",\"industry\":\"other\"}" \
	code.csv "code,name,nature,industry"$'\n'"$CODE40,x,big,other")") || exit 1
msgs+=("$(hostile "unknown grade" prices \
	'{"kind":"price","grade":"93#","tier":"gold","nature":"big","discount_fen_per_litre":10}' \
	grade.csv $'grade,tier,nature,discount_fen_per_litre\n93#,gold,big,10')") || exit 1
msgs+=("$(hostile "tier line for the nature" tiers \
	'{"kind":"tier","customer_code":"H00001","tier":"platinum","period":"2026H1"}' \
	tierline.csv $'customer_code,tier,period\nH00001,platinum,2026H1')") || exit 1
# a key twice: against the same object in an NDJSON file ("kind" last, so
# the duplicate is met at the same column)
msgs+=("$(hostile "duplicate keys" customers \
	'{"code":"H3","name":"x","name":"y","nature":"big","industry":"other","kind":"customer"}' \
	dup.ndjson $'\n{"code":"H3","name":"x","name":"y","nature":"big","industry":"other"}')") || exit 1
ok "hostile lines named as the import names them, nothing changed: $(printf '%s; ' "${msgs[@]}")"

# A dotted plate: stored as the import stores the same row.
printf '%s\n{"kind":"version","version":"plate"}\n' \
	'{"kind":"customer","code":"H00009","name":"渝客","nature":"individual","industry":"taxi","plate":"渝a·21978"}' >"$T/plate.ndjson"
rx_ctl "master=$T/plate.ndjson"
fc sync --once 2>"$T/plate.log" || fail "plate pull: $(cat "$T/plate.log")"
printf 'code,name,nature,industry,plate\nH00009,渝客,individual,taxi,渝a·21978\n' >"$T/plate.csv"
fcc import customers "$T/plate.csv" >/dev/null || fail "plate import"
row="SELECT code, name, nature, industry, tier, tier_source, plate FROM customers WHERE code = 'H00009'"
[ "$(q "$DB" "$row")" = "$(q "$T/cmp.db" "$row")" ] || fail "plate: master $(q "$DB" "$row"), import $(q "$T/cmp.db" "$row")"
[ "$(q "$DB" "SELECT plate FROM customers WHERE code = 'H00009'")" = "渝A21978" ] || fail "plate not normalised"
out=$(fc customer search 渝A21978) || fail "search: $out"
grep -q "^H00009 " <<<"$out" || fail "search does not find the pulled plate: $out"
ok "dotted plate 渝a·21978 stored as 渝A21978, as the import stores it, and found by search"

# The balance rule.  C00001's card 0A1B2C3F; head office's count of C00001
# is what the receiver holds of its records.
shown() { fc lookup 0A1B2C3F --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["points"])'; }
hq_points() { q "$T/hq.db" "SELECT sum(points) FROM received WHERE customer = 'C00001'"; }
delta_of() { q "$DB" "SELECT delta FROM points_ledger WHERE seq = $1"; }
# balance VERSION POINTS SEQ: the pull head office answers next
balance() {
	printf '{"kind":"customer","code":"C00001","name":"Customer 1","nature":"individual","industry":"other","points":%s,"points_seq":%s}\n{"kind":"version","version":"%s"}\n' \
		"$2" "$3" "$1" >"$T/balance-$1.ndjson"
	rx_ctl "master=$T/balance-$1.ndjson"
}
version_is() { [ "$(q "$DB" "SELECT value FROM meta WHERE key = 'master_version'")" = "$1" ]; }
# pull_while_pending VERSION: the service's first pull while head office
# refuses records (they stay pending), then the service stopped
pull_while_pending() {
	rx_ctl "mode=5xx"
	sync_bg "$T/daemon-$1.log"
	wait_for 30 version_is "$1" || fail "the service did not pull $1: $(cat "$T/daemon-$1.log")"
	kill -TERM "$SYNC_PID"
	wait "$SYNC_PID"
	rx_ctl "mode=ok"
}
P=$(hq_points)
P1=$P
balance b1 "$P" 40
fc sync --once 2>/dev/null || fail "sync b1"
[ "$(shown)" = "$P" ] || fail "b1: shown $(shown), head office $P"
[ "$(q "$DB" "SELECT sum(synced) || '/' || count(*) || '|' || (SELECT points_seq FROM customers WHERE code = 'C00001') FROM points_ledger")" = "40/40|40" ] ||
	fail "b1: ledger $(q "$DB" "SELECT sum(synced) || '/' || count(*) FROM points_ledger")"
# a pending record above points_seq: added once
fill 1 --customers 1
d41=$(delta_of 41)
balance b2 "$P" 40
pull_while_pending b2
pending_is 1 || fail "b2: record 41 not pending"
[ "$(shown)" = $((P + d41)) ] || fail "b2: shown $(shown), want $P + $d41"
# its acknowledgement dropped: head office counted it, the station still
# has it pending when the balance including it (points_seq 41) arrives
rx_ctl "mode=drop&count=1"
fc sync --once 2>/dev/null && fail "the dropped acknowledgement was not noticed"
pending_is 1 || fail "b3: record 41 not pending"
P=$(hq_points)
[ "$P" = "$(( $(q "$T/hq.db" "SELECT sum(points) FROM received WHERE customer = 'C00001' AND seq < 41") + d41 ))" ] ||
	fail "b3: head office did not count record 41"
balance b3 "$P" 41
pull_while_pending b3
pending_is 1 || fail "b3: record 41 no longer pending"
[ "$(shown)" = "$P" ] || fail "b3: shown $(shown), head office $P (record 41 counted twice?)"
# acknowledged, one more record, and head office's balance with points_seq 42
fill 1 --customers 1
d42=$(delta_of 42)
balance b4 $((P + d42)) 42
fc sync --once 2>/dev/null || fail "sync b4"
pending_is 0 || fail "b4: records left pending"
[ "$(hq_points)" = $((P + d42)) ] || fail "b4: head office holds $(hq_points)"
[ "$(shown)" = $((P + d42)) ] || fail "b4: shown $(shown), head office $((P + d42))"
if out=$(fc redeem --card 0A1B2C3F --points $((P + d42 + 1)) 2>&1); then fail "redeemed above the balance: $out"; fi
grep -q "cannot redeem" <<<"$out" || fail "redeem: $out"
ok "balance with points_seq: pending record 41 added once (b2: $P1 + $d41), counted once after its acknowledgement was dropped (b3: $P) and after it arrived with record 42 (b4: $((P + d42))); redemption capped at the same figure"
