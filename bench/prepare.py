"""Sessions and per-user values for the benchmark, taken from the data set itself.

For every load-test user: a session of its own (logged in and past the MFA check, as the
tests log in: the accounts have a TOTP device, and the TOTP step itself is not what is
measured), and the ids and search terms its pages need, all picked through the one gate
(`visible_cases`), so nobody is sent to a case they may not see. Each page is then tried
once per account; only pages that answer 200 for that account are in its mix.

Run with DATABASE_URL set: `python -m bench.prepare OUT.json`.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any


def _setup() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


def _case_values(user: Any, rng: random.Random) -> dict[str, list[str]]:
    from ketenregie.cases.access import visible_cases
    from ketenregie.cases.workflow import STARTED_STATUSES

    visible = visible_cases(user).order_by()
    full = list(
        # full_access is the gate's annotation (pseudonymised for advisers): not a field.
        visible.filter(full_access=True)  # type: ignore[misc]
        .values_list("pk", "code", "person__achternaam")
        .order_by("-pk")[:2000]
    )
    some = rng.sample(full, min(40, len(full)))
    with_plan = list(visible.filter(plan__isnull=False).values_list("pk", flat=True)[:200])
    with_safety = list(visible.filter(safety_plan__isnull=False).values_list("pk", flat=True)[:200])
    cases = [str(row[0]) for row in some]
    # Without plans in the data set the page still opens for a started PGA: it offers to
    # start one.
    started = list(visible.filter(status__in=STARTED_STATUSES).values_list("pk", flat=True)[:200])
    return {
        "case": cases,
        "case_number": [row[1] for row in some],
        "surname": sorted({row[2] for row in some}),
        "bsn": _bsns(visible.filter(full_access=True), rng),  # type: ignore[misc]
        "plan_case": _some(with_plan, rng) or _some(started, rng),
        "safety_case": _some(with_safety, rng) or _some(started, rng),
        **_client_system_values(visible, rng),
    }


def _client_system_values(visible: Any, rng: random.Random) -> dict[str, list[str]]:
    """Client systems' cases (issue 15) this user sees in full, each with what its page
    shows: the household page of any, the meldcode page of one with a trajectory, and so on.
    Empty for a user outside a house in the household variant (the pages are left out)."""
    from ketenregie.cases.workflow import RUNNING_STATUSES

    systems = visible.filter(
        full_access=True,
        household__isnull=False,
        house__household_variant=True,
    )

    def pick(cases: Any) -> list[str]:
        return _some(list(cases.values_list("pk", flat=True).distinct()[:200]), rng)

    return {
        "hh_case": pick(systems),
        "hh_plan_case": pick(systems.filter(plan__isnull=False)),
        "meldcode_case": pick(systems.filter(meldcode_trajectories__isnull=False)),
        "vi_case": pick(systems.filter(vi_signals__isnull=False)),
        "escmap_case": pick(systems.filter(escalation_level__gte=3, status__in=RUNNING_STATUSES)),
        "aftercare_case": pick(systems.filter(aftercare_agreements__isnull=False)),
    }


def _bsns(cases: Any, rng: random.Random) -> list[str]:
    """BSNs to search for: only some persons have one, so they are picked apart."""
    with_bsn = cases.exclude(person__bsn__isnull=True).exclude(person__bsn="")
    bsns = list(with_bsn.values_list("person__bsn", flat=True)[:500])
    return rng.sample(bsns, min(20, len(bsns)))


def _some(pks: list[int], rng: random.Random, n: int = 20) -> list[str]:
    return [str(pk) for pk in rng.sample(pks, min(n, len(pks)))]


def _any_person_values(rng: random.Random) -> dict[str, list[str]]:
    """The privacy officer searches any person and case, not only visible ones."""
    from ketenregie.cases.models import Case

    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rows = list(
        Case.objects.filter(pk__gte=max(0, top - 5000))
        .values_list("code", "person__achternaam")
        .order_by("-pk")[:2000]
    )
    some = rng.sample(rows, min(40, len(rows)))
    return {
        "case_number": [row[0] for row in some],
        "surname": sorted({row[1] for row in some}),
        "bsn": _bsns(Case.objects.all(), rng),
    }


CHECKED = {
    "plan_case",
    "safety_case",
    "hh_case",
    "hh_plan_case",
    "meldcode_case",
    "vi_case",
    "escmap_case",
    "aftercare_case",
}


def _session_cookie(user: Any) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def fill(path: str, values: dict[str, list[str]], rng: random.Random) -> str | None:
    """The page's path with its placeholders filled, or None when a value is missing."""
    import string

    names = [name for _, name, _, _ in string.Formatter().parse(path) if name]
    if any(not values.get(name) for name in names):
        return None
    return path.format(**{name: rng.choice(values[name]) for name in names})


def _pages_that_open(
    cookie: str, values: dict[str, list[str]], rng: random.Random
) -> tuple[list[str], dict[str, str]]:
    """The pages that answer 200 for this account, and why the others are left out."""
    from django.conf import settings
    from django.test import Client

    from bench.pages import NOT_IN_VARIANT, PAGES, VARIANT_PAGES

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    for page in PAGES:
        # A plan or safety plan opens only in some phases and with full access: keep the
        # ids whose page opens, so the load test meets no refusals by construction.
        for name in CHECKED & set(values):
            if "{" + name + "}" in page.path:
                values[name] = [
                    value
                    for value in values[name][:8]
                    if client.get(page.path.format(**{name: value})).status_code == 200
                ]
    usable, left_out = [], {}
    for page in PAGES:
        path = fill(page.path, values, rng)
        if path is None:
            # A client system's page for someone with no client system in view (their
            # house does not work in the household variant) is not for them, like a 403.
            outside = page.name in VARIANT_PAGES and not values.get("hh_case")
            left_out[page.name] = NOT_IN_VARIANT if outside else "geen gegevens"
            continue
        response = client.get(path, headers=page.headers)
        if response.status_code == 200:
            usable.append(page.name)
        else:
            left_out[page.name] = str(response.status_code)
    return usable, left_out


def prepare(seed: int = 7, only: tuple[str, ...] = ()) -> dict[str, Any]:
    """Users for the load test; with `only`, one user per named account (growth table)."""
    from bench.pages import PERSONAS
    from ketenregie.accounts.models import User

    rng = random.Random(seed)
    people = _any_person_values(rng)
    users = []
    for persona in PERSONAS:
        if only and persona.username not in only:
            continue
        user = User.objects.get(username=persona.username)
        values = _case_values(user, rng)
        if persona.group == "privacy officer":
            values.update(people)
        pages, left_out = _pages_that_open(_session_cookie(user), values, rng)
        for _ in range(1 if only else persona.users):
            users.append(
                {
                    "username": persona.username,
                    "group": persona.group,
                    "pages": pages,
                    "left_out": left_out,
                    "values": values,
                }
            )
    # The sessions last: trying the pages can take longer than the idle timeout on a
    # slow data set, and a session that expired before the load test would measure the
    # login page instead.
    for entry in users:
        entry["cookie"] = _session_cookie(User.objects.get(username=entry["username"]))
    return {"users": users}


def main() -> None:
    import logging

    _setup()
    # Trying each page per account meets refusals (403) by design: not worth a traceback.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    out = Path(sys.argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    data = prepare()
    out.write_text(json.dumps(data, indent=1))
    for user in data["users"]:
        print(
            f"  {user['username']:<20} {len(user['pages']):>2} pagina's: {' '.join(user['pages'])}"
        )


if __name__ == "__main__":
    main()
