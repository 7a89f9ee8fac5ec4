"""Every write to the client system of a case (issue 15, household variant): members,
the informal network, consent and the client's preference for a procesregisseur.

Each is one transaction: lock, check (version, period, Dutch errors), write, audit. The
trail names fields and versions, never names or free text (they may identify people);
a member's values at each version stay in `HouseholdMemberVersion`, deleted with the
household.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.audit import services as audit
from ketenregie.audit.writes import create_audited, lock, save_audited, snapshot
from ketenregie.cases.models import (
    Case,
    Consent,
    CoordinationStart,
    Household,
    HouseholdMember,
    HouseholdMemberVersion,
    NetworkContact,
    RegisseurPreference,
)
from ketenregie.cases.services import create_person, update_person
from ketenregie.core.forms import END_BEFORE_START, not_in_future
from ketenregie.core.timeutil import today

if TYPE_CHECKING:
    from ketenregie.accounts.models import Organisation, User

PRIMARY_STAYS = gettext_lazy("De betrokkene zelf blijft lid van het huishouden van de eigen casus.")
MEMBER_FIELDS = [
    "relation",
    "custody",
    "lives_in_home",
    "valid_from",
    "valid_to",
    # Seed 002 7.1 "Gezinsleden" (ADR 0031).
    "gender",
    "marital_status",
    "occupation",
]
NETWORK_FIELDS = ["name", "relation", "support_kinds", "support_note", "contact", "valid_from"]
# The person fields a household page edits for a member (the rest: the person page): the
# name, date of birth and BSN, and the member's own address, phone and e-mail (seed 002
# 7.1), kept once on the person, with their history in `PersonVersion`.
MEMBER_PERSON_FIELDS = [
    "voornamen",
    "tussenvoegsel",
    "achternaam",
    "geboortedatum",
    "bsn",
    "straat",
    "postcode",
    "woonplaats",
    "telefoon",
    "email",
]


def _store_member_version(member: HouseholdMember, actor: User | None) -> None:
    HouseholdMemberVersion.objects.create(
        member=member,
        version=member.version,
        values=snapshot(member, MEMBER_FIELDS),
        changed_at=timezone.now(),
        changed_by=actor,
    )


def _check_period(start: dt.date | None, end: dt.date | None, field: str = "valid_to") -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError({field: END_BEFORE_START})


def _household_of(case: Case, actor: User) -> Household:
    """The case's household; made (with the case's person as its first member) when the
    case has none yet, so a member can be added to any case."""
    locked = lock(case, of=("self",))
    if locked.household_id is not None:
        return Household.objects.get(pk=locked.household_id)
    household = Household.objects.create(name=f"Huishouden {locked.code}")
    Case.objects.filter(pk=locked.pk).update(household=household)
    case.household = household
    primary = HouseholdMember.objects.create(
        household=household,
        person_id=locked.person_id,
        relation=HouseholdMember.Relation.BETROKKENE,
        valid_from=today(),
    )
    _store_member_version(primary, actor)
    audit.record(
        "household.member_added",
        actor=actor,
        case_id=locked.pk,
        obj=primary,
        data={"huishouden_aangemaakt": True, "versie": primary.version},
    )
    return household


@transaction.atomic
def add_member(
    case: Case,
    *,
    actor: User,
    person_values: dict[str, Any],
    values: dict[str, Any],
) -> HouseholdMember:
    """A new person joins the case's household, with their role, custody, home and the
    support plan's 7.1 fields; their contact details go on the new person."""
    _check_period(values.get("valid_from"), values.get("valid_to"))
    household = _household_of(case, actor)
    person = create_person(actor=actor, values=person_values, case_id=case.pk)
    member = HouseholdMember(household=household, person=person, **values)
    member.full_clean()
    member.save()
    _store_member_version(member, actor)
    audit.record(
        "household.member_added",
        actor=actor,
        case_id=case.pk,
        obj=member,
        data={"velden": [k for k, v in values.items() if v not in (None, "")], "versie": 1},
    )
    return member


@transaction.atomic
def update_member(
    member: HouseholdMember,
    *,
    case: Case,
    actor: User,
    expected_version: int,
    values: dict[str, Any],
    person_values: dict[str, Any] | None = None,
    person_version: int | None = None,
) -> HouseholdMember:
    """Change a member's role, custody, home, period or 7.1 fields (and, if given, their
    name, date of birth and contact details through the person service); the old values
    stay as a version (the member's here, the person's in `PersonVersion`)."""
    locked = lock(member, expected_version=expected_version, related=["person"], of=("self",))
    if locked.person_id == case.person_id and values.get("valid_to") is not None:
        raise ValidationError({"valid_to": str(PRIMARY_STAYS)})
    _check_period(values.get("valid_from", locked.valid_from), values.get("valid_to"))
    changed = save_audited(
        locked,
        actor=actor,
        action="household.member_changed",
        values=values,
        case_id=case.pk,
        mode="names",
        extra=lambda m: {"versie": m.version},
    )
    if changed:
        _store_member_version(locked, actor)
    if person_values is not None and person_version is not None:
        # Only what changed is written (and audited) by the person service.
        update_person(
            locked.person,
            actor=actor,
            values=person_values,
            expected_version=person_version,
            case_id=case.pk,
        )
    return locked


