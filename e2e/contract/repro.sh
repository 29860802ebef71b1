#!/usr/bin/env bash
# One minimal request per cause in TRIAGE.md, against a fresh server on embedded
# defaults; prints "status code" for each and what the contract expects.
#   ./repro.sh                 # uses ./mezha
#   MEZHA_BIN=... ./repro.sh
set -Eeuo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MEZHA_BIN="${MEZHA_BIN:-${CARGO_TARGET_DIR:-$here/../../target}/debug/mezha}"
dir="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$port"
(cd "$dir" && exec env -u DATABASE_URL -u REDIS_URL MEZHA_ADDR="127.0.0.1:$port" MEZHA_DATA_DIR="$dir" \
    MEZHA_DEV_OUTBOX=1 MEZHA_WEB_DIR="$dir/none" MEZHA_LOG_LEVEL=warn "$MEZHA_BIN" serve) >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 300); do curl -fs -o /dev/null "$BASE/readyz" && break; sleep 0.1; done

J='Content-Type: application/json'
email=repro@example.com pw=Repro-Test-14-moss-river
curl -fs -o /dev/null -X POST "$BASE/api/v1/auth/register" -H "$J" -d "{\"email\":\"$email\",\"password\":\"$pw\"}"
tok=""
for _ in $(seq 50); do
    tok="$(curl -fs "$BASE/api/v1/dev/outbox?recipient=$email" | python3 -c 'import json,re,sys
for m in json.load(sys.stdin)["items"]:
    t=re.search(r"token=([A-Za-z0-9_-]+)", m["body"])
    if t: print(t.group(1)); break')" && [[ -n $tok ]] && break; sleep 0.1
