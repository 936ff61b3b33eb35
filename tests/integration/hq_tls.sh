#!/usr/bin/env bash
# hq_tls.sh — forecourt-hq over TLS ([tls] cert and key, libmicrohttpd with
# GnuTLS): a station with [upload] ca_file and pinned_key delivers; a
# station that does not trust the certificate delivers nothing; a half
# [tls] section is a config error naming the file (exit 2).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hq_lib.sh"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
	-addext "subjectAltName=IP:127.0.0.1" -keyout "$T/hq.key" -out "$T/hq.crt" 2>/dev/null ||
	fail "openssl req"
pin=$(printf 'sha256//%s' "$(openssl x509 -in "$T/hq.crt" -pubkey -noout |
	openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)")
chmod 644 "$T/hq.key" "$T/hq.crt"

pg_start
PORT=$(free_port)
hq_conf "$PORT"
hq init >/dev/null || fail "init"
hq_conf "$PORT" "[tls]" "cert = $T/hq.crt"
out=$(hq station list 2>&1); rc=$?
[ $rc = 2 ] || fail "a [tls] cert without a key: exit $rc ($out)"
grep -qF "$T/hq.conf: [tls] needs both cert and key" <<<"$out" || fail "message: $out"
ok "half a [tls] section: exit 2, $out"

hq_conf "$PORT" "[tls]" "cert = $T/hq.crt" "key = $T/hq.key"
hq station add S0001 "TLS station" >/dev/null || fail "station add"
hq station token S0001 2>/dev/null >"$T/token" || fail "token"
chmod 600 "$T/token"
psql_q "INSERT INTO customers(code, name, nature, version) VALUES('C1', 'TLS customer',
	'individual', nextval('master_version_seq'));
	INSERT INTO cards(card_id, customer_code, card_kind, version) VALUES('00C0FFEE', 'C1',
	'personal', nextval('master_version_seq'))" >/dev/null || fail "archive"
hq_serve --cacert "$T/hq.crt" "https://127.0.0.1:$PORT/v1/health"
curl -s "http://127.0.0.1:$PORT/v1/health" >/dev/null && fail "plain HTTP answered on the TLS port"
ok "health over TLS with our CA; plain HTTP refused"

station_conf() {
	printf '[station]\nid = S0001\n[upload]\nurl = https://127.0.0.1:%s\ntoken_file = %s\n' \
		"$PORT" "$T/token" >"$T/fc.conf"
	printf '%s\n' "$@" >>"$T/fc.conf"
}
fc() { "$FC" --config "$T/fc.conf" --db "$T/fc.db" "$@"; }
station_conf
fc init >/dev/null || fail "station init"
fc sync --once 2>"$T/noca.err" && fail "a station without the CA trusted head office"
grep -qi certificate "$T/noca.err" || fail "no certificate error: $(cat "$T/noca.err")"
ok "a station that does not trust the certificate is refused: $(head -1 "$T/noca.err")"

station_conf "connect_timeout_s = 5" "ca_file = $T/hq.crt" "pinned_key = $pin"
fc sync --once 2>"$T/sync.err" || fail "sync over TLS: $(cat "$T/sync.err")"
fc visit --card 00C0FFEE --grade 92# --litres 30 --pump 2 >/dev/null || fail "visit"
fc sync --once 2>>"$T/sync.err" || fail "sync over TLS: $(cat "$T/sync.err")"
[ "$(psql_q "SELECT count(*) FROM visits WHERE station = 'S0001' AND customer_code = 'C1'")" = 1 ] ||
	fail "the visit did not reach head office over TLS: $(cat "$T/sync.err")"
ok "master data and a visit over TLS with ca_file and the pinned key"
