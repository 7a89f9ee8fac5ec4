"""Every write to persons, cases, status and case teams: locked, checked, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ketenregie.audit import services as audit
from ketenregie.audit.chain import audit_key
from ketenregie.audit.writes import create_audited, lock, save_audited, snapshot, update_audited
from ketenregie.cases import competence, escalation_map, procesregie
from ketenregie.cases.access import handover_successors
from ketenregie.cases.models import (
    Case,
    CaseMembership,
    CaseNumber,
    CaseRole,
    EscalationChange,
    EscalationCriterion,
    Person,
    PersonVersion,
    StatusChange,
)
from ketenregie.cases.workflow import Status, ensure_allowed
from ketenregie.core.bsn import normalise_bsn
from ketenregie.core.forms import END_BEFORE_START
from ketenregie.core.templatetags.dates import long_date

if TYPE_CHECKING:
    from ketenregie.accounts.models import House, Organisation, User

PERSON_FIELDS = [
    "voornamen",
    "tussenvoegsel",
    "achternaam",
    "geboortedatum",
    "bsn",
    "straat",
    "postcode",
    "woonplaats",
    "gemeente",
    "telefoon",
    "email",
]


def _clean_person_values(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: values.get(k) for k in PERSON_FIELDS if k in values}
    if "bsn" in out:
        out["bsn"] = normalise_bsn(out["bsn"] or "") or None
    for key in PERSON_FIELDS:
        if key in out and out[key] is None and key not in ("bsn", "geboortedatum"):
            out[key] = ""
    geboortedatum = out.get("geboortedatum")
    if geboortedatum and geboortedatum > timezone.localdate():
        raise ValidationError({"geboortedatum": _("De geboortedatum ligt in de toekomst.")})
    bsn = out.get("bsn")
    if bsn:
        clash = Person.objects.filter(bsn=bsn)
        if values.get("_exclude_pk"):
            clash = clash.exclude(pk=values["_exclude_pk"])
        if clash.exists():
            raise ValidationError({"bsn": _("Er is al een betrokkene met dit BSN geregistreerd.")})
    return out


def _values_digest(values: dict[str, Any]) -> str:
    payload = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # Keyed, so the digest left in the trail cannot confirm a guessed person's data.
    return hmac.new(audit_key(), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def _version_digest(person: Person) -> dict[str, Any]:
    """What the trail keeps of a person's values: the version and a keyed digest."""
    return {"versie": person.version, "sha256": _values_digest(snapshot(person, PERSON_FIELDS))}


def _store_person_version(person: Person, actor: User | None) -> None:
    """Keep the values in PersonVersion (deletable with the person, unlike the trail)."""
    PersonVersion.objects.create(
        person=person,
        version=person.version,
        values=snapshot(person, PERSON_FIELDS),
        changed_at=timezone.now(),
        changed_by=actor,
    )


@transaction.atomic
def create_person(
    *, actor: User | None, values: dict[str, Any], case_id: int | None = None
) -> Person:
    clean = _clean_person_values(values)
    person = Person(**clean)
    person.full_clean()
    try:
        # Savepoint: a concurrent insert of the same BSN surfaces as a form error.
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"bsn": _("Er is al een betrokkene met dit BSN geregistreerd.")}
        ) from exc
    filled = [k for k in PERSON_FIELDS if getattr(person, k) not in (None, "")]
    audit.record(
        "person.created",
        actor=actor,
        case_id=case_id,
        obj=person,
        data={"velden": filled, **_version_digest(person)},
    )
    _store_person_version(person, actor)
    return person


@transaction.atomic
def update_person(
    person: Person,
    *,
    actor: User,
    values: dict[str, Any],
    expected_version: int,
    case_id: int | None = None,
) -> Person:
    """Change person data; the audit event names the changed fields, PersonVersion the values."""
    clean = _clean_person_values({**values, "_exclude_pk": person.pk})
    locked = lock(person, expected_version=expected_version)
    changed = save_audited(
        locked,
        actor=actor,
        action="person.updated",
        values=clean,
        case_id=case_id,
        mode="names",
        extra=_version_digest,
    )
    if changed:
        _store_person_version(locked, actor)
    return locked


def next_case_code(house: House, year: int) -> str:
    """The next number from the house's counter (row-locked, never reused)."""
    counter, _created = CaseNumber.objects.select_for_update().get_or_create(house=house, year=year)
    if counter.last == 0:
        # First use of the counter: continue after codes made without it (bulk data).
        prefix = f"{house.code}-{year}-"
        codes = Case.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        counter.last = max((int(c.rsplit("-", 1)[1]) for c in codes), default=0)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{house.code}-{year}-{counter.last:05d}"


