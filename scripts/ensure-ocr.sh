#!/usr/bin/env bash
# Makes passport recognition work (docs/clients.md, "Passport recognition"):
# Tesseract with its Russian language data, and the DejaVu font the OCR tests
# and the recognition benchmark render their passport-like images with — all
# from Debian's packages (tesseract-ocr, tesseract-ocr-rus, fonts-dejavu-core),
# installed with apt-get when missing (as root, or through sudo). Used by
# `make test`, `make run` and `make bench`; prints what it found.
set -euo pipefail

log() { printf 'ensure-ocr: %s\n' "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif have sudo; then
        sudo -n "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

ready() {
    have tesseract && tesseract --list-langs 2>/dev/null | grep -qx rus && [[ -f $FONT ]]
}

if ! ready; then
    have apt-get || die "Tesseract with Russian data is missing and apt-get is not here: install tesseract-ocr, tesseract-ocr-rus and fonts-dejavu-core"
    export DEBIAN_FRONTEND=noninteractive
    log "apt-get install tesseract-ocr tesseract-ocr-rus fonts-dejavu-core"
    as_root apt-get update -qq || die "apt-get update failed"
    as_root apt-get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-rus fonts-dejavu-core \
        || die "apt-get install failed"
    ready || die "Tesseract is installed but has no Russian data"
fi
log "ok: $(tesseract --version 2>&1 | head -1), languages: $(tesseract --list-langs 2>/dev/null | tail -n +2 | tr '\n' ' ')"
