"""What is known is carried forward into the case meetings: the triage's invitees are
ticked on the first meeting's invitation form (others offered per organisation, only the
house's partners), the procesregisseur is not offered as casusregisseur, and actions
agreed in a meeting, also when added on the plan, land on that meeting's action list."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.models import HousePartner
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.core.timeutil import today
from ketenregie.intake.models import Invitee
from ketenregie.plans import services
from ketenregie.plans.models import Action, Meeting
from ketenregie.plans.tests.conftest import held, other_case, schedule
from ketenregie.tests_support.factories import HouseFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _checked(html: str, name: str) -> set[int]:
    """The ids of the ticked checkboxes of field `name`."""
    boxes = re.findall(rf"<input[^>]*name=\"{name}\"[^>]*>", html)
    return {
        int(re.search(r'value="(\d+)"', b).group(1))  # type: ignore[union-attr]
        for b in boxes
        if " checked" in b
    }


def _offered(html: str, name: str) -> set[int]:
    boxes = re.findall(rf"<input[^>]*name=\"{name}\"[^>]*>", html)
    return {int(re.search(r'value="(\d+)"', b).group(1)) for b in boxes}  # type: ignore[union-attr]


def _world(team: dict[str, Any]) -> dict[str, Any]:
    """Organisations around the team's house: a fixed partner and an incidental one the
    triage invited, a partner it did not, and another region's organisation."""
    house = team["house"]
    fixed = OrganisationFactory(name="Politie Oost")
    HousePartner.objects.create(house=house, organisation=fixed, is_fixed_triage_partner=True)
    incidental = OrganisationFactory(name="Woningstichting Zuid")  # not a partner of the house
    partner = OrganisationFactory(name="Bureau Leerplicht")
    HousePartner.objects.create(house=house, organisation=partner)
    elsewhere = OrganisationFactory(name="Gemeente Elders")
    HousePartner.objects.create(house=HouseFactory(), organisation=elsewhere)
    people = {
        key: UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=org)
        for key, org in (
            ("agent", fixed),
            ("verhuurder", incidental),
            ("leerplicht", partner),
            ("elders", elsewhere),
        )
    }
    case = team["case"]
    Invitee.objects.create(case=case, organisation=fixed, justification="vaste_partner")
    Invitee.objects.create(
        case=case,
        organisation=incidental,
        incidental=True,
        justification="expertise",
        explanation="Huurachterstand en dreigende ontruiming.",
    )
    return {"fixed": fixed, "incidental": incidental, "partner": partner, **people}


def test_the_first_meeting_form_ticks_the_triage_invitees_grouped_per_organisation(
    team: dict[str, Any],
) -> None:
    world = _world(team)
    case = team["case"]
    html = _client(team["regisseur"]).get(reverse("meeting_new", args=[case.pk])).content.decode()
    ticked = _checked(html, "participants")
    offered = _offered(html, "participants")
    # The case team and the people of the organisations the triage invited are ticked...
    team_ids = {team[k].pk for k in ("regisseur", "casus", "partner")}
    assert ticked == team_ids | {world["agent"].pk, world["verhuurder"].pk}
    # ...a partner of the house is offered, unticked; another region's staff is not offered.
    assert world["leerplicht"].pk in offered - ticked
    assert world["elders"].pk not in offered and team["outsider"].pk not in offered
    # The triage's choices are shown with their justification.
    assert "Uitgenodigd door de triage" in html
    assert "Huurachterstand en dreigende ontruiming." in html
    # Grouped per organisation, the invited organisations first.
    legends = re.findall(r'<legend class="[^"]*kr-choice-group__legend">([^<]+)</legend>', html)
    assert legends[:2] == ["Politie Oost", "Woningstichting Zuid"]
    assert "Bureau Leerplicht" in legends and "Gemeente Elders" not in legends

    # Posting the ticked people plans the first meeting with them.
    resp = _client(team["regisseur"]).post(
        reverse("meeting_new", args=[case.pk]),
        {
            "kind": "eerste",
            "day": (today() + dt.timedelta(days=3)).isoformat(),
            "start": "10:00",
            "end": "11:00",
            "participants": sorted(ticked),
            "person_invited": "on",
        },
    )
    assert resp.status_code == 302
    meeting = Meeting.objects.get(case=case)
    assert set(meeting.participants.values_list("user_id", flat=True)) == ticked

    # The next meeting is incidental: the triage's choice was for the first one only.
    html = _client(team["regisseur"]).get(reverse("meeting_new", args=[case.pk])).content.decode()
    assert _checked(html, "participants") == team_ids
    assert "Uitgenodigd door de triage" not in html