@transaction.atomic
def create_case(
    *,
    actor: User | None,
    house: House,
    person: Person,
    status: Status = Status.CONCEPT,
    escalation_level: int = 3,
) -> Case:
    now = timezone.now()
    case = create_audited(
        Case,
        actor=actor,
        action="case.created",
        values={
            "code": next_case_code(house, timezone.localdate().year),
            "house": house,
            "person": person,
            "status": status,
            "escalation_level": escalation_level,
            "created_at": now,
            "status_changed_at": now,
            "created_by": actor,
        },
    )
    StatusChange.objects.create(
        case=case, from_status="", to_status=status, changed_at=now, changed_by=actor
    )
    return case


@transaction.atomic
def change_status(case: Case, *, to: Status, actor: User, reason: str = "") -> Case:
    """Move a case to `to`; history and audit in the same transaction."""
    locked = lock(case, related=["house"], of=("self",))
    current = Status(locked.status)
    ensure_allowed(current, to, reason, household_variant=locked.house.household_variant)
    now = timezone.now()
    save_audited(
        locked,
        actor=actor,
        action="case.status_changed",
        values={"status": to.value},
        case_id=locked.pk,
        touch={"status_changed_at": now},
        # The reason is free text (it may name people): it stays in the deletable history.
        extra={"reden_vastgelegd": bool(reason.strip())},
        always=True,
        clean=False,
    )
    StatusChange.objects.create(
        case=locked,
        from_status=current,
        to_status=to,
        reason=reason,
        changed_at=now,
        changed_by=actor,
    )
    return locked


@transaction.atomic
def change_escalation_level(
    case: Case,
    *,
    level: int,
    actor: User,
    reason: str,
    criterion_ids: list[int] | None = None,
) -> Case:
    """Change the level; the history row keeps reason and the criteria that applied.

    With `criterion_ids` (the escalation page) at least one criterion of the map must
    apply, for the right direction and the current level. Without (the triage sets the
    first level) only a reason is needed.
    """
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Geef aan waarom het escalatieniveau wijzigt.")
    locked = lock(case)
    before = locked.escalation_level
    texts: list[str] = []
    if criterion_ids is not None:
        if level == before:
            errors["level"] = _("Kies een ander niveau dan het huidige.")
        direction = "op" if level > before else "af"
        chosen = list(
            EscalationCriterion.objects.filter(
                pk__in=criterion_ids, is_active=True, direction=direction, from_level=before
            )
        )
        if not chosen or len(chosen) != len(set(criterion_ids)):
            errors["criteria"] = _(
                "Kies de criteria van de regiekaart die gelden voor %(richting)s vanaf "
                "niveau %(niveau)d."
            ) % {"richting": "opschalen" if direction == "op" else "afschalen", "niveau": before}
        texts = [c.text for c in chosen]
    if errors:
        raise ValidationError(errors)
    updated = update_audited(
        locked,
        actor=actor,
        action="case.escalation_changed",
        values={"escalation_level": level},
        case_id=case.pk,
        extra={"criteria": sorted(criterion_ids or [])},
    )
    if before != level:
        change = EscalationChange.objects.create(
            case=updated,
            from_level=before,
            to_level=level,
            reason=reason.strip(),
            criteria=texts,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        escalation_map.notify_level_change(updated, change, actor)
    return updated


def _overlaps(qs: Any, start: dt.date, end: dt.date | None) -> Any:
    # Two inclusive periods overlap when each starts on or before the other ends; a
    # role handed over ends at the handover, so its successor may start that same day.
    qs = qs.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=start) | Q(valid_to=start, handed_over=False)
    )
    if end is not None:
        qs = qs.filter(valid_from__lte=end)
    return qs


@transaction.atomic
def add_membership(
    case: Case,
    *,
    actor: User | None,
    role: CaseRole,
    organisation: Organisation,
    user: User | None = None,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    note: str = "",
    profile_reason: str = "",
) -> CaseMembership:
    """Put a person or organisation on the case team in a role for a period.

    A casus- or procesregisseur must hold the competence profile the escalation map asks
    for, or come with `profile_reason` (cases.competence, issue 15).
    """
    # Locking the case serialises team changes, so two procesregisseurs cannot slip in.
    locked_case = Case.objects.select_for_update().get(pk=case.pk)
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": END_BEFORE_START})
    if user is not None and user.organisation_id != organisation.pk:
        raise ValidationError({"user": _("Deze persoon werkt niet bij de gekozen organisatie.")})
    if role == CaseRole.PROCESREGISSEUR:
        if user is None:
            raise ValidationError(
                {"user": _("Een procesregisseur is altijd een persoon, niet een organisatie.")}
            )
        clash = _overlaps(
            CaseMembership.objects.filter(case_id=case.pk, role=CaseRole.PROCESREGISSEUR),
            valid_from,
            valid_to,
        ).first()
        if clash is not None:
            raise ValidationError(
                {
                    "role": _(
                        "Deze casus heeft in die periode al een procesregisseur (%(wie)s). "
                        "Beëindig eerst die rol of kies een latere begindatum."
                    )
                    % {"wie": clash.user}
                }
            )
        procesregie.ensure_one_procesregisseur(
            case.pk, user=user, valid_from=valid_from, valid_to=valid_to
        )
    same = _overlaps(
        CaseMembership.objects.filter(
            case_id=case.pk, role=role, organisation_id=organisation.pk, user=user
        ),
        valid_from,
        valid_to,
    )
    if same.exists():
        raise ValidationError(
            {"role": _("Deze persoon of organisatie heeft deze rol al in die periode.")}
        )
    competence.enforce_profile(
        locked_case, user=user, role=role, actor=actor, reason=profile_reason
    )
    values = {
        "case": case,
        "user": user,
        "organisation": organisation,
        "role": role,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "note": note,
    }
    return create_audited(
        CaseMembership, actor=actor, action="team.member_added", values=values, case_id=case.pk
    )


