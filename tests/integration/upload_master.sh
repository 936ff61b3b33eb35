#!/usr/bin/env bash
# upload_master.sh — master data pulled from head office: a good pull applies
# every kind and records the version (next pull asks since it); points from
# head office mark acknowledged ledger rows synced; a bad line 5000 of 6000
# (and a truncated reply) changes nothing and names the line.
. "$(dirname "$0")/upload_lib.sh"

rx_start
write_conf "$RX_PORT"
fill 40 --customers 1 --invalid-every 4   # C00001: 30 records accepted, 10 rejected

cat >"$T/good.ndjson" <<'EOF'
{"kind":"customer","code":"H00001","name":"张三物流","nature":"big","industry":"logistics","tier":"diamond","phone":"13800000001"}
{"kind":"customer","code":"H00002","name":"李四","nature":"individual","points":"250"}
{"kind":"customer","code":"C00001","name":"Customer 1","nature":"individual","points":9000}
{"kind":"card","card_id":"0A1B2C3D","customer_code":"H00001","card_kind":"unit"}
{"kind":"card","card_id":"0A1B2C3E","customer_code":"H00002","card_kind":"personal"}
{"kind":"blocked","card_id":"0A1B2C3E","reason":"lost"}
{"kind":"blocked","card_id":"FFFF0000","reason":"stolen elsewhere"}
{"kind":"tier","customer_code":"H00002","tier":"gold","period":"2026H1"}
{"kind":"price","grade":"92#","tier":"diamond","nature":"big","discount_fen_per_litre":30}
{"kind":"holiday","date":"2026-10-01","day_kind":"holiday","name":"国庆节"}
{"kind":"holiday","date":"2026-10-11","day_kind":"workday","name":"调休"}
{"kind":"version","version":"2026-07-01#17"}
EOF
rx_ctl "master=$T/good.ndjson"
fc sync --once 2>"$T/good.log" || fail "sync: $(cat "$T/good.log")"
[ "$(q "$DB" "SELECT value FROM meta WHERE key = 'master_version'")" = "2026-07-01#17" ] ||
	fail "master_version not recorded"
[ "$(q "$DB" "SELECT name || '|' || tier || '|' || tier_source FROM customers WHERE code = 'H00001'")" = "张三物流|diamond|hq" ] ||
	fail "customer H00001 not applied"
[ "$(q "$DB" "SELECT tier || '|' || points_synced FROM customers WHERE code = 'H00002'")" = "gold|250" ] ||
	fail "tier/points of H00002 not applied"
[ "$(q "$DB" "SELECT status || '|' || blocked_reason FROM cards WHERE card_id = '0A1B2C3E'")" = "blocked|lost" ] ||
	fail "blocked card not applied"
[ "$(q "$DB" "SELECT discount_fen_per_litre FROM prices WHERE grade = '92#' AND tier = 'diamond'")" = 30 ] ||
	fail "price not applied"
[ "$(q "$DB" "SELECT count(*) FROM holidays")" = 2 ] || fail "holidays not applied"
[ "$(q "$DB" "SELECT count(*) FROM tier_history WHERE new_tier = 'gold' AND source = 'hq'")" = 1 ] ||
	fail "tier history not kept"
grep -q "master data version 2026-07-01#17 (11 lines)" "$T/good.log" || fail "log: $(cat "$T/good.log")"
# Points: head office's 9000 includes the 30 accepted records, not the 10 dead ones.
[ "$(q "$DB" "SELECT points_synced FROM customers WHERE code = 'C00001'")" = 9000 ] || fail "points_synced"
[ "$(q "$DB" "SELECT sum(synced) || '/' || count(*) FROM points_ledger")" = "30/40" ] ||
	fail "ledger synced flags: $(q "$DB" "SELECT sum(synced) || '/' || count(*) FROM points_ledger")"
ok "good pull: 11 lines of every kind applied, version recorded, 30 acknowledged ledger rows synced, 10 dead ones not"

fc sync --once 2>/dev/null || fail "second sync"
[ "$(rx_json last_since)" = "2026-07-01#17" ] || fail "second pull asked since $(rx_json last_since)"
ok "the next pull asks since=2026-07-01#17"

snapshot() {
	sqlite3 "$DB" "SELECT * FROM customers; SELECT * FROM cards; SELECT * FROM prices;
		SELECT * FROM holidays; SELECT * FROM tier_history; SELECT * FROM points_ledger;
		SELECT * FROM meta WHERE key = 'master_version'"
}
snapshot >"$T/before.txt"

# 6000 lines, line 5000 bad (a platinum big customer), version at the end.
"$PY" - "$T/bad.ndjson" <<'EOF'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1, 6000):
        rec = {"kind": "customer", "code": "M%05d" % i, "name": "Master %d" % i,
               "nature": "big", "tier": "gold", "points": i}
        if i == 5000:
            rec["tier"] = "platinum"
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    f.write('{"kind":"version","version":"2026-07-02#18"}\n')
EOF
rx_ctl "master=$T/bad.ndjson"
fc sync --once 2>"$T/bad.log" && fail "sync accepted a bad master file"
grep -q "line 5000: field 'tier': 'platinum' is not a tier of a big customer" "$T/bad.log" ||
	fail "message does not name line 5000: $(cat "$T/bad.log")"
snapshot >"$T/after.txt"
cmp -s "$T/before.txt" "$T/after.txt" || fail "a rejected pull changed the database"
fc outbox status >"$T/status.txt"
grep -q "^master data: *version 2026-07-01#17" "$T/status.txt" || fail "status: $(cat "$T/status.txt")"
grep -q "^master error: .*line 5000" "$T/status.txt" || fail "status: $(cat "$T/status.txt")"
ok "bad line 5000 of 6000: $(grep -o 'head office master data line 5000[^"]*' "$T/bad.log" | head -1); nothing changed"

head -n 3000 "$T/bad.ndjson" >"$T/trunc.ndjson"
rx_ctl "master=$T/trunc.ndjson"
fc sync --once 2>"$T/trunc.log" && fail "sync accepted a truncated master file"
grep -q "no version line at the end after 3000 lines" "$T/trunc.log" || fail "truncation: $(cat "$T/trunc.log")"
printf '{"kind":"customer","code":"X1","name":"x","nature":"big"}\n{"kind":"customer",\n' >"$T/junk.ndjson"
rx_ctl "master=$T/junk.ndjson"
fc sync --once 2>"$T/junk.log" && fail "sync accepted a broken JSON line"
grep -q "line 2: not JSON" "$T/junk.log" || fail "junk: $(cat "$T/junk.log")"
snapshot >"$T/after2.txt"
cmp -s "$T/before.txt" "$T/after2.txt" || fail "a rejected pull changed the database"
ok "truncated reply and broken JSON line refused with the line, nothing changed"
