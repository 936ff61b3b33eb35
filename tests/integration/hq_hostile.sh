#!/usr/bin/env bash
# hq_hostile.sh — hostile input against the real forecourt-hq (loopback
# only): a 100 MiB body (with Content-Length, and chunked), a 10 MiB line,
# invalid UTF-8, JSON nesting bombs, 1 000 idle and slow connections (per-IP
# and global limits), a wrong Content-Type, wrong or missing tokens, a
# disabled station, wrong methods, unknown paths, oversized headers.  Each
# gets a clear status; after each the service answers /v1/health 200 and
# its peak memory (VmHWM, under ASan) stays below 200 MiB; it still takes a
# real record at the end.  Also: forecourt-hq refuses to run as root, and a
# bad config line is "FILE:LINE: ..." with exit 2.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hq_lib.sh"

MEM_MAX_KB=$((200 * 1024))

# Refuses root; bad config lines.  (Before the cluster: needs none.)
if [ "$(id -u)" = 0 ]; then
	"$HQ_BIN" --config /dev/null stats >/dev/null 2>"$T/err"; rc=$?
	[ $rc = 1 ] || fail "forecourt-hq as root: exit $rc"
	grep -qF "refusing to run as root" "$T/err" || fail "forecourt-hq as root: $(cat "$T/err")"
	ok "forecourt-hq refuses to run as root (exit 1)"
fi
badconf() { # expected-message lines...
	local want=$1; shift
	printf '%s\n' "$@" >"$T/bad.conf"
	chmod 644 "$T/bad.conf"
	as_user "$HQ_BIN" --config "$T/bad.conf" serve >/dev/null 2>"$T/err"; local rc=$?
	[ $rc = 2 ] || fail "bad config ($*): exit $rc: $(cat "$T/err")"
	grep -qF -- "$T/bad.conf:$want" "$T/err" || fail "bad config ($*): $(cat "$T/err")"
}
chmod 755 "$T"
badconf "3: bad value for 'threads' in [http]: 'many'" '[http]' 'listen = 127.0.0.1:1' 'threads = many'
badconf "2: unknown key 'treads' in [http]" '[http]' 'treads = 4'
badconf "4: unknown key 'x' in [htttp]" '[http]' 'threads = 4' '[htttp]' 'x = 1'
badconf "1: syntax error" 'threads'
badconf "5: bad value for 'body_max' in [limits]" '[http]' 'threads = 4' '' '[limits]' 'body_max = -1'
as_user "$HQ_BIN" --config "$T/none.conf" serve >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -qF "$T/none.conf: cannot read config" "$T/err" ||
	fail "a missing config file: exit $rc: $(cat "$T/err")"
ok "bad config: FILE:LINE: and exit 2"

pg_start
PORT=$(free_port)
hq_conf "$PORT" "[http]" "timeout_s = 2" "threads = 4" "connection_limit = 200" "per_ip_limit = 100" \
	"[limits]" "body_max = 16777216" "line_max = 262144"
hq init >/dev/null || fail "forecourt-hq init"
hq station add S0001 "一号站" >/dev/null || fail "station add"
TOKEN=$(hq station token S0001 2>/dev/null) || fail "station token"
hq_serve
U=http://127.0.0.1:$PORT
AUTH=(-H "Authorization: Bearer $TOKEN" -H "X-Station-Id: S0001")
NDJSON=(-H 'Content-Type: application/x-ndjson')

hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$HQ_PID/status"; }
# still_up AFTER: the service answers /v1/health 200 and its peak memory is bounded.
still_up() {
	local code
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$U/v1/health")
	[ "$code" = 200 ] || fail "after $1: /v1/health answered $code; $(tail -3 "$T/hq.log")"
	[ "$(hwm_kb)" -lt "$MEM_MAX_KB" ] || fail "after $1: forecourt-hq's VmHWM is $(hwm_kb) kB"
}
# req STATUS TEXT CURL-ARGS...: curl must answer STATUS with TEXT in the body.
req() {
	local want=$1 text=$2 code; shift 2
	code=$(curl -s -o "$T/body" -w '%{http_code}' --max-time 120 "$@")
	[ "$code" = "$want" ] || fail "HTTP $code, want $want ($text): $(head -c 300 "$T/body")"
	grep -qF -- "$text" "$T/body" || fail "HTTP $want without '$text': $(head -c 300 "$T/body")"
}
post() { req "$1" "$2" "${AUTH[@]}" "${NDJSON[@]}" --data-binary @- "$U/v1/records"; }
big() { head -c "$1" /dev/zero | tr '\0' x; }
still_up "start"
start_kb=$(hwm_kb)

big $((100 << 20)) | post 413 "body of 104857600 bytes: at most 16777216 bytes per request"
still_up "a 100 MiB body with Content-Length"
big $((100 << 20)) | req 413 "body over 16777216 bytes: send smaller batches" "${AUTH[@]}" "${NDJSON[@]}" \
	-H 'Transfer-Encoding: chunked' -X POST -T - "$U/v1/records"
