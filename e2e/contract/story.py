"""A customer's and an engineer's story driven through a client generated
from the committed OpenAPI document (openapi-python-client), as an
integrator would: register, confirm, create and publish an order; an
engineer listed in the SRO registry finds it and responds; the customer sees
the response. Every call goes through the generated functions and models,
so an enum value, a field name or a status the document gets wrong fails
here (the client raises on statuses the document does not list).

Run by run.sh (`client` pass): BASE is the server, MEZHA_BIN and DATA_DIR
let it create the moderator with `mezha staff create`.
"""

import os
import random
import re
import subprocess
import sys
import time

from mezha_client import AuthenticatedClient, Client
from mezha_client.api.auth import confirm_email, login, register
from mezha_client.api.dev import outbox
from mezha_client.api.engineers import put_profile
from mezha_client.api.me import put_requisites, switch_acting_role, update_me
from mezha_client.api.orders import create_order, get_order, publish_order, search_orders
from mezha_client.api.responses import create_response, list_responses
from mezha_client.api.sro_registry import import_
from mezha_client.models import (
    ActingRoleRequest,
    ConfirmEmailRequest,
    Contacts,
    LoginRequest,
    NewOrder,
    NewResponse,
    OrderStatus,
    RegisterRequest,
    Registration,
    Requisites,
    Role,
    SearchSort,
    SroMemberStatus,
    SroRegistryEngineer,
    SroRegistryFile,
    UpdateEngineerProfile,
    UpdateMe,
    WorkType,
    WorkTypePrice,
)

BASE = os.environ["BASE"]
PASSWORD = "Contract-Story-14-amber-field"


def check(response, status):
    """The parsed body of a response with the expected status."""
    assert response.status_code == status, (
        f"{response.status_code} (wanted {status}): {response.content[:500]!r}"
    )
    return response.parsed


def anonymous():
    return Client(base_url=BASE, raise_on_unexpected_status=True, timeout=30)


def signed_in(token):
    return AuthenticatedClient(base_url=BASE, token=token, raise_on_unexpected_status=True, timeout=30)


def confirmed_account(email, full_name):
    """Registers, confirms through the development outbox, logs in: a token."""
    client = anonymous()
    created = check(
        register.sync_detailed(
            client=client,
            body=RegisterRequest(email=email, password=PASSWORD, full_name=full_name),
        ),
        201,
    )
    assert created.email == email and not created.email_confirmed
    token = None
    for _ in range(100):  # the mail goes out after the answer
        mails = check(outbox.sync_detailed(client=client, recipient=email), 200)
        for mail in mails.items:
            found = re.search(r"confirm-email\?token=([A-Za-z0-9_-]+)", mail.body)
            if found:
                token = found.group(1)
        if token:
            break
        time.sleep(0.1)
    assert token, f"no confirmation mail for {email}"
    check(confirm_email.sync_detailed(client=client, body=ConfirmEmailRequest(token=token)), 200)
    return log_in(email)


def log_in(email):
    tokens = check(
        login.sync_detailed(client=anonymous(), body=LoginRequest(email=email, password=PASSWORD)),
        200,
    )
    return tokens


def snils():
    """A random SNILS with valid check digits."""
    while True:
        digits = [random.randrange(10) for _ in range(9)]
        if int("".join(map(str, digits))) <= 1001998:
            continue
        total = sum(d * (9 - i) for i, d in enumerate(digits))
        if total > 101:
            total %= 101
        control = 0 if total in (100, 101) else total
        return "".join(map(str, digits)) + f"{control:02d}"


def account_for(bik, account):
    """`account` with its control key for the bank `bik`."""
    weights = [7, 1, 3]
    digits = [int(c) for c in bik[6:] + account]
    digits[11] = 0
    total = sum((d * weights[i % 3]) % 10 for i, d in enumerate(digits))
    key = (((10 - total % 10) % 10) * 7) % 10
    return account[:8] + str(key) + account[9:]


