#!/usr/bin/env bash
# Records what a real authentik answers to the authenticator stage endpoints
# (/stages/authenticator/{duo,totp,static,webauthn,sms,email,validate,endpoint_gdtc}/
# and /stages/authenticator/webauthn_device_types/), in the transcript format of
# README.md. It uses the API only, but for WebAuthn device types a 2025.12.4
# kit lacks (an ORM fixture, see below). Every stage it creates is
# named "smoke-st-…" and deleted again (by the recorded calls, and then by a
# silent clean-up through /stages/all/ for whatever a call left behind).
#
# Usage (from the repository root):
#   AK_URL=http://127.0.0.1:9000 internal/fakeauthentik/testdata/real/record-stages.sh \
#     > internal/fakeauthentik/testdata/real/stages-2024.10.5.txt
#   AK_URL=http://127.0.0.1:9001 internal/fakeauthentik/testdata/real/record-stages.sh \
#     > internal/fakeauthentik/testdata/real/stages-2025.12.4.txt
# AK_TOKEN defaults to the local servers' fixed admin token.
set -euo pipefail
BASE="${AK_URL:-http://127.0.0.1:9000}/api/v3"
TOKEN="${AK_TOKEN:-realauthentik-local-api-token}"
OUT="$(mktemp -d)"
n=0

raw() { # method path [body]: an unrecorded call, body to stdout
  local args=(-s -X "$1" -H "Authorization: Bearer $TOKEN")
  [ -n "${3:-}" ] && args+=(-H "Content-Type: application/json" --data "$3")
  curl "${args[@]}" "$BASE$2"
}

cleanup() { # delete every smoke-st-… stage, unrecorded
  raw GET "/stages/all/?search=smoke-st-&page_size=100" | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("results", []):
    if r["name"].startswith("smoke-st-"):
        print(r["pk"])' | while read -r pk; do raw DELETE "/stages/all/$pk/" >/dev/null; done
}
trap 'cleanup; rm -rf "$OUT"' EXIT
cleanup

section() { printf '======== %s\n\n' "$*"; }

call() { # method path [json-body]
  local m="$1" p="$2" body="${3:-}"
  n=$((n + 1))
  local args=(-s -o "$OUT/b$n" -D "$OUT/h$n" -X "$m" -H "Accept: application/json" -H "Authorization: Bearer $TOKEN")
  [ -n "$body" ] && args+=(-H "Content-Type: application/json" --data "$body")
  curl "${args[@]}" "$BASE$p" >/dev/null
  echo "### [$n] $m $p"
  [ -n "$body" ] && echo "request: $body"
  echo "status: $(head -1 "$OUT/h$n" | tr -d '\r')"
  echo "content-type: $(grep -i '^content-type:' "$OUT/h$n" | cut -d' ' -f2- | tr -d '\r')"
  grep -i '^allow:' "$OUT/h$n" | tr -d '\r' | sed 's/^[Aa]llow:/allow:/' || true
  if grep -qi 'content-type: text/html' "$OUT/h$n"; then
    echo "body (html, $(wc -c <"$OUT/b$n") bytes; <title>/<h1>): $(tr -d '\n' <"$OUT/b$n" | grep -o '<\(title\|h1\)[^>]*>[^<]*' | sed -E 's/<[^>]*>//; s/  */ /g' | tr '\n' '|')"
  else
    echo "body: $(cat "$OUT/b$n")"
  fi
  echo
}

# call_page: like call, but prints only the pagination object and result count
call_page() {
  n=$((n + 1))
  curl -s -o "$OUT/b$n" -D "$OUT/h$n" -X "$1" -H "Authorization: Bearer $TOKEN" "$BASE$2" >/dev/null
  echo "### [$n] $1 $2"
  echo "status: $(head -1 "$OUT/h$n" | tr -d '\r')"
  echo "content-type: $(grep -i '^content-type:' "$OUT/h$n" | cut -d' ' -f2- | tr -d '\r')"
  echo "body (summary): $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps({"pagination": d.get("pagination"), "len(results)": len(d.get("results", [])), "keys": sorted(d)}))' "$OUT/b$n" 2>/dev/null || cat "$OUT/b$n")"
  echo
}

