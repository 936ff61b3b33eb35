#!/usr/bin/env bash
# hq_complaint_path.sh — the complaint book's path reaches head office
# (issue 16): a suggestion (no severity, no deadline), a general complaint
# handled, approved, told and closed, a special case approved at its second
# level, all synced by a real `forecourt sync` to a real `forecourt-hq`:
# every record accepted with the station's data, the complaints effect table
# knows the suggestion's kind, the complaint_updates effect table holds each
# step with who approved at which level and who told the customer, how and
# when; a step of an unknown kind or method is refused with a message.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hq_lib.sh"

pg_start
PORT=$(free_port)
hq_conf "$PORT"
hq init >/dev/null || fail "forecourt-hq init"
hq_serve
hq station add S0007 七号站 >/dev/null || fail "station add"
hq station token S0007 >"$T/token" 2>/dev/null || fail "station token"
chmod 600 "$T/token"
printf '[station]\nid = S0007\n[auth]\npepper_file = %s/pepper\n' "$T" >"$T/fc.conf"
printf '[upload]\nurl = http://127.0.0.1:%s\ntoken_file = %s/token\n' "$PORT" "$T" >>"$T/fc.conf"
printf 'backoff_base_ms = 1\nbackoff_cap_s = 1\n' >>"$T/fc.conf"
fc() { "$FC" --config "$T/fc.conf" --db "$T/fc.db" "$@"; }
h1() { printf '246824\n' | fc "$@" --as H1; }
fc init >/dev/null || fail "init"
printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "admin"
printf '999999\n246824\n246824\n' | fc staff add H1 Wang head --as A1 >/dev/null || fail "head"

out=$(h1 complaint add --kind suggestion "希望增设自助洗车") || fail "suggestion: $out"
id=$(awk '{print $2}' <<<"$out")
h1 complaint resolve "$id" --result 已转达 --handler 王站长 >/dev/null || fail "suggestion answered"
out=$(h1 complaint add "加油员态度差") || fail "general: $out"
id=$(awk '{print $2}' <<<"$out")
for step in "resolve --result 道歉并培训 --handler 王站长" approve "tell --how sms --by 小李" close; do
	h1 complaint $step "$id" >/dev/null || fail "general: $step"
done
out=$(h1 complaint add --severity special --approved-by 孙站长 "油品检测") || fail "special: $out"
id=$(awk '{print $2}' <<<"$out")
h1 complaint approve "$id" --approver 赵经理 >/dev/null || fail "level 2"
fc sync --once >"$T/sync.out" 2>"$T/sync.err" || fail "sync: $(cat "$T/sync.err")"
[ "$(q "$T/fc.db" "SELECT count(*) FROM outbox WHERE sent_at IS NULL")" = 0 ] ||
	fail "records left unsent: $(fc outbox status 2>&1)"
hq_records_match "$T/fc.db" S0007
[ "$(psql_q "SELECT kind || '|' || coalesce(severity, '-') || '|' || coalesce(deadline, '-') FROM complaints ORDER BY created_at LIMIT 1")" = \
	"suggestion|-|-" ] || fail "head office's suggestion: $(psql_q 'SELECT * FROM complaints')"
[ "$(psql_q "SELECT approval_level || '|' || approved_by FROM complaints WHERE severity = 'special'")" = \
	"station_head|孙站长" ] || fail "head office's special case"
[ "$(psql_q "SELECT string_agg(kind || ':' || coalesce(level || '#' || level_no || '=' || approved_by, '') ||
	coalesce(told_by || '/' || told_how, '') || ':' || u.status, ',' ORDER BY r.seq) FROM complaint_updates u JOIN records r ON r.id = u.record_id")" = \
	"resolve::closed,resolve::open,approve::open,tell:小李/sms:open,close::closed,level:branch_retail_manager#2=赵经理:open" ] ||
	fail "head office's complaint steps: $(psql_q 'SELECT * FROM complaint_updates')"
[ "$(psql_q "SELECT count(*) FROM complaint_updates WHERE kind = 'tell' AND happened_at IS NOT NULL")" = 1 ] ||
	fail "when the customer was told is not at head office"
ok "suggestion, general path and special level at head office, each step a record and a row"

# A step head office does not know is refused, naming the field.
post() {
	curl -sS -o "$T/reply" -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/v1/records" \
		-H "Authorization: Bearer $(cat "$T/token")" -H "X-Station-Id: S0007" \
		-H "Idempotency-Key: $1" -H 'Content-Type: application/x-ndjson' --data-binary @"$T/line"
}
cid=$(psql_q "SELECT id FROM complaints WHERE severity = 'general'")
seq=$(( $(q "$T/fc.db" "SELECT max(seq) FROM outbox") + 1 ))
printf '{"id":"019c0000-0000-7000-8000-000000000001","type":"complaint_update","station":"S0007","seq":%s,"created_at":"2026-02-12T02:00:00Z","data":{"complaint_id":"%s","kind":"tell","told_by":"x","told_how":"fax"}}\n' \
	"$seq" "$cid" >"$T/line"
[ "$(post k1)" = 200 ] || fail "post: $(cat "$T/reply")"
grep -qF "complaint_update: field 'told_how': 'fax' is not known" "$T/reply" || fail "fax accepted: $(cat "$T/reply")"
sed -i 's/"told_how":"fax"/"told_how":"sms"/; s/"kind":"tell"/"kind":"reopen"/' "$T/line"
[ "$(post k2)" = 200 ] || fail "post: $(cat "$T/reply")"
grep -qF "complaint_update: field 'kind': 'reopen' is not known" "$T/reply" || fail "reopen accepted: $(cat "$T/reply")"
ok "an unknown step or way of telling is refused with a message"
