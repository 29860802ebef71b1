#!/usr/bin/env python3
"""Flatten Schemathesis' NDJSON events into one line per failed check.

    failures.py out/anon/events.ndjson [out/auth/events.ndjson ...]

Writes <dir>/failures.jsonl beside each input and prints a summary grouped by
check and operation, with the response statuses and problem codes seen and one
reproducing curl (the shortest request) per group.
"""
import base64
import collections
import json
import re
import shlex
import sys
from pathlib import Path


def body_text(b):
    if b is None:
        return None
    if isinstance(b, dict) and "$base64" in b:
        raw = base64.b64decode(b["$base64"])
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return repr(raw)
    if isinstance(b, dict) and "string" in b:
        return b["string"]
    return json.dumps(b)


def curl(req):
    parts = ["curl", "-sS", "-i", "-X", req["method"]]
    for k, vs in (req.get("headers") or {}).items():
        if k.lower() == "authorization":
            vs = ["Bearer $TOKEN" if v.startswith("Bearer ") else v for v in vs]
        if k.lower() in ("user-agent", "accept-encoding", "accept", "connection", "content-length",
                         "x-schemathesis-testcaseid"):
            continue
        for v in vs:
            parts += ["-H", f"{k}: {v}"]
    body = body_text(req.get("body"))
    if body is not None:
        parts += ["--data-binary", body]
    uri = re.sub(r"^http://127\.0\.0\.1:\d+", "$BASE", req["uri"])
    return " ".join(shlex.quote(p) for p in parts).replace("'Authorization: Bearer $TOKEN'", '"Authorization: Bearer $TOKEN"') + ' "' + uri.replace('"', '%22') + '"'


def cause(status, rbody):
    """A short key for why the server answered so: the problem code and, for
    validation_failed, each field with its code; else the detail."""
    try:
        p = json.loads(rbody)
    except (ValueError, TypeError):
        return f"{status}"
    if not isinstance(p, dict):
        return f"{status}"
    code = p.get("code")
    if p.get("errors"):
        errs = ",".join(f"{k}:{'|'.join(sorted({e.get('code','?') for e in v}))}" for k, v in sorted(p["errors"].items()))
        return f"{status}/{code} [{errs}]"
    detail = (p.get("detail") or "")
    detail = re.sub(r"line \d+ column \d+", "line L column C", detail)
    return f"{status}/{code}: {detail[:110]}"


def extract(path):
    out = []
    for line in open(path, encoding="utf-8"):
        ev = json.loads(line)
        if "ScenarioFinished" not in ev:
            continue
        sf = ev["ScenarioFinished"]
        rec = sf.get("recorder") or {}
        cases = rec.get("cases", {})
        inter = rec.get("interactions", {})
        for case_id, checks in (rec.get("checks") or {}).items():
            for ch in checks:
                if ch.get("status") != "failure":
                    continue
                info = (ch.get("failure_info") or {}).get("failure", {})
                case = (cases.get(case_id) or {}).get("value", {})
                it = inter.get(case_id) or {}
                req, resp = it.get("request") or {}, it.get("response") or {}
                rbody = body_text(resp.get("content")) if resp else None
                code = None
                if rbody and rbody.startswith("{"):
                    try:
                        code = json.loads(rbody).get("code")
                    except (ValueError, AttributeError):
                        pass
                out.append({
                    "phase": sf.get("phase"),
                    "label": rec.get("label"),
                    "operation": info.get("operation") or rec.get("label"),
                    "check": ch.get("name"),
                    "st_code": info.get("code"),
                    "title": info.get("title"),
                    "message": info.get("message"),
                    "case_id": case_id,
                    "mode": ((case.get("meta") or {}).get("generation") or {}).get("mode"),
                    "description": (((case.get("meta") or {}).get("phase") or {}).get("data") or {}).get("description"),
                    "status": resp.get("status_code") if resp else None,
                    "content_type": ((resp.get("headers") or {}).get("content-type") or [None])[0] if resp else None,
                    "problem_code": code,
                    "cause": cause(resp.get("status_code"), rbody) if resp else None,
                    "response_body": (rbody or "")[:600],
                    "curl": curl(req) if req else None,
                })
    return out


def main(paths):
    for p in paths:
        rows = extract(p)
        dst = Path(p).with_name("failures.jsonl")
        with open(dst, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"# {p}: {len(rows)} failed checks -> {dst}")
        groups = collections.defaultdict(list)
        for r in rows:
            groups[(r["check"], r["operation"])].append(r)
        by_check = collections.Counter(r["check"] for r in rows)
        ops_by_check = collections.defaultdict(set)
        for (c, o) in groups:
            ops_by_check[c].add(o)
        for c, n in by_check.most_common():
            print(f"## {c}: {n} failed checks on {len(ops_by_check[c])} operations")
        for (c, o), rs in sorted(groups.items()):
            sts = collections.Counter(f"{r['status']}{'/' + r['problem_code'] if r['problem_code'] else ''}" for r in rs)
            descs = collections.Counter((r["description"] or "")[:60] for r in rs)
            best = min((r for r in rs if r["curl"]), key=lambda r: len(r["curl"]), default=None)
            print(f"\n[{c}] {o}  x{len(rs)}  statuses={dict(sts)}")
            print(f"   message: {(rs[0]['message'] or '').splitlines()[0] if rs[0]['message'] else ''}")
            print(f"   cases: {dict(descs.most_common(4))}")
            if best:
                print(f"   repro: {best['curl'][:400]}")
                print(f"   resp:  {best['response_body'][:300]}")


if __name__ == "__main__":
    main(sys.argv[1:])
