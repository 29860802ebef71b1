#!/usr/bin/env python3
"""Sort every failed check of a contract-test run into the causes of TRIAGE.md.

    triage.py [OUT_DIR]        # default: ./out (reads <pass>/failures.jsonl)

Prints, per cause (the ids of TRIAGE.md), how many failed checks and which
operations; failures that match no known cause are listed last as NEW, so a
re-run after fixes shows what is left and what is new.
"""
import collections
import json
import re
import sys
from pathlib import Path

# Field codes whose rule the schema can state exactly (length, bounds, digits,
# item counts), as opposed to rules only the server can decide (syntax of an
# e-mail, phone or name, checksums, references, dates relative to today).
EXPRESSIBLE = {
    "required", "too_short", "too_long", "out_of_range", "range", "not_positive", "empty",
    "inn_format", "kpp_format", "account_format", "bik_format", "passport_number_format",
    "inn_not_legal_entity", "invalid_name", "snils_format",
}
SEMANTIC = {
    "invalid_email", "phone_format", "full_name_chars", "invalid_url", "invalid_text",
    "host_not_found", "in_future", "unknown_file", "signature_encoding", "too_common",
    "inn_checksum", "snils_checksum", "account_checksum", "deadline_in_past", "unknown_region",
    "cadastral_number_format", "duplicate",
}
STATEFUL_REQUIRED = {  # 422 about the stored resource, not the request
    "POST /api/v1/certificate-applications/{id}/submit",
    "POST /api/v1/orders/{id}/publish",
}

TITLES = {
    "C1": "JSON-body refusals (400 malformed_json, 415, 422 invalid_body) not documented",
    "C2": "validator rules missing from the schemas (lengths, bounds, digits, item counts)",
    "C3": "`limit` documented as minimum 0, no maximum (page.rs)",
    "C4": "opaque values a generator cannot produce (cursor, e-mail token, Last-Event-ID, reused Idempotency-Key)",
    "C5": "If-Match: a random ETag is 412 (and 412 is answered before the body is checked)",
    "C6": "Idempotency-Key: header documented as string|null without bounds; its 400 not documented",
    "C7": "optional bodies documented as `oneOf [null, T]`, JSON null refused",
    "C8": "whole floats (30.0) refused for integer fields",
    "C9": "403 not documented on role-restricted operations",
    "C10": "binary bodies documented as integer arrays (files, signatures)",
    "C11": "SSE stream schema: {type: string} for text/event-stream",
    "C12": "duplicate operationIds (stateful phase error)",
    "C13": "a missing required query parameter is actix's 400, not query.rs' 422",
    "C14": "semantic rules: documented 422 the schema cannot state",
    "C15": "\"\" for format uuid/date fields (coverage phase) refused",
    "C16": "422 about the stored resource (submit / publish an incomplete draft)",
    "NUL": "U+0000 in generated strings (not generated since st/*.toml set allow-x00 = false)",
}


def codes_of(cause):
    m = re.search(r"\[(.*)\]$", cause or "")
    if not m:
        return []
    return [c for part in m.group(1).split(",") if ":" in part for c in part.rsplit(":", 1)[1].split("|")]


def classify(r):
    op, check, pc, cause = r["operation"], r["check"], r["problem_code"], r["cause"] or ""
    st = r["status"]
    if check == "response_schema_conformance" and op == "GET /api/v1/events":
        return "C11"
    if "Query deserialize error" in cause:
        return "C13"
    if op in ("POST /api/v1/signatures/validate", "POST /api/v1/files") and "invalid_name" not in cause:
        return "C10"
    if pc == "precondition_failed":
        return "C5"
    if ("cursor is not one" in cause or "Last-Event-ID is not" in cause or pc == "invalid_token"
            or pc == "idempotency_key_reused"):
        return "C4"
    if "Idempotency-Key must be" in cause:
        return "C6"
    if check == "status_code_conformance" and pc in ("unsupported_media_type", "malformed_json",
                                                     "invalid_body", "payload_too_large"):
        return "C1"
    if check == "status_code_conformance" and pc == "forbidden":
        return "C9"
    if pc == "invalid_body" and "floating point" in cause:
        return "C8"
    if pc == "invalid_body" and "invalid type: null, expected struct" in cause:
        return "C7"
    if pc == "invalid_body" and re.search(r"expected [ui](8|16|32|64)", cause):
        return "C2"
    if pc == "invalid_body" and ("UUID parsing failed" in cause or "premature end of input" in cause):
        return "C15"
    if st == 400 and "`limit`" in cause:
        return "C3"
    if pc == "validation_failed":
        codes = codes_of(cause)
        if "limit:out_of_range" in cause:
            return "C3"
        if op in STATEFUL_REQUIRED:
            return "C16"
        if codes and all(c in EXPRESSIBLE for c in codes):
            return "C2"
        if codes and any(c in SEMANTIC for c in codes):
            return "C14"
        if "nul_character" in codes:
            return "NUL"
    if check == "status_code_conformance" and pc == "validation_failed":
        return "C1"
    return "NEW"


def main(out):
    rows = []
    for p in ("anon", "auth"):
        f = Path(out) / p / "failures.jsonl"
        if f.exists():
            rows += [dict(json.loads(line), pass_=p) for line in open(f, encoding="utf-8")]
    groups = collections.defaultdict(list)
    for r in rows:
        groups[classify(r)].append(r)
    order = sorted(groups, key=lambda k: (-len({r["operation"] for r in groups[k]}), k))
    print(f"{len(rows)} failed checks in {out}")
    for k in order:
        rs = groups[k]
        ops = sorted({r["operation"] for r in rs})
        checks = collections.Counter(r["check"] for r in rs)
        print(f"\n{k}: {TITLES.get(k, 'not a known cause')}\n   {len(rs)} failed checks on {len(ops)} operations; "
              f"{dict(checks)}")
        for o in ops:
            print(f"     {o}")
        if k == "NEW":
            for r in rs[:20]:
                print(f"   ! {r['check']} {r['operation']} {r['cause']}\n     {r['curl'][:300]}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).with_name("out")))