@transaction.atomic
def end_member(
    member: HouseholdMember, *, case: Case, actor: User, expected_version: int, on: dt.date
) -> HouseholdMember:
    """A member leaves the household on `on` (their last day): kept, with the end date."""
    locked = lock(member, expected_version=expected_version, of=("self",))
    if locked.person_id == case.person_id:
        raise ValidationError(str(PRIMARY_STAYS))
    if locked.valid_to is not None:
        raise ValidationError(_("Dit gezinslid is al uit het huishouden."))
    _check_period(locked.valid_from, on, "on")
    save_audited(
        locked,
        actor=actor,
        action="household.member_ended",
        values={"valid_to": on, "lives_in_home": False},
        case_id=case.pk,
        mode="names",
        shown=["valid_to"],
        extra=lambda m: {"versie": m.version},
    )
    _store_member_version(locked, actor)
    return locked


@transaction.atomic
def add_network_contact(case: Case, *, actor: User, values: dict[str, Any]) -> NetworkContact:
    return create_audited(
        NetworkContact,
        actor=actor,
        action="household.network_added",
        values={**values, "case": case, "created_by": actor},
        case_id=case.pk,
        mode="names",
    )


@transaction.atomic
def update_network_contact(
    contact: NetworkContact,
    *,
    actor: User,
    expected_version: int,
    values: dict[str, Any],
) -> NetworkContact:
    locked = lock(contact, expected_version=expected_version)
    _check_period(values.get("valid_from", locked.valid_from), locked.valid_to)
    save_audited(
        locked,
        actor=actor,
        action="household.network_changed",
        values=values,
        case_id=locked.case_id,
        mode="names",
        shown=["relation", "support_kinds", "valid_from"],
    )
    return locked


@transaction.atomic
def end_network_contact(
    contact: NetworkContact, *, actor: User, expected_version: int, on: dt.date
) -> NetworkContact:
    locked = lock(contact, expected_version=expected_version)
    if locked.valid_to is not None:
        raise ValidationError(_("Dit netwerkcontact is al beëindigd."))
    _check_period(locked.valid_from, on, "on")
    save_audited(
        locked,
        actor=actor,
        action="household.network_ended",
        values={"valid_to": on},
        case_id=locked.case_id,
        mode="values",
    )
    return locked


def consent_errors(case: Case, values: dict[str, Any]) -> dict[str, str]:
    """What is wrong with a consent about to be recorded (Dutch, keyed by field): given
    by one member of the household or by a legal representative, partners named when
    sharing with partners, not given in the future. The start without triage asks it
    before it records anything."""
    member: HouseholdMember | None = values.get("given_by_member")
    representative = (values.get("given_by_representative") or "").strip()
    errors: dict[str, str] = {}
    if (member is None) == (not representative):
        errors["given_by_member"] = _(
            "Kies het gezinslid dat toestemming gaf, of vul de wettelijk vertegenwoordiger "
            "in (één van beide)."
        )
    elif member is not None and member.household_id != case.household_id:
        errors["given_by_member"] = _("Dit gezinslid hoort niet bij het huishouden.")
    if (
        values.get("subject") == Consent.Subject.DELEN_PARTNERS
        and not (values.get("partners") or "").strip()
    ):
        errors["partners"] = _("Noem de partners met wie gegevens gedeeld mogen worden.")
    try:
        not_in_future(values.get("given_on"))
    except ValidationError as exc:
        errors["given_on"] = exc.messages[0]
    return errors