# jget PATH: value at a dotted path in the last answer's JSON body ("" if none)
jget() {
  python3 - "$OUT/b$n" "$1" <<'PY' 2>/dev/null || true
import json, sys
v = json.load(open(sys.argv[1]))
for part in sys.argv[2].split("."):
    v = v[int(part)] if isinstance(v, list) else v[part]
print(v)
PY
}

MISSING=11111111-1111-4111-8111-111111111111 # a well-formed uuid of nothing
# Device types every MDS import has (YubiKey 5 Series, with NFC, Google Titan).
DT1=cb69481e-8ff7-4039-93ec-0a2729a154a8
DT2=fa2b99dc-9e39-4257-8f92-4a30d23c4118
DT3=42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3

# The 2025.12.4 test server has no WebAuthn device types (observations §5.1):
# create the ones these calls use through the ORM, as the 2024.10.5 server's
# MDS import has them (scripts/lib/realauthentik-fixtures.py).
SETUP="${AK_SETUP:-/work/shared/realauthentik/setup.sh}"
case "$BASE" in *:9001/*) export AK_VERSION=2025.12.4 ;; *) export AK_VERSION=2024.10.5 ;; esac
CREATED="$("$SETUP" shell <"$(dirname "${BASH_SOURCE[0]}")/../../../../scripts/lib/realauthentik-fixtures.py" | grep '^FIXTURE ' | cut -d' ' -f2-)"
section "fixtures (ORM): WebAuthn device types created because missing: ${CREATED:-?}"

section "flows (configure_flow targets)"
call GET /flows/instances/default-authenticator-totp-setup/
FLOW="$(jget pk)"

section "webauthn device types"
call_page GET /stages/authenticator/webauthn_device_types/
call GET "/stages/authenticator/webauthn_device_types/?aaguid=$DT1"
call GET "/stages/authenticator/webauthn_device_types/?aaguid=00000000-0000-0000-0000-000000000000"
call GET "/stages/authenticator/webauthn_device_types/?description=YubiKey%205%20Series%20with%20NFC"
call GET "/stages/authenticator/webauthn_device_types/?search=titan"
call GET "/stages/authenticator/webauthn_device_types/?search=$DT3"
call GET "/stages/authenticator/webauthn_device_types/?aaguid=not-a-uuid"
call GET "/stages/authenticator/webauthn_device_types/$DT1/"
call GET "/stages/authenticator/webauthn_device_types/$MISSING/"
call GET /stages/authenticator/webauthn_device_types/not-a-uuid/
call POST /stages/authenticator/webauthn_device_types/ '{"aaguid":"'$MISSING'","description":"x"}'

# kind NAME MIN FULL PUT PATCH: the calls every kind gets. MIN and FULL are
# create bodies; FULL names the stage smoke-st-NAME-full. Sets PK_MIN, PK_FULL.
kind() {
  local k="$1" min="$2" full="$3" put="$4" patch="$5" p="/stages/authenticator/$1/"
  section "$k stage"
  call GET "${p}?ordering=name"
  SEEDED="$(jget results.0.pk)"
  call POST "$p" "$min"
  PK_MIN="$(jget pk)"
  call POST "$p" "$full"
  PK_FULL="$(jget pk)"
  call POST "$p" '{}'
  call POST "$p" '{"name":""}'
  call POST "$p" '{"name":"default-authentication-password"}'
  call GET "${p}${PK_FULL:-$MISSING}/"
  call GET "${p}?name=smoke-st-$k-full"
  call GET "${p}?search=SMOKE-ST-$k&ordering=-name"
  call PATCH "${p}${PK_FULL:-$MISSING}/" "$patch"
  call PATCH "${p}${PK_FULL:-$MISSING}/" '{"configure_flow":null,"name":"smoke-st-'"$k"'-full"}'
  call PATCH "${p}${PK_FULL:-$MISSING}/" '{"name":"smoke-st-'"$k"'-min"}'
  call PUT "${p}${PK_FULL:-$MISSING}/" "$put"
  call GET "${p}${PK_FULL:-$MISSING}/used_by/"
  call GET "${p}$MISSING/"
  call PATCH "${p}$MISSING/" '{"name":"x"}'
  call GET "${p}not-a-uuid/"
}
drop() { # delete the two stages of kind(), then show the 404
  local p="/stages/authenticator/$1/"
  call DELETE "${p}${PK_FULL:-$MISSING}/"
  call DELETE "${p}${PK_MIN:-$MISSING}/"
  call DELETE "${p}${PK_FULL:-$MISSING}/"
}

kind duo \
  '{"name":"smoke-st-duo-min","client_id":"DIXXXXXXXXXXXXXXXXXX","client_secret":"s3cr3t","api_hostname":"api-1.duosecurity.com"}' \
  '{"name":"smoke-st-duo-full","configure_flow":"'$FLOW'","friendly_name":"Duo Push","client_id":"DIYYYYYYYYYYYYYYYYYY","client_secret":"s3cr3t","api_hostname":"api-2.duosecurity.com","admin_integration_key":"DIADMIN","admin_secret_key":"adm1n"}' \
  '{"name":"smoke-st-duo-full","client_id":"DIZZZZZZZZZZZZZZZZZZ","client_secret":"n3w","api_hostname":"api-3.duosecurity.com"}' \
  '{"friendly_name":"Duo","admin_integration_key":""}'
call POST /stages/authenticator/duo/ '{"name":"smoke-st-duo-bad","client_id":"","client_secret":null,"api_hostname":["x"]}'
call GET "/stages/authenticator/duo/?configure_flow=$MISSING"
call GET "/stages/authenticator/duo/?client_id=DIZZZZZZZZZZZZZZZZZZ&api_hostname=api-3.duosecurity.com"
drop duo

kind totp \
  '{"name":"smoke-st-totp-min","digits":"6"}' \
  '{"name":"smoke-st-totp-full","configure_flow":"'$FLOW'","friendly_name":"Authenticator app","digits":8}' \
  '{"name":"smoke-st-totp-full","digits":"6"}' \
  '{"digits":"8","friendly_name":"TOTP"}'
TOTP_MIN="$PK_MIN" TOTP_FULL="$PK_FULL"
call POST /stages/authenticator/totp/ '{"name":"smoke-st-totp-bad","digits":"7"}'
call POST /stages/authenticator/totp/ '{"name":"smoke-st-totp-bad","digits":null,"friendly_name":null}'
call POST /stages/authenticator/totp/ '{"name":"smoke-st-totp-flowset","digits":6,"flow_set":[]}'
call POST /stages/authenticator/totp/ '{"name":"smoke-st-totp-min","digits":6}'
call POST /stages/authenticator/totp/ '{"name":"  smoke-st-totp-min  ","digits":6}'
call PATCH "/stages/authenticator/totp/${PK_FULL:-$MISSING}/" '{"configure_flow":"'$MISSING'"}'
call PATCH "/stages/authenticator/totp/${PK_FULL:-$MISSING}/" '{"configure_flow":"not-a-uuid"}'
call PATCH "/stages/authenticator/totp/${PK_FULL:-$MISSING}/" '{"configure_flow":"'$FLOW'"}'

kind static \
  '{"name":"smoke-st-static-min"}' \
  '{"name":"smoke-st-static-full","configure_flow":"'$FLOW'","friendly_name":"Recovery codes","token_count":10,"token_length":16}' \
  '{"name":"smoke-st-static-full"}' \
  '{"token_count":"7","token_length":100}'
SEEDED_STATIC="$SEEDED"
call POST /stages/authenticator/static/ '{"name":"smoke-st-static-bad","token_count":-1,"token_length":101}'
call POST /stages/authenticator/static/ '{"name":"smoke-st-static-bad","token_count":"x","token_length":1.5}'
call POST /stages/authenticator/static/ '{"name":"smoke-st-static-bad","token_count":true,"token_length":null}'
call POST /stages/authenticator/static/ '{"name":"smoke-st-static-bad","token_count":2147483648,"token_length":"12.0"}'
call GET "/stages/authenticator/static/?token_count=x"
call GET "/stages/authenticator/static/?token_count=6&ordering=-token_length"
drop static

kind webauthn \
  '{"name":"smoke-st-webauthn-min"}' \
  '{"name":"smoke-st-webauthn-full","configure_flow":"'$FLOW'","friendly_name":"Security key","user_verification":"required","authenticator_attachment":"cross-platform","resident_key_requirement":"required","device_type_restrictions":["'$DT2'","'$DT1'"],"max_attempts":3}' \
  '{"name":"smoke-st-webauthn-full"}' \
  '{"authenticator_attachment":null,"device_type_restrictions":["'$DT3'","'$DT1'"]}'
WEBAUTHN_MIN="$PK_MIN" WEBAUTHN_FULL="$PK_FULL"
call POST /stages/authenticator/webauthn/ '{"name":"smoke-st-webauthn-bad","user_verification":"sometimes","authenticator_attachment":"usb","resident_key_requirement":"","device_type_restrictions":["'$MISSING'"],"max_attempts":-1}'
call POST /stages/authenticator/webauthn/ '{"name":"smoke-st-webauthn-bad","user_verification":null,"authenticator_attachment":"","device_type_restrictions":"'$DT1'"}'
call POST /stages/authenticator/webauthn/ '{"name":"smoke-st-webauthn-bad","device_type_restrictions":["not-a-uuid"]}'
call POST /stages/authenticator/webauthn/ '{"name":"smoke-st-webauthn-bad","device_type_restrictions":[null]}'
call POST /stages/authenticator/webauthn/ '{"name":"smoke-st-webauthn-bad","device_type_restrictions":null}'
call GET "/stages/authenticator/webauthn/?device_type_restrictions=$DT3"
call GET "/stages/authenticator/webauthn/?user_verification=preferred&ordering=name"
call GET "/stages/authenticator/webauthn/?configure_flow=not-a-uuid"
call GET "/stages/authenticator/webauthn/?device_type_restrictions=$MISSING"
call GET "/stages/authenticator/webauthn/?device_type_restrictions=bad"
call GET "/stages/authenticator/webauthn/?user_verification=bogus"
call PATCH "/stages/authenticator/webauthn/${PK_FULL:-$MISSING}/" '{"device_type_restrictions":[]}'
call PATCH "/stages/authenticator/webauthn/${PK_FULL:-$MISSING}/" '{"max_attempts":"x","hints":["hybrid"],"prevent_duplicate_devices":true}'

kind sms \
  '{"name":"smoke-st-sms-min","provider":"twilio","from_number":"+15550100","account_sid":"AC0","auth":"t0k3n"}' \
  '{"name":"smoke-st-sms-full","configure_flow":"'$FLOW'","friendly_name":"Text message","provider":"generic","from_number":"+15550101","account_sid":"https://sms.example.com/send","auth":"t0k3n","auth_password":"pa55","auth_type":"bearer","verify_only":true,"mapping":null}' \
  '{"name":"smoke-st-sms-full","provider":"twilio","from_number":"+15550102","account_sid":"AC2","auth":"n3w"}' \
  '{"verify_only":"false","auth_password":""}'
call POST /stages/authenticator/sms/ '{"name":"smoke-st-sms-bad","provider":"carrier-pigeon","from_number":"","auth_type":"digest","verify_only":"maybe","mapping":"'$MISSING'"}'
call POST /stages/authenticator/sms/ '{"name":"smoke-st-sms-bad","provider":"twilio","from_number":"1","account_sid":"a","auth":"b","verify_only":null,"auth_password":null}'
call GET "/stages/authenticator/sms/?verify_only=false&ordering=name"
call GET "/stages/authenticator/sms/?verify_only=maybe&auth_type=bearer"
drop sms

kind email \
  '{"name":"smoke-st-email-min"}' \
  '{"name":"smoke-st-email-full","configure_flow":"'$FLOW'","friendly_name":"E-mail code","use_global_settings":false,"host":"smtp.example.com","port":587,"username":"mailer","password":"m41l","use_tls":true,"use_ssl":false,"timeout":30,"from_address":"authentik@example.com","subject":"Your code","token_expiry":"minutes=10","template":"email/email_otp.html"}' \
  '{"name":"smoke-st-email-full"}' \
  '{"port":2525,"password":"","use_global_settings":true}'
call POST /stages/authenticator/email/ '{"name":"smoke-st-email-bad","host":"","port":"x","use_tls":"maybe","from_address":"not-an-email","token_expiry":"ten minutes","subject":""}'
call POST /stages/authenticator/email/ '{"name":"smoke-st-email-bad","port":2147483648,"timeout":-2147483649,"from_address":"'"$(printf 'a%.0s' $(seq 1 250))"'@example.com","token_expiry":""}'
drop email

kind validate \
  '{"name":"smoke-st-validate-min"}' \
  '{"name":"smoke-st-validate-full","not_configured_action":"configure","device_classes":["totp","webauthn"],"configuration_stages":["'${TOTP_MIN:-$MISSING}'","'${WEBAUTHN_MIN:-$MISSING}'"],"last_auth_threshold":"days=1;hours=2","webauthn_user_verification":"required","webauthn_allowed_device_types":["'$DT1'","'$DT2'"]}' \
  '{"name":"smoke-st-validate-full"}' \
  '{"device_classes":["static","totp","email"],"webauthn_hints":["security-key"]}'
call POST /stages/authenticator/validate/ '{"name":"smoke-st-validate-bad","not_configured_action":"configure","device_classes":[]}'
call POST /stages/authenticator/validate/ '{"name":"smoke-st-validate-bad","device_classes":["x","totp",5],"last_auth_threshold":"bogus","configuration_stages":["'$MISSING'"]}'
call POST /stages/authenticator/validate/ '{"name":"smoke-st-validate-bad","device_classes":"totp","last_auth_threshold":"seconds=0;","configuration_stages":"x"}'
call POST /stages/authenticator/validate/ '{"name":"smoke-st-validate-bad","last_auth_threshold":"","not_configured_action":"later"}'
call POST /stages/authenticator/validate/ '{"name":"smoke-st-validate-bad","last_auth_threshold":"hours=nan","webauthn_user_verification":"maybe"}'
call POST /stages/authenticator/validate/ '{"name":"smoke-st-validate-odd","last_auth_threshold":"Weeks=1; foo=2;minutes= 3 ","device_classes":["duo","duo"],"configuration_stages":[]}'
ODD="$(jget pk)"
call GET "/stages/authenticator/validate/?name=smoke-st-validate-odd"
call DELETE "/stages/authenticator/validate/${ODD:-$MISSING}/"
call PATCH "/stages/authenticator/validate/${PK_FULL:-$MISSING}/" '{"not_configured_action":"configure"}'
call GET "/stages/authenticator/totp/${TOTP_MIN:-$MISSING}/used_by/"
call PATCH "/stages/authenticator/validate/${PK_FULL:-$MISSING}/" '{"configuration_stages":["'${SEEDED_STATIC:-$MISSING}'","'${TOTP_MIN:-$MISSING}'"]}'
call GET "/stages/authenticator/validate/?configuration_stages=${TOTP_MIN:-$MISSING}"
call GET "/stages/authenticator/validate/?not_configured_action=deny"
call DELETE "/stages/authenticator/totp/${TOTP_MIN:-$MISSING}/"
call GET "/stages/authenticator/validate/${PK_FULL:-$MISSING}/"
drop validate
call DELETE "/stages/authenticator/totp/${TOTP_FULL:-$MISSING}/"
call DELETE "/stages/authenticator/webauthn/${WEBAUTHN_FULL:-$MISSING}/"
call DELETE "/stages/authenticator/webauthn/${WEBAUTHN_MIN:-$MISSING}/"

kind endpoint_gdtc \
  '{"name":"smoke-st-endpoint_gdtc-min","credentials":{"type":"service_account"}}' \
  '{"name":"smoke-st-endpoint_gdtc-full","configure_flow":"'$FLOW'","friendly_name":"Chrome","credentials":{"type":"service_account","project_id":"p"}}' \
  '{"name":"smoke-st-endpoint_gdtc-full","credentials":{}}' \
  '{"credentials":{"type":"x"}}'
call POST /stages/authenticator/endpoint_gdtc/ '{"name":"","credentials":null}'
call POST /stages/authenticator/endpoint_gdtc/ '{"name":"smoke-st-endpoint_gdtc-x","credentials":"text"}'
