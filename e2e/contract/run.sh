#!/usr/bin/env bash
# Mezha contract test (issue #14): Schemathesis against the OpenAPI document the
# server serves, `--checks all`, anonymous, with a customer's bearer token and
# with an engineer's, a bounded number of examples per operation, a fixed seed;
# then a story through a generated client.
#
#   ./run.sh                      # every pass
#   ./run.sh anon                 # one pass: anon | auth | engineer | client
#   MEZHA_BIN=path/to/mezha ./run.sh
#
# Knobs (environment): MEZHA_BIN (default target/debug/mezha: `cargo build -p mezha-server`),
# ST_MAX_EXAMPLES (25), ST_SEED (14), ST_PHASES (examples,coverage,fuzzing,stateful),
# ST_OUT (./out), ST_VERSION (the Schemathesis pinned below).
#
# Outputs under $ST_OUT/<pass>/: junit.xml, report.json, events.ndjson (every request
# and response), cassette.yaml (VCR), schemathesis.log (the console), server.log,
# command.txt (the exact Schemathesis command), failures.jsonl + summary.txt
# (failures.py: one line per failed check; grouped by check and operation).
# Exit status: 0 when every pass had no failure, 1 otherwise (2 on a setup error).
set -Eeuo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MEZHA_BIN="${MEZHA_BIN:-${CARGO_TARGET_DIR:-$here/../../target}/debug/mezha}"
ST_MAX_EXAMPLES="${ST_MAX_EXAMPLES:-25}"
ST_SEED="${ST_SEED:-14}"
ST_PHASES="${ST_PHASES:-examples,coverage,fuzzing,stateful}"
ST_OUT="${ST_OUT:-$here/out}"
ST_VERSION="${ST_VERSION:-4.32.5}"
VENV="${VENV:-$here/venv}"
if (($#)); then passes=("$@"); else passes=(anon auth engineer client); fi
# The generator of the `client` pass, in a venv of its own (its dependencies
# are not Schemathesis').
GEN_VERSION="${GEN_VERSION:-0.29.1}"
GEN_VENV="${GEN_VENV:-$here/venv-client}"
# The account of the authenticated pass (a fresh server each pass, so always free).
export CT_ACCOUNT_EMAIL="contract-test@example.com" CT_ACCOUNT_PASSWORD="Contract-Test-14-moss-river"
# The engineer pass's account, made an engineer by the SRO registry (make_engineer).
export CT_ENGINEER_EMAIL="contract-engineer@example.com" CT_ENGINEER_PASSWORD="Contract-Test-14-pine-ridge"

log() { printf '== %s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 2; }

[[ -x $MEZHA_BIN ]] || die "no server binary at $MEZHA_BIN (cargo build -p mezha-server)"
command -v curl >/dev/null || die "curl is needed"

# ---------------------------------------------------------------- the venv
if [[ ! -x $VENV/bin/schemathesis ]] \
    || [[ "$("$VENV/bin/schemathesis" --version 2>/dev/null)" != *" $ST_VERSION" ]]; then
    log "installing schemathesis==$ST_VERSION into $VENV"
    python3 -m venv "$VENV"
    # requirements.lock: `pip freeze` of a venv with exactly this Schemathesis, so
    # that its dependencies (hypothesis above all) do not move under the seed.
    if [[ -f $here/requirements.lock ]] && grep -qx "schemathesis==$ST_VERSION" "$here/requirements.lock"; then
        "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.lock"
    else
        "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
    fi
fi
ST="$VENV/bin/schemathesis"
PY="$VENV/bin/python"
log "$("$ST" --version)"

# ---------------------------------------------------------------- the server
server_pid=""
stop_server() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

free_port() {
    "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_server DIR: a fresh data dir, a free loopback port; sets $base.
start_server() {
    local dir=$1 port
    rm -rf "$dir/data"
    mkdir -p "$dir/data"
    port="$(free_port)"
    base="http://127.0.0.1:$port"
    # Embedded defaults: SQLite under the data dir, sessions and counters in memory,
    # mail to the development outbox. No web app (the document has no path for it).
    (
        cd "$dir/data"
        exec env -u DATABASE_URL -u REDIS_URL -u MEZHA_BIN \
            MEZHA_ADDR="127.0.0.1:$port" MEZHA_DATA_DIR="$dir/data" MEZHA_DEV_OUTBOX=1 \
            MEZHA_PUBLIC_URL="$base" MEZHA_WEB_DIR="$dir/data/no-web-app" \
            MEZHA_LOG_FORMAT=text MEZHA_LOG_LEVEL=info NO_COLOR=1 \
            "$MEZHA_BIN" serve
    ) >"$dir/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 600); do
        if curl -fsS -o /dev/null "$base/readyz" 2>/dev/null; then
            log "server up at $base (pid $server_pid)"
            return 0
        fi
        kill -0 "$server_pid" 2>/dev/null || { tail -20 "$dir/server.log" >&2; die "the server exited"; }
        sleep 0.1
    done
    die "the server did not become ready in 60 s"
}

# make_account [EMAIL PASSWORD]: register, confirm through the outbox, log in;
# prints the access token. The customer of the authenticated pass by default.
make_account() {
    local email=${1:-$CT_ACCOUNT_EMAIL} password=${2:-$CT_ACCOUNT_PASSWORD} body token confirm
    body="$(printf '{"email":"%s","password":"%s","full_name":"Contract Test"}' "$email" "$password")"
    curl -fsS -o /dev/null -X POST "$base/api/v1/auth/register" \
        -H 'Content-Type: application/json' -d "$body" || die "register failed"
    # The mail is sent after the answer: poll the outbox for up to 10 s.
    token=""
    for _ in $(seq 100); do
        token="$(curl -fsS --get "$base/api/v1/dev/outbox" --data-urlencode "recipient=$email" \
            | "$PY" -c 'import json,re,sys
for m in json.load(sys.stdin)["items"]:
    t = re.search(r"confirm-email\?token=([A-Za-z0-9_-]+)", m["body"])
    if t: print(t.group(1)); break')" || true
        [[ -z $token ]] || break
        sleep 0.1
    done
    [[ -n $token ]] || die "no confirmation link in the outbox"
    curl -fsS -o /dev/null -X POST "$base/api/v1/auth/confirm-email" \
        -H 'Content-Type: application/json' -d "{\"token\":\"$token\"}" || die "confirm-email failed"
    confirm="$(curl -fsS -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
        -d "$(printf '{"email":"%s","password":"%s"}' "$email" "$password")")" || die "login failed"
    "$PY" -c 'import json,sys; print(json.loads(sys.argv[1])["access_token"])' "$confirm"
}

# api METHOD PATH TOKEN [BODY]: a JSON call that must succeed; prints the answer.
api() {
    local args=(-fsS -X "$1" "$base$2" -H 'Content-Type: application/json')
    [[ -z $3 ]] || args+=(-H "Authorization: Bearer $3")
    [[ -z ${4:-} ]] || args+=(-d "$4")
    curl "${args[@]}"
}

# json FIELD: the field of the JSON on stdin.
json() { "$PY" -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# make_engineer DIR: the engineer pass's account, as the SRO registry makes
# one (docs/sro-registry.md): registered and confirmed with a full name and
# SNILS, listed as active in a registry a moderator (`mezha staff create`)
# imports, which grants the role; then his profile and requisites, so that he
# may respond and be offered orders. The hooks in st/engineer.py log in as him.
make_engineer() {
    local dir=$1 token moderator snils=11223344595 name="Инженеров Иван Петрович"
    token="$(make_account "$CT_ENGINEER_EMAIL" "$CT_ENGINEER_PASSWORD")" || return 1
    api PATCH /api/v1/me "$token" "{\"full_name\":\"$name\",\"snils\":\"$snils\"}" >/dev/null || return 1
    # The server's own settings only (the caller's MEZHA_* would be unknown keys).
    (cd "$dir/data" && env -i PATH="$PATH" MEZHA_DATA_DIR="$dir/data" MEZHA_LOG_LEVEL=warn \
        "$MEZHA_BIN" staff create --email contract-moderator@example.com \
        --password "$CT_ENGINEER_PASSWORD" --role moderator) >/dev/null || return 1
    moderator="$(api POST /api/v1/auth/login "" \
        "{\"email\":\"contract-moderator@example.com\",\"password\":\"$CT_ENGINEER_PASSWORD\"}" \
        | json access_token)" || return 1
    api POST /api/v1/sro-registry/import "$moderator" "{\"engineers\":[{\"snils\":\"$snils\",
        \"full_name\":\"$name\",\"sro\":\"Ассоциация «Кадастровые инженеры»\",
        \"status\":\"active\",\"registry_number\":\"50-1234\"}]}" >/dev/null || return 1
    token="$(api POST /api/v1/auth/login "" \
        "{\"email\":\"$CT_ENGINEER_EMAIL\",\"password\":\"$CT_ENGINEER_PASSWORD\"}" | json access_token)" || return 1
    token="$(api POST /api/v1/me/acting-role "$token" '{"role":"engineer"}' | json access_token)" || return 1
    api PUT /api/v1/me/engineer-profile "$token" '{"regions":["50","77"],
        "contacts":{"phone":"+79123456780","email":"office@kadastr.example"},
        "work_types":[{"work_type":"land_plot_boundary_clarification","price":20000}],
        "accept_offers":true}' >/dev/null || return 1
    api PUT /api/v1/me/requisites "$token" '{"recipient":"ИП Инженеров Иван Петрович",
        "inn":"500100732259","bank_name":"ПАО Сбербанк","bik":"044525225",
        "account":"40802810100000000001","correspondent_account":"30101810400000000225"}' >/dev/null
}

# ---------------------------------------------------------------- the passes
# client: a Python client generated from the committed document
# (openapi-python-client) drives story.py against a fresh server.
run_client_pass() {
    local dir="$ST_OUT/client" rc=0
    rm -rf "$dir"
    mkdir -p "$dir"
    if [[ ! -x $GEN_VENV/bin/openapi-python-client ]] \
        || [[ "$("$GEN_VENV/bin/openapi-python-client" --version 2>/dev/null)" != *" $GEN_VERSION" ]]; then
        log "installing openapi-python-client==$GEN_VERSION into $GEN_VENV"
        python3 -m venv "$GEN_VENV"
        "$GEN_VENV/bin/pip" install --quiet --disable-pip-version-check \
            "openapi-python-client==$GEN_VERSION" python-dateutil
    fi
    "$GEN_VENV/bin/openapi-python-client" generate --path "$here/../../openapi/openapi.json" \
        --output-path "$dir/mezha_client" --meta none >"$dir/generate.log" 2>&1 \
        || { tail -20 "$dir/generate.log" >&2; die "the client could not be generated"; }
    start_server "$dir"
    PYTHONPATH="$dir" BASE="$base" MEZHA_BIN="$MEZHA_BIN" DATA_DIR="$dir/data" \
        "$GEN_VENV/bin/python" "$here/story.py" >"$dir/story.log" 2>&1 || rc=$?
    cat "$dir/story.log" >&2
    log "pass client: exit $rc"
    stop_server
    return "$rc"
}

run_pass() { # NAME
    local name=$1 dir="$ST_OUT/$1" rc=0 started
    rm -rf "$dir"
    mkdir -p "$dir"
    start_server "$dir"
    local args=()
    case $name in
        anon) ;;
        auth)
            local token
            token="$(make_account)" || die "could not make the test account"
            # Sanity: the token works before the run starts.
            curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$base/api/v1/me" \
                || die "the fresh token is refused by GET /me"
            log "account $CT_ACCOUNT_EMAIL confirmed; Schemathesis logs in as it (Authorization: Bearer …)"
            ;;
        engineer)
            make_engineer "$dir" || die "could not make the engineer"
            log "engineer $CT_ENGINEER_EMAIL listed by the SRO registry; Schemathesis acts as him (st/engineer.py)"
            ;;
        *) die "unknown pass $name (anon | auth | engineer)" ;;
    esac
    local cmd=(
        "$ST" --no-color --config-file "$here/st/$name.toml" run "$base/api/v1/openapi.json"
        --url "$base"
        --checks all
        --phases "$ST_PHASES"
        --max-examples "$ST_MAX_EXAMPLES"
        --seed "$ST_SEED"
        --workers 1
        --report junit,json,ndjson,vcr
        --report-dir "$dir"
        --report-junit-path "$dir/junit.xml"
        --report-json-path "$dir/report.json"
        --report-ndjson-path "$dir/events.ndjson"
        --report-vcr-path "$dir/cassette.yaml"
        --output-truncate false
        --output-sanitize false
        --wait-for-schema 30
        "${args[@]}"
    )
    printf '%q ' "${cmd[@]}" >"$dir/command.txt"
    echo >>"$dir/command.txt"
    log "pass $name: ${cmd[*]}"
    started=$SECONDS
    # Hypothesis' own caches go with the pass's outputs, not into the caller's directory.
    local hooks=()
    [[ $name != engineer ]] || hooks=(SCHEMATHESIS_HOOKS="$here/st/engineer.py" CT_BASE="$base")
    HYPOTHESIS_STORAGE_DIRECTORY="$dir/.hypothesis" env "${hooks[@]}" "${cmd[@]}" >"$dir/schemathesis.log" 2>&1 || rc=$?
    log "pass $name: exit $rc after $((SECONDS - started)) s (log: $dir/schemathesis.log)"
    # One line per failed check (failures.jsonl) and a summary grouped by check and operation.
    "$PY" "$here/failures.py" "$dir/events.ndjson" >"$dir/summary.txt" 2>&1 || true
    sed -n '/^Test Phases:/,$p' "$dir/schemathesis.log" >&2 || true
    stop_server
    return "$rc"
}

mkdir -p "$ST_OUT"
rm -f "$ST_OUT/exit-codes.txt"
overall=0
t0=$SECONDS
for p in "${passes[@]}"; do
    rc=0
    if [[ $p == client ]]; then run_client_pass || rc=$?; else run_pass "$p" || rc=$?; fi
    ((rc == 0)) || overall=1
    echo "$p $rc" >>"$ST_OUT/exit-codes.txt"
done
log "done in $((SECONDS - t0)) s; exit $overall"
exit "$overall"