@transaction.atomic
def record_consent(case: Case, *, actor: User, values: dict[str, Any]) -> Consent:
    """The client (a member, or a legal representative) gives consent: what, when, how."""
    member: HouseholdMember | None = values.get("given_by_member")
    representative = (values.get("given_by_representative") or "").strip()
    errors = consent_errors(case, values)
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        case=case,
        recorded_by=actor,
        recorded_at=timezone.now(),
        **{**values, "given_by_representative": representative},
    )
    consent.full_clean()
    consent.save()
    audit.record(
        "household.consent_recorded",
        actor=actor,
        case_id=case.pk,
        obj=consent,
        data={
            "onderwerp": consent.subject,
            "vorm": consent.form,
            "gegeven_op": consent.given_on.isoformat(),
            "door_gezinslid": member.pk if member else None,
            "door_vertegenwoordiger": bool(representative),
        },
    )
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, *, actor: User, on: dt.date, by: str) -> Consent:
    """Consent withdrawn on `on` by `by`: the row stays, marked withdrawn."""
    locked = lock(consent)
    if locked.withdrawn_on is not None:
        raise ValidationError(
            _("Deze toestemming is al ingetrokken op %(datum)s.")
            % {"datum": locked.withdrawn_on.strftime("%d-%m-%Y")}
        )
    errors: dict[str, str] = {}
    if not by.strip():
        errors["by"] = _("Vul in wie de toestemming introk.")
    try:
        not_in_future(on)
    except ValidationError as exc:
        errors["on"] = exc.messages[0]
    if on < locked.given_on:
        errors["on"] = _("De toestemming kan niet worden ingetrokken vóór zij werd gegeven.")
    if errors:
        raise ValidationError(errors)
    save_audited(
        locked,
        actor=actor,
        action="household.consent_withdrawn",
        values={"withdrawn_on": on, "withdrawn_by": by.strip()},
        case_id=locked.case_id,
        mode="names",
        shown=["withdrawn_on"],
        extra={"onderwerp": locked.subject},
    )
    return locked


NO_CURRENT_CONSENT = gettext_lazy(
    "Er is geen geldende toestemming voor coördinatie vastgelegd. Leg de toestemming nu "
    "vast, of kies ‘zonder toestemming’ en vul de reden in."
)
CONSENT_HOLDS = gettext_lazy(
    "Er is een geldende toestemming voor coördinatie vastgelegd: start met die toestemming."
)
REASON_REQUIRED = gettext_lazy(
    "Vul in waarom de coördinatie zonder toestemming van de klant start. De meldcode "
    "wordt dan gevolgd."
)


@transaction.atomic
def record_coordination_start(
    case: Case, *, actor: User, consent: Consent | None, reason: str = ""
) -> CoordinationStart:
    """Record on what footing coordination starts: the consent to coordination that holds
    (locked, so a withdrawal cannot slip in between), or, without one, the reason.

    Errors are keyed `consent_choice` / `without_consent_reason`, the start form's fields.
    The reason enters the trail by name only (free text about the family)."""
    reason = reason.strip()
    if consent is not None:
        locked = lock(consent)
        if (
            locked.case_id != case.pk
            or locked.subject != Consent.Subject.COORDINATIE
            or locked.withdrawn_on is not None
        ):
            raise ValidationError({"consent_choice": str(NO_CURRENT_CONSENT)})
        reason = ""
    else:
        held = Consent.objects.select_for_update().filter(
            case=case, subject=Consent.Subject.COORDINATIE, withdrawn_on__isnull=True
        )
        if held.exists():
            raise ValidationError({"consent_choice": str(CONSENT_HOLDS)})
        if not reason:
            raise ValidationError({"without_consent_reason": str(REASON_REQUIRED)})
    if CoordinationStart.objects.filter(case=case).exists():
        raise ValidationError(_("De start van de coördinatie is al vastgelegd."))
    start = CoordinationStart.objects.create(
        case=case,
        consent=consent,
        without_consent_reason=reason,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    audit.record(
        "household.coordination_started",
        actor=actor,
        case_id=case.pk,
        obj=start,
        data={
            "met_toestemming": consent is not None,
            "toestemming": consent.pk if consent is not None else None,
            "reden_vastgelegd": bool(reason),
        },
    )
    return start


@transaction.atomic
def record_preference(
    case: Case,
    *,
    actor: User,
    expected_version: int | None,
    preference: str,
    organisation: Organisation | None,
) -> RegisseurPreference:
    """The client's preference for a procesregisseur, on the case (one row, versioned)."""
    if not preference.strip() and organisation is None:
        raise ValidationError(
            {"preference": _("Vul de voorkeur van de klant in of kies een organisatie.")}
        )
    lock(case, of=("self",))
    row = RegisseurPreference.objects.filter(case=case).first()
    values = {"preference": preference.strip(), "organisation": organisation}
    if row is None:
        return create_audited(
            RegisseurPreference,
            actor=actor,
            action="household.preference_recorded",
            values={**values, "case": case, "recorded_by": actor, "recorded_at": timezone.now()},
            case_id=case.pk,
            mode="names",
        )
    locked = lock(row, expected_version=expected_version)
    save_audited(
        locked,
        actor=actor,
        action="household.preference_recorded",
        values=values,
        case_id=case.pk,
        mode="names",
        shown=["organisation"],
        touch={"recorded_by": actor, "recorded_at": timezone.now()},
    )
    return locked
