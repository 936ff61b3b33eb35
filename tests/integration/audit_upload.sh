#!/usr/bin/env bash
# audit_upload.sh — every audit row's hash reaches head office (a real
# forecourt-hq on a private PostgreSQL), not only those of audit events:
# fuellings, blocked cards, staff, imports, holiday loads and outbox
# retries and prunes; imports, holiday loads, outbox runs and CLI fuellings
# name who did them ("by cli" without --as); the station keeps the last row
# head office acknowledged, and `audit verify` finds rows deleted from the
# end up to it (an edit it found already).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hq_lib.sh"

pg_start
PORT=$(free_port)
hq_conf "$PORT"
hq init >/dev/null || fail "forecourt-hq init"
hq station add S0042 审计站 >/dev/null || fail "station add"
hq station token S0042 >"$T/token" 2>/dev/null || fail "station token"
chmod 600 "$T/token"
hq_serve

DB=$T/fc.db
cat >"$T/fc.conf" <<CONF
[station]
id = S0042
[auth]
pepper_file = $T/pepper
[upload]
url = http://127.0.0.1:$PORT
token_file = $T/token
backoff_base_ms = 1
backoff_cap_s = 1
CONF
fc() { "$FC" --config "$T/fc.conf" --db "$DB" "$@"; }

fc init >/dev/null || fail "init"
printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "first admin"
printf '0000\n' | fc staff login A1 >/dev/null 2>&1 && fail "a wrong PIN logged in"
printf 'code,name,nature,industry,tier\nK1,顺达物流,big,logistics,gold\n' >"$T/customers.csv"
printf 'card_id,customer_code,kind\n0A1B2C3D01,K1,unit\n0A1B2C3D04,K1,unit\n' >"$T/cards.csv"
printf 'card_id,reason\n0A1B2C3D04,挂失\n' >"$T/blocked.csv"
chmod 644 "$T"/*.csv
for kind in customers cards blocked; do # the same archive at head office and the station
	hq import "$kind" "$T/$kind.csv" >/dev/null || fail "forecourt-hq import $kind"
	fc import "$kind" "$T/$kind.csv" >/dev/null || fail "import $kind"
done
fc holidays load "$FORECOURT_SRC/config/holidays.conf" >/dev/null || fail "holidays load"
fc visit --card 0A1B2C3D01 --grade 92# --litres 40 >/dev/null || fail "visit"
fc visit --anonymous --grade 95# --amount 100 >/dev/null || fail "anonymous visit"
fc lookup 0A1B2C3D04 >/dev/null 2>&1 && fail "a blocked card looked up as usable"
fc outbox prune >/dev/null || fail "prune"

# Who did it: the CLI without --as.
for action in import holidays_load visit outbox_prune; do
	n=$(q "$DB" "SELECT count(*) FROM audit WHERE action = '$action' AND staff_id IS NULL
		AND detail LIKE '% (by cli)'")
	[ "$n" -ge 1 ] || fail "no $action audit row by cli: $(q "$DB" "SELECT * FROM audit")"
done
[ "$(q "$DB" "SELECT count(*) FROM audit WHERE action = 'import'")" = 3 ] || fail "one import row per file"
grep -qF "customers $T/customers.csv: 1 rows, 1 inserted" <<<"$(q "$DB" "SELECT detail FROM audit")" ||
	fail "import row: $(q "$DB" "SELECT detail FROM audit WHERE action = 'import'")"
ok "imports, holiday load, CLI fuellings and the prune are audited by cli"

rows=$(q "$DB" "SELECT count(*) FROM audit")
fc sync --once >"$T/sync.log" 2>&1 || fail "sync: $(cat "$T/sync.log")"
[ "$(q "$DB" "SELECT count(*) FROM outbox WHERE state <> 'sent'")" = 0 ] ||
	fail "records left to send: $(q "$DB" "SELECT seq, type, state, last_error FROM outbox WHERE state <> 'sent'") $(q "$DB" "SELECT * FROM dead_letters")"
# Head office holds every row's id and hash, as the station wrote them.
q "$DB" "SELECT id || ' ' || action || ' ' || hash FROM audit ORDER BY id" >"$T/station.audit"
psql_q "SELECT audit_id || ' ' || action || ' ' || hash FROM audit_hashes
	WHERE station = 'S0042' ORDER BY audit_id" >"$T/hq.audit"
diff "$T/station.audit" "$T/hq.audit" >"$T/audit.diff" ||
	fail "audit rows at the station and head office differ: $(head -20 "$T/audit.diff")"
for action in visit blocked_card_seen staff_add import holidays_load; do
	grep -q " $action " "$T/hq.audit" || fail "no $action hash at head office"
done
ok "all $rows audit rows (visits, blocked card, staff, imports, holidays, prune) at head office with their hashes"

last=$(q "$DB" "SELECT max(id) FROM audit")
[ "$(q "$DB" "SELECT json_extract(value, '\$.id') FROM meta WHERE key = 'audit_acked'")" = "$last" ] ||
	fail "last acknowledged row not kept: $(q "$DB" "SELECT value FROM meta WHERE key = 'audit_acked'")"
[ "$(q "$DB" "SELECT json_extract(m.value, '\$.hash') = a.hash FROM meta m, audit a
	WHERE m.key = 'audit_acked' AND a.id = $last")" = 1 ] || fail "kept hash is not row $last's"
out=$(fc audit verify) || fail "verify: $out"
grep -qF "audit log intact: $rows rows, hash chain verified; head office acknowledged up to row $last" <<<"$out" ||
	fail "verify: $out"
ok "the station keeps row $last as the last one head office acknowledged: $out"

# An attacker removes the last two rows (a fuelling and what followed):
# the chain that is left is whole, but head office acknowledged row $last.
sqlite3 "$DB" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id > $((last - 2));" ||
	fail "sqlite3 delete"
out=$(fc audit verify) && fail "a log cut short verified: $out"
grep -qF "audit log ALTERED: row $((last - 1)): rows $((last - 1))..$last are missing from the end (head office acknowledged row $last)" <<<"$out" ||
	fail "the cut is not named: $out"
ok "rows deleted from the end are found: $out"
# Writing new rows in their place does not hide it.
fc holidays load "$FORECOURT_SRC/config/holidays.conf" >/dev/null || fail "holidays load"
fc holidays load "$FORECOURT_SRC/config/holidays.conf" >/dev/null || fail "holidays load"
out=$(fc audit verify) && fail "rows written again verified: $out"
grep -qF "audit log ALTERED: row $last: its hash is not the one head office acknowledged" <<<"$out" ||
	fail "the rewritten row is not named: $out"
ok "rows written again in their place are found: $out"
hq_stop
