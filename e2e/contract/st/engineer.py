"""Schemathesis hooks of the engineer pass (run.sh loads this file through
SCHEMATHESIS_HOOKS): every request carries the bearer token of a session
acting as engineer.

A login acts as the first role the account holds, `customer` (docs/accounts.md,
"Acting role"), so the token comes from two calls: POST /api/v1/auth/login with
the account run.sh made an engineer (CT_ENGINEER_EMAIL, CT_ENGINEER_PASSWORD),
then POST /api/v1/me/acting-role. Schemathesis asks again on a 401 (the run
itself logs out, ends every session and switches the acting role) and every
5 minutes (access tokens live 15).
"""

import os

import requests
import schemathesis

BASE = os.environ["CT_BASE"]


@schemathesis.auth(refresh_interval=300)
class EngineerToken:
    def get(self, case, context):
        login = requests.post(
            f"{BASE}/api/v1/auth/login",
            json={
                "email": os.environ["CT_ENGINEER_EMAIL"],
                "password": os.environ["CT_ENGINEER_PASSWORD"],
            },
            timeout=30,
        )
        login.raise_for_status()
        tokens = login.json()
        assert "engineer" in tokens["roles"], tokens["roles"]
        switched = requests.post(
            f"{BASE}/api/v1/me/acting-role",
            json={"role": "engineer"},
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
            timeout=30,
        )
        switched.raise_for_status()
        return switched.json()["access_token"]

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