@transaction.atomic
def end_membership(
    membership: CaseMembership,
    *,
    actor: User,
    valid_to: dt.date,
    note: str = "",
    handed_over: bool = False,
) -> CaseMembership:
    Case.objects.select_for_update().get(pk=membership.case_id)
    current = CaseMembership.objects.get(pk=membership.pk)
    if valid_to < current.valid_from:
        raise ValidationError({"valid_to": END_BEFORE_START})
    # Only shortening: extending an ended role could overlap a successor (two
    # procesregisseurs) or give a former member access again. A new period is a new row.
    if current.valid_to is not None and valid_to > current.valid_to:
        raise ValidationError(
            {
                "valid_to": _(
                    "Deze rol eindigt al op %(datum)s. Een beëindigde rol verlengt u niet; "
                    "voeg zo nodig een nieuwe periode toe."
                )
                % {"datum": long_date(current.valid_to)}
            }
        )
    # Ended by hand (Beëindigen) before a planned handover, the end is an ordinary
    # inclusive last day again; on the handover day itself it stays the handover.
    values: dict[str, Any] = {"valid_to": valid_to}
    if handed_over:
        values["handed_over"] = True
    elif current.handed_over and current.valid_to is not None and valid_to < current.valid_to:
        values["handed_over"] = False
    if note:
        values["note"] = note
    return update_audited(
        membership,
        actor=actor,
        action="team.member_ended",
        values=values,
        case_id=membership.case_id,
    )


@transaction.atomic
def hand_over(
    membership: CaseMembership,
    *,
    actor: User,
    successor: User,
    from_date: dt.date,
    note: str = "",
    profile_reason: str = "",
) -> CaseMembership:
    """Hand a role actively to a named successor from a date.

    The holder's period ends on that date, marked as handed over: the successor holds the
    same role from that date and the former holder loses access at once (see
    `active_on_q`), so the history shows who held it when. A handover on the day the role
    began works the same way (a role given to the wrong colleague this morning).
    """
    Case.objects.select_for_update().get(pk=membership.case_id)
    current = CaseMembership.objects.select_related("organisation").get(pk=membership.pk)
    errors: dict[str, str] = {}
    if current.valid_to is not None and (
        current.valid_to < from_date or (current.valid_to == from_date and current.handed_over)
    ):
        errors["from_date"] = _("Deze rol is dan al beëindigd.")
    if from_date < current.valid_from:
        errors["from_date"] = _(
            "De overdracht kan niet voor de begindatum van de huidige rol liggen (%(datum)s)."
        ) % {"datum": date_format(current.valid_from, "j F Y")}
    if successor.pk == current.user_id:
        errors["successor"] = _("Kies een andere persoon dan de huidige houder.")
    if successor.organisation is None:
        errors["successor"] = _("De opvolger hoort bij geen organisatie.")
    elif successor.pk != current.user_id and not (
        handover_successors(actor, current).filter(pk=successor.pk).exists()
    ):
        errors["successor"] = _(
            "Deze persoon kan de rol niet overnemen. Kies een collega van de eigen "
            "organisatie; een overdracht aan een andere organisatie doet de procesregisseur."
        )
    if errors:
        raise ValidationError(errors)
    end_membership(current, actor=actor, valid_to=from_date, note=note, handed_over=True)
    assert successor.organisation is not None
    new = add_membership(
        current.case,
        actor=actor,
        role=CaseRole(current.role),
        organisation=successor.organisation,
        user=successor,
        valid_from=from_date,
        valid_to=current.valid_to,
        note=note,
        profile_reason=profile_reason,
    )
    audit.record(
        "team.handed_over",
        actor=actor,
        case_id=current.case_id,
        obj=new,
        data={
            "rol": current.role,
            "van": current.user_id,
            "naar": successor.pk,
            "per": from_date.isoformat(),
        },
    )
    return new


MEMBERSHIP_FIELDS = [
    "case",
    "user",
    "organisation",
    "role",
    "valid_from",
    "valid_to",
    "note",
    "handed_over",
]


def membership_values(m: CaseMembership) -> dict[str, Any]:
    """The audited shape of a team membership (the same for services and generated data)."""
    return snapshot(m, MEMBERSHIP_FIELDS)