def main():
    run = f"{int(time.time())}{random.randrange(1000)}"

    # A customer publishes an order.
    anna = signed_in(confirmed_account(f"anna-{run}@example.ru", "Анна Петровна Иванова").access_token)
    order = check(
        create_order.sync_detailed(
            client=anna,
            idempotency_key=f"story-{run}",
            body=NewOrder(
                title="Межевание участка в Раменском",
                work_types=[WorkType.LAND_PLOT_BOUNDARY_CLARIFICATION],
                description="Уточнение границ участка под ИЖС.",
                cadastral_numbers=["50:23:0040312:118"],
                region_code="50",
                address="Московская обл., г. Раменское, ул. Серова",
                deadline_days=30,
                price=25000,
                prepayment_required=True,
                prepayment_percent=30,
                registration=Registration.GKU,
            ),
        ),
        201,
    )
    assert order.status == OrderStatus.DRAFT, order.status
    published = check(publish_order.sync_detailed(order.id, client=anna), 200)
    assert published.status == OrderStatus.EXECUTOR_SELECTION, published.status

    # A moderator (a staff account made with the CLI) imports the SRO
    # registry in its own JSON format, listing the engineer.
    moderator_email = f"moderator-{run}@example.ru"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL") and not k.startswith("MEZHA_")}
    env["MEZHA_DATA_DIR"] = os.environ["DATA_DIR"]
    made = subprocess.run(
        [os.environ["MEZHA_BIN"], "staff", "create", "--email", moderator_email,
         "--password", PASSWORD, "--role", "moderator"],
        cwd=os.environ["DATA_DIR"], env=env, capture_output=True, text=True,
    )
    assert made.returncode == 0, f"mezha staff create: {made.stderr}"
    moderator = signed_in(log_in(moderator_email).access_token)
    petr_email = f"petr-{run}@example.ru"
    petr_tokens = confirmed_account(petr_email, "Петров Пётр Сергеевич")
    petr = signed_in(petr_tokens.access_token)
    petr_snils = snils()
    check(update_me.sync_detailed(client=petr, body=UpdateMe(snils=petr_snils)), 200)
    report = check(
        import_.sync_detailed(
            client=moderator,
            body=SroRegistryFile(engineers=[
                SroRegistryEngineer(
                    snils=petr_snils,
                    full_name="Петров Пётр Сергеевич",
                    sro="Ассоциация «Кадастровые инженеры»",
                    status=SroMemberStatus.ACTIVE,
                    registry_number="50-1234",
                ),
            ]),
        ),
        200,
    )
    assert report.roles_granted == 1, report

    # The engineer acts as engineer, fills his profile and requisites,
    # finds the order and responds.
    tokens = log_in(petr_email)
    assert Role.ENGINEER in tokens.roles, tokens.roles
    switched = check(
        switch_acting_role.sync_detailed(
            client=signed_in(tokens.access_token), body=ActingRoleRequest(role=Role.ENGINEER)
        ),
        200,
    )
    petr = signed_in(switched.access_token)
    check(
        put_profile.sync_detailed(
            client=petr,
            body=UpdateEngineerProfile(
                contacts=Contacts(phone="+79123456780", email=petr_email),
                regions=["50"],
                work_types=[WorkTypePrice(work_type=WorkType.LAND_PLOT_BOUNDARY_CLARIFICATION, price=20000)],
                accept_offers=True,
            ),
        ),
        200,
    )
    bik = "044525225"
    check(
        put_requisites.sync_detailed(
            client=petr,
            body=Requisites(
                recipient="ИП Петров Пётр Сергеевич",
                inn="500100732259",
                bank_name="ПАО Сбербанк",
                bik=bik,
                account=account_for(bik, "40802810000000000001"),
                correspondent_account="30101810400000000225",
            ),
        ),
        200,
    )
    found = check(
        search_orders.sync_detailed(client=petr, region_code="50", sort=SearchSort.URGENCY, limit=50),
        200,
    )
    assert order.id in [o.id for o in found.items], "the published order is found"
    response = check(
        create_response.sync_detailed(
            order.id, client=petr, body=NewResponse(price=24000, deadline_days=25, message="Готов начать в понедельник.")
        ),
        201,
    )
    assert response.price == 24000

    # The customer sees the response on the order.
    responses = check(list_responses.sync_detailed(order.id, client=anna), 200)
    assert [r.id for r in responses.items] == [response.id]
    seen = check(get_order.sync_detailed(order.id, client=anna), 200)
    assert seen.responses_count == 1, seen.responses_count
    print("story: register, confirm, create and publish an order, SRO import, search, respond: ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as err:
        print(f"story failed: {err}", file=sys.stderr)
        sys.exit(1)