done
curl -fs -o /dev/null -X POST "$BASE/api/v1/auth/confirm-email" -H "$J" -d "{\"token\":\"$tok\"}"
TOKEN="$(curl -fs -X POST "$BASE/api/v1/auth/login" -H "$J" -d "{\"email\":\"$email\",\"password\":\"$pw\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
A="Authorization: Bearer $TOKEN"

n=0
t() { # LABEL EXPECTATION curl-args...
    local label=$1 expect=$2 out status code
    shift 2
    out="$(curl -s -w '\n%{http_code}' "$@")"
    status="${out##*$'\n'}"
    code="$(printf '%s' "${out%$'\n'*}" | python3 -c 'import json,sys
try: d=json.load(sys.stdin); print(d.get("code") or "", json.dumps(d.get("errors"))[:70] if d.get("errors") else "")
except Exception: print("")' 2>/dev/null)"
    n=$((n + 1))
    printf '%2d %-58s -> %s %s\n      expected: %s\n' "$n" "$label" "$status" "$code" "$expect"
}

t "login, no Content-Type" "415 documented on POST /auth/login (it is not)" \
    -X POST "$BASE/api/v1/auth/login"
t "login, body not JSON" "400 documented (it is not)" \
    -X POST "$BASE/api/v1/auth/login" -H "$J" --data-binary 'x'
t "logout, unknown field" "422 documented on POST /auth/logout (it is not)" \
    -X POST "$BASE/api/v1/auth/logout" -H "$A" -H "$J" -d '{"x":1}'
t "refresh, body JSON null (schema: oneOf [null, RefreshRequest])" "accepted like an empty body, or null dropped from the doc" \
    -X POST "$BASE/api/v1/auth/refresh" -H "$J" -d 'null'
t "GET /engineers?limit=0 (schema: minimum 0)" "schema minimum 1, maximum 100" \
    "$BASE/api/v1/engineers?limit=0"
t "GET /orders/{id}/messages?limit=0 (chat's own check)" "422 out_of_range like other lists (query.rs), once the schema has the bounds" \
    "$BASE/api/v1/orders/00000000-0000-0000-0000-000000000000/messages?limit=0" -H "$A"
t "GET /engineers?cursor=x" "400 documented; no schema can make a random cursor valid" \
    "$BASE/api/v1/engineers?cursor=x"
t "POST /orders, Idempotency-Key empty (schema: string|null)" "400 documented on POST /orders; header schema minLength 1, maxLength 255" \
    -X POST "$BASE/api/v1/orders" -H "$A" -H "$J" -H 'Idempotency-Key;' -d '{"title":"t"}'
t "POST /orders, prepayment_percent 2147483647 (schema: int32 >= 0)" "schema maximum (u8 / 1-100)" \
    -X POST "$BASE/api/v1/orders" -H "$A" -H "$J" -d '{"title":"t","prepayment_percent":2147483647}'
t "POST /orders, deadline_days 30.0 (an integer to JSON Schema)" "accepted like 30" \
    -X POST "$BASE/api/v1/orders" -H "$A" -H "$J" -d '{"title":"t","deadline_days":30.0}'
t "POST /certificate-applications, unknown field" "422 invalid_body (API.md: unknown fields are refused)" \
    -X POST "$BASE/api/v1/certificate-applications" -H "$A" -H "$J" -d '{"no_such_field":1}'
t "POST /offers/{id}/decline as a customer" "403 documented (it is not)" \
    -X POST "$BASE/api/v1/offers/00000000-0000-0000-0000-000000000000/decline" -H "$A"
t "POST /responses/{id}/withdraw as a customer" "403 documented (it is not)" \
    -X POST "$BASE/api/v1/responses/00000000-0000-0000-0000-000000000000/withdraw" -H "$A"
t "POST /files without ?name" "422 validation_failed [name: required] from query.rs (today actix's 400)" \
    -X POST "$BASE/api/v1/files" -H "$A" -H 'Content-Type: application/pdf' --data-binary '%PDF-1.4'
t "POST /files, Content-Type application/octet-stream (the doc's only type)" "the doc lists application/pdf, image/jpeg, image/png" \
    -X POST "$BASE/api/v1/files?name=a.bin" -H "$A" -H 'Content-Type: application/octet-stream' --data-binary 'abc'
t "POST /signatures/validate, multipart with no part" "400 documented (it is not)" \
    -X POST "$BASE/api/v1/signatures/validate" -H 'Content-Type: multipart/form-data; boundary=b' --data-binary $'--b--\r\n'
t "POST /signatures/validate, expected_signer part = null" "accepted (the doc allows null) or null dropped from the doc" \
    -X POST "$BASE/api/v1/signatures/validate" -H 'Content-Type: multipart/form-data; boundary=b' \
    --data-binary $'--b\r\nContent-Disposition: form-data; name="expected_signer"\r\n\r\nnull\r\n--b\r\nContent-Disposition: form-data; name="document"; filename="d"\r\n\r\nabc\r\n--b\r\nContent-Disposition: form-data; name="signature"; filename="s"\r\n\r\nabc\r\n--b--\r\n'
t "PATCH /me, If-Match: null (header schema string|null)" "header not nullable; 412 is documented" \
    -X PATCH "$BASE/api/v1/me" -H "$A" -H "$J" -H 'If-Match: null' -d '{}'
t "PATCH /me, body [null,null] and a stale If-Match" "schema-invalid body: 412 beats 422 (schemathesis wants 400/422)" \
    -X PATCH "$BASE/api/v1/me" -H "$A" -H "$J" -H 'If-Match: x' -d '[null,null]'
t "POST /auth/confirm-email {token:\"\"}" "schema minLength 1 (validator has min = 1)" \
    -X POST "$BASE/api/v1/auth/confirm-email" -H "$J" -d '{"token":""}'
t "POST /auth/register {email:\"\",password:\"\"}" "schema minLength (8 for password); e-mail syntax stays a documented 422" \
    -X POST "$BASE/api/v1/auth/register" -H "$J" -d '{"email":"","password":""}'
echo "-- GET /events: the first SSE event (the doc's schema for text/event-stream is {type: string})"
curl -s -N --max-time 1 "$BASE/api/v1/events" -H "$A" | head -3 || true
echo "-- duplicate operationIds in the served document"
curl -s "$BASE/api/v1/openapi.json" | python3 -c 'import json,sys,collections
d=json.load(sys.stdin); c=collections.defaultdict(list)
for p,ops in d["paths"].items():
    for m,o in ops.items():
        if isinstance(o,dict) and "operationId" in o: c[o["operationId"]].append(m.upper()+" "+p)
[print("  ",k,v) for k,v in c.items() if len(v)>1]'