still_up "a 100 MiB chunked body"
ok "100 MiB bodies: 413 (announced and chunked); VmHWM $start_kb -> $(hwm_kb) kB"

{ printf '{"a":1}\n{"b":"'; big $((10 << 20)); printf '"}\n'; } |
	post 413 "line 2: 10485768 bytes, more than the 262144 a line may have"
still_up "a 10 MiB line"
ok "a 10 MiB line: 413 naming line 2; VmHWM $(hwm_kb) kB"

printf '{"a":1}\n{"b":2}\n{"c":"\xff\xfe"}\n' | post 400 "line 3: unable to decode byte 0xff"
printf '{"a":1}\n{"c":"\xc0\xaf"}\n' | post 400 "line 2: unable to decode byte 0xc0"
printf '{"a":"\xed\xa0\x80"}\n' | post 400 "line 1: unable to decode byte 0xed"
printf '{"a":1}\n\n{"a":"\\ud800"}\n' | post 400 "line 3: invalid Unicode"
still_up "invalid UTF-8"
python3 -c 'print("[" * 100000)' | post 400 "line 1: maximum parsing depth reached"
python3 -c 'print("{\"a\":" * 50000)' | post 400 "line 1: maximum parsing depth reached"
python3 -c 'print("{\"a\":1}\n" + "[" * 3000 + "]" * 3000)' | post 400 "line 2: maximum parsing depth reached"
printf '{"a":1}\n[1]\n' | post 400 "line 2: not a JSON object"
printf '{"a":1} {"b":2}\n' | post 400 "line 1: more than one JSON value"
still_up "JSON nesting bombs"
ok "invalid UTF-8 and nesting bombs: 400 naming the line"

# 1 000 connections from one address: at most per_ip_limit (100) held, the
# rest refused, health answers meanwhile; the silent and slow ones dropped.
"$FORECOURT_SRC/tests/tools/hq_flood.py" "$PORT" "$HQ_PID" 1000 2 108 60 >"$T/flood1" ||
	fail "1000 connections from one address: $(cat "$T/flood1")"
grep -qF '"health": 200' "$T/flood1" || fail "health during the flood: $(cat "$T/flood1")"
still_up "1000 idle connections from one address"
ok "1000 idle/slow connections from one address: $(cat "$T/flood1")"
# 1 000 from ten addresses: at most connection_limit (200) held at once.
"$FORECOURT_SRC/tests/tools/hq_flood.py" "$PORT" "$HQ_PID" 1000 10,11,12,13,14,15,16,17,18,19 208 120 \
	>"$T/flood2" || fail "1000 connections from ten addresses: $(cat "$T/flood2")"
wait_for 30 sh -c "curl -sf --max-time 5 '$U/v1/health' >/dev/null" || fail "no health after the flood"
still_up "1000 idle connections from ten addresses"
ok "1000 idle/slow connections from ten addresses: $(cat "$T/flood2")"

req 415 "Content-Type must be application/x-ndjson (got 'text/plain')" "${AUTH[@]}" \
	-H 'Content-Type: text/plain' --data-binary '{}' "$U/v1/records"
req 415 "Content-Type must be application/x-ndjson (got 'application/x-www-form-urlencoded')" \
	"${AUTH[@]}" --data-binary '{}' "$U/v1/records"
req 415 "(got '')" "${AUTH[@]}" -H 'Content-Type:' --data-binary '{}' "$U/v1/records"
still_up "a wrong Content-Type"
req 401 "wrong token for station 'S0001'" -H "Authorization: Bearer x$TOKEN" -H "X-Station-Id: S0001" \
	"${NDJSON[@]}" --data-binary '{}' "$U/v1/records"
req 401 "missing Authorization" -H "X-Station-Id: S0001" "${NDJSON[@]}" --data-binary '{}' "$U/v1/records"
req 401 "missing Authorization" -H "Authorization: Basic $TOKEN" -H "X-Station-Id: S0001" \
	"${NDJSON[@]}" --data-binary '{}' "$U/v1/records"
req 401 "X-Station-Id" -H "Authorization: Bearer $TOKEN" "${NDJSON[@]}" --data-binary '{}' "$U/v1/records"
req 401 "wrong token for station 'S0099'" -H "Authorization: Bearer $TOKEN" -H "X-Station-Id: S0099" \
	"${NDJSON[@]}" --data-binary '{}' "$U/v1/records"
req 401 "wrong token" -H "Authorization: Bearer x$TOKEN" -H "X-Station-Id: S0001" "$U/v1/master?since=0"
curl -s -D "$T/headers" -o /dev/null -H "X-Station-Id: S0001" "$U/v1/master"
grep -qi '^WWW-Authenticate: Bearer' "$T/headers" || fail "401 without WWW-Authenticate: $(cat "$T/headers")"
still_up "wrong tokens"
hq station add S0002 "二号站" >/dev/null && TOKEN2=$(hq station token S0002 2>/dev/null) ||
	fail "station S0002"
