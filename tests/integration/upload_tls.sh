#!/usr/bin/env bash
# upload_tls.sh — TLS to head office: verification is always on (an unknown
# CA is refused), [upload] ca_file trusts ours, [upload] pinned_key accepts
# the right public key and refuses another.
. "$(dirname "$0")/upload_lib.sh"

cert() { # name: a self-signed certificate for 127.0.0.1 in $T/name.{crt,key}
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
		-addext "subjectAltName=IP:127.0.0.1" -keyout "$T/$1.key" -out "$T/$1.crt" \
		2>/dev/null || fail "openssl req"
}
pin() { # name: sha256//base64 of the certificate's public key
	printf 'sha256//%s' "$(openssl x509 -in "$T/$1.crt" -pubkey -noout |
		openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)"
}
cert hq
cert other
rx_start --tls "$T/hq.crt" "$T/hq.key"
fill 20
tls_conf() { write_conf "$RX_PORT" "$@"; sed -i 's#^url = http://#url = https://#' "$T/fc.conf"; }

tls_conf
fc sync --once 2>"$T/noca.err" && fail "an unknown CA was accepted"
grep -qi "certificate" "$T/noca.err" || fail "no certificate error: $(cat "$T/noca.err")"
[ "$(rx_stat requests)" = 0 ] || fail "a request got through without verification"
ok "unknown CA refused: $(head -1 "$T/noca.err")"

tls_conf "ca_file = $T/other.crt"
fc sync --once 2>"$T/wrongca.err" && fail "a certificate of another CA was accepted"
ok "ca_file of another CA refused"

tls_conf "ca_file = $T/hq.crt" "pinned_key = $(pin other)"
fc sync --once 2>"$T/pin.err" && fail "a wrong pinned key was accepted"
grep -qi "pinned\|public key" "$T/pin.err" || fail "no pin error: $(cat "$T/pin.err")"
[ "$(pending)" = 20 ] || fail "records left the outbox"
ok "wrong pinned_key refused: $(head -1 "$T/pin.err")"

tls_conf "ca_file = $T/hq.crt" "pinned_key = $(pin hq)"
fc sync --once 2>"$T/ok.err" || fail "TLS with ca_file and the right pin: $(cat "$T/ok.err")"
[ "$(pending)" = 0 ] && [ "$(rx_stat distinct)" = 20 ] || fail "not delivered over TLS"
ok "ca_file + right pinned_key: 20 records delivered over https"