def test_the_procesregisseur_is_not_offered_or_accepted_as_casusregisseur(
    team: dict[str, Any],
) -> None:
    case, regisseur = team["case"], team["regisseur"]
    services.plan_for(case, actor=regisseur)
    html = _client(regisseur).get(reverse("plan", args=[case.pk])).content.decode()
    select = re.search(r'<select name="casusregisseur".*?</select>', html, re.S)
    assert select is not None
    assert f'value="{team["casus"].pk}"' in select.group(0)
    assert f'value="{regisseur.pk}"' not in select.group(0)
    # The procesregisseur still agrees to the choice.
    assert regisseur.pk in _offered(html, "agreed_by")
    with pytest.raises(ValidationError) as err:
        services.agree_casusregisseur(
            case, actor=regisseur, casusregisseur=regisseur, agreed_by=[regisseur]
        )
    assert "onafhankelijk voorzitter" in str(err.value.message_dict["casusregisseur"])
    resp = _client(regisseur).post(
        reverse("plan_casusregisseur", args=[case.pk]),
        {"casusregisseur": regisseur.pk, "agreed_by": [regisseur.pk]},
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and "Selecteer een geldige keuze" in html


def test_an_action_added_on_the_plan_during_a_meeting_is_on_its_action_list(
    team: dict[str, Any],
) -> None:
    case, regisseur = team["case"], team["regisseur"]
    # The meeting has begun; attendance is not recorded yet.
    meeting = schedule(team, starts_at=timezone.now() - dt.timedelta(minutes=30))
    services.plan_for(case, actor=regisseur)
    client = _client(regisseur)
    # The plan page knows the meeting the case is in now, and the one the link names.
    html = client.get(reverse("plan", args=[case.pk])).content.decode()
    assert re.search(rf'<option value="{meeting.pk}" selected>Eerste casusoverleg', html)
    meeting_html = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert f"?overleg={meeting.pk}" in meeting_html
    assert "Actie toevoegen" in meeting_html  # during the meeting, not only once held

    due = (today() + dt.timedelta(days=14)).isoformat()
    resp = client.post(
        reverse("plan_action", args=[case.pk]),
        {
            "what": "Aanmelden bij schuldhulpverlening.",
            "owner_user": team["casus"].pk,
            "due_date": due,
            "meeting": meeting.pk,
        },
    )
    assert resp.status_code == 302
    action = Action.objects.get(case=case)
    assert action.meeting_id == meeting.pk
    # An action added on the plan outside a meeting belongs to none.
    client.post(
        reverse("plan_action", args=[case.pk]),
        {"what": "Los van het overleg.", "owner_user": team["casus"].pk, "due_date": due},
    )
    assert Action.objects.get(what="Los van het overleg.").meeting_id is None

    # The meeting page lists it; the plan says in which meeting it was agreed.
    meeting_html = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Aanmelden bij schuldhulpverlening." in meeting_html
    assert "Los van het overleg." not in meeting_html
    assert "Geen acties." not in meeting_html
    plan_html = client.get(reverse("plan", args=[case.pk])).content.decode()
    assert "Afgesproken in het eerste casusoverleg van" in plan_html

    # The minutes go out with this action list.
    meeting = services.record_attendance(
        meeting, actor=regisseur, present=[regisseur.pk], expected_version=meeting.version
    )
    meeting = services.save_minutes(
        meeting,
        actor=regisseur,
        minutes="Besproken.",
        decisions="Geen besluiten.",
        expected_version=meeting.version,
    )
    meeting_html = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "de actielijst (1 actie)" in meeting_html
    services.send_minutes(meeting, actor=regisseur)
    event = AuditEvent.objects.get(action="meeting.minutes_sent")
    assert event.data["acties"] == [action.pk]


def test_an_action_is_not_agreed_in_a_meeting_to_come_cancelled_or_of_another_case(
    team: dict[str, Any],
) -> None:
    case, regisseur = team["case"], team["regisseur"]
    coming = schedule(team)
    kwargs: dict[str, Any] = {
        "actor": regisseur,
        "what": "Iets",
        "owner_user": team["casus"],
        "owner_organisation": None,
        "due_date": today() + dt.timedelta(days=7),
    }
    with pytest.raises(ValidationError) as err:
        services.add_action(case, meeting=coming, **kwargs)
    assert "nog niet begonnen" in str(err.value.message_dict["meeting"])
    cancelled = services.cancel_meeting(coming, actor=regisseur, expected_version=coming.version)
    with pytest.raises(ValidationError):
        services.add_action(case, meeting=cancelled, **kwargs)
    other = held({**team, "case": other_case(team["house"], status=case.status)})
    with pytest.raises(ValidationError) as err:
        services.add_action(case, meeting=other, **kwargs)
    assert "andere casus" in str(err.value.message_dict["meeting"])
    assert not Action.objects.exists()

    # The plan page offers only this case's begun meetings: a posted other one is refused.
    services.plan_for(case, actor=regisseur)
    resp = _client(regisseur).post(
        reverse("plan_action", args=[case.pk]),
        {
            "what": "Iets",
            "owner_user": team["casus"].pk,
            "due_date": kwargs["due_date"].isoformat(),
            "meeting": other.pk,
        },
    )
    assert resp.status_code == 200 and not Action.objects.exists()
    assert "Kies een overleg van deze casus dat begonnen is." in resp.content.decode()