hq station disable S0002 >/dev/null || fail "station disable"
req 403 "" -H "Authorization: Bearer $TOKEN2" -H "X-Station-Id: S0002" "${NDJSON[@]}" \
	--data-binary '{}' "$U/v1/records"
req 403 "" -H "Authorization: Bearer $TOKEN2" -H "X-Station-Id: S0002" "$U/v1/master?since=0"
still_up "a disabled station"
ok "415 for a wrong Content-Type, 401 for wrong or missing tokens, 403 for a disabled station"

req 405 "/v1/records takes POST" "${AUTH[@]}" "$U/v1/records"
curl -s -D "$T/headers" -o /dev/null "$U/v1/records"
grep -qi '^Allow: POST' "$T/headers" || fail "405 without Allow: $(cat "$T/headers")"
req 405 "/v1/health takes GET" -X POST --data-binary x "$U/v1/health"
req 405 "/v1/master takes GET" -X DELETE "$U/v1/master"
big $((5 << 20)) | req 405 "/metrics takes GET" -X PUT --data-binary @- "$U/metrics"
req 404 "no such path: /" "$U/"
req 404 "no such path: /v1/records/x" "$U/v1/records/x"
req 404 "no such path" --path-as-is "$U/v1/../../etc/passwd"
req 431 "" -H "X-Big: $(big 100000)" "$U/v1/health"
req 414 "" "$U/v1/health?x=$(big 100000)"
still_up "wrong methods, paths and headers"
ok "405 with Allow, 404, 431 and 414 for oversized headers and URLs"

# A callback whose study names an unknown loss reason is refused, naming it.
printf '%s\n' '{"id":"01a24ce0-0000-7000-8000-0000000000c1","type":"callback","station":"S0001","seq":1,"created_at":"2026-12-06T10:00:00.000Z","data":{"customer_code":"C1","method":"phone","notes":"x","loss_reason":"cheaper"}}' |
	post 200 "callback: field 'loss_reason': 'cheaper' is not known"
ok "a callback with an unknown loss reason: bad_field naming it"

# After all that, a real record is taken.
printf '%s\n' '{"id":"01a24ce0-0000-7000-8000-000000000001","type":"visit","station":"S0001","seq":1,"created_at":"2026-12-06T10:00:00.000Z","data":{"pump":1,"grade":"92#","volume_ml":10000,"amount_fen":7600,"price_fen_per_litre":760,"discount_fen":0,"points_earned":0,"anonymous":true}}' |
	post 200 '"accepted":["01a24ce0-0000-7000-8000-000000000001"]'
[ "$(psql_q "SELECT count(*) FROM records") $(psql_q "SELECT count(*) FROM visits")" = "1 1" ] ||
	fail "records stored by the hostile requests: $(psql_q 'SELECT id, type FROM records')"
still_up "a real record"
ok "still takes a real record; nothing else stored; VmHWM at the end $(hwm_kb) kB (limit $MEM_MAX_KB)"
# Seqs that arrive out of order wait for the gap: seq 4 first (station_seq
# stays 1, 4 waits), then 2 and 3 in one batch close it (station_seq 4,
# nothing waits); each line stored as posted, spaces and key order aside.
vis() { # SEQ
	printf '{ "seq": %d, "type":"visit","station":"S0001","id":"01a24ce0-0000-7000-8000-00000000010%d","created_at":"2026-12-06T10:0%d:00.000Z","data":{"pump":1,"grade":"92#","volume_ml":10000,"amount_fen":7600,"price_fen_per_litre":760,"discount_fen":0,"points_earned":0,"anonymous":true}}\n' "$1" "$1" "$1"
}
seqs() { psql_q "SELECT station_seq || '|' || max_seq || '|' || coalesce((SELECT string_agg(seq::text, ',' ORDER BY seq) FROM seen_seqs), '') FROM stations WHERE id = 'S0001'"; }
vis 4 | post 200 '"station_seq":1'
[ "$(seqs)" = "1|4|4" ] || fail "after seq 4 alone: station_seq|max_seq|waiting $(seqs), want 1|4|4"
{ vis 3; vis 2; } | post 200 '"station_seq":4'
[ "$(seqs)" = "4|4|" ] || fail "after seqs 3 and 2: station_seq|max_seq|waiting $(seqs), want 4|4|"
[ "$(psql_q "SELECT string_agg(seq || ':' || (data->>'volume_ml'), ',' ORDER BY seq) FROM records")" = "1:10000,2:10000,3:10000,4:10000" ] ||
	fail "records after the gap closed: $(psql_q 'SELECT seq, data FROM records')"
ok "seq 4 waits for 2 and 3; they close the gap (station_seq 4, no seq waiting)"
hq_stop
ok "forecourt-hq stopped on SIGTERM, no sanitizer report in its log"
