"""The subject access export (AVG art. 15; NEN 7513): everything recorded about one
person, where it came from, to whom it went, and every view and receipt of it, for the
privacy officer to review and hand over.

One dict, one schema (`SCHEMA_VERSION`, ADR 0018): stable English keys for machines
(AVG art. 20 spirit), Dutch labels and explanations as values for people. The JSON is
that dict; the PDF is rendered from the same dict (dates through the product's date
filters). Every passage that can be withheld carries an `id`: a section item
("referral:12"), a free text in it ("referral:12/reason"), a recipient row
("exchange:7") or an access-log row ("event:99").

Built only from indexed keys, never a scan of the audit trail: the person's cases are
read by `Case.person`, their contents by case id through the lower apps' queries, and
the trail by `case_id` (indexed) and `(object_type, object_id)` (index `audit_object`),
so the export costs the same with a million events as with a thousand.

Other people's data is left out: household members appear only with their relation to
the person (the person's own membership in full, `subject_access_household`), and their
names (and the names the reviewer typed as "andere personen") are blacked out of every
free text with the visible marker `OMITTED`. Events filed under another person's record
keep their who/when (the case was seen) but not what.

This module reads and renders; the review's writes are in `privacy.review`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from ketenregie.accounts.models import House
from ketenregie.cases.models import (
    Case,
    HouseholdMember,
    Person,
    PersonVersion,
)
from ketenregie.cases.queries import persons_named
from ketenregie.cases.services import PERSON_FIELDS
from ketenregie.core.bsn import normalise_bsn
from ketenregie.intake.queries import referral_for_subject
from ketenregie.pga.queries import pga_records_for_subject
from ketenregie.plans.queries import plan_records_for_subject
from ketenregie.privacy.redaction import OMITTED, Redactor
from ketenregie.privacy.retention import retention_date_for_case
from ketenregie.privacy.subject_access_fields import _field, _item, _label, _model_fields
from ketenregie.privacy.subject_access_household import households_of
from ketenregie.privacy.subject_access_output import (
    _withhold,
)
from ketenregie.privacy.subject_access_safeguarding import (
    AFTERCARE_FIELDS,
    EVALUATION_FIELDS,
    meldcode_items,
    vi_items,
)
from ketenregie.privacy.subject_access_trail import _recipients, _trail, _user

SCHEMA_VERSION = "1.0"
PURPOSE = "inzageverzoek betrokkene (AVG art. 15)"

# The person's fields under stable English keys (the model's names are Dutch).
PERSON_KEYS = {
    "voornamen": "given_names",
    "tussenvoegsel": "name_prefix",
    "achternaam": "surname",
    "geboortedatum": "birth_date",
    "bsn": "bsn",
    "straat": "street",
    "postcode": "postcode",
    "woonplaats": "place_of_residence",
    "gemeente": "municipality",
    "telefoon": "phone",
    "email": "email",
}
assert set(PERSON_KEYS) == set(PERSON_FIELDS), "a person field without an export key"


def find_persons(
    *,
    bsn: str = "",
    name: str = "",
    birth_date: dt.date | None = None,
    house_ids: Iterable[int] | None = None,
) -> list[Person]:
    """The persons a subject access request names: by BSN, or by name and date of birth
    (compared on the Dutch-aware name keys of `core.names`, as the duplicate check and
    the case search do). A name without a date of birth finds nobody: too many match.
    `house_ids` (None: every house): only persons with a case in those houses."""
    digits = normalise_bsn(bsn)
    if digits:
        found = Person.objects.filter(bsn=digits)
    elif name.strip() and birth_date is not None:
        found = persons_named(name.strip()).filter(geboortedatum=birth_date)
    else:
        return []
    if house_ids is not None:
        found = found.filter(
            pk__in=Case.objects.filter(house_id__in=list(house_ids)).values("person_id")
        )
    return list(found.order_by("pk"))


@dataclass(frozen=True)
class Scope:
    """Which cases an export covers: `house_ids` None is every house (the FG of all
    houses); otherwise only the cases of those houses, named in the export."""

    house_ids: frozenset[int] | None = None

    @classmethod
    def of(cls, ids: Iterable[int] | None) -> Scope:
        return cls(None if ids is None else frozenset(ids))


@dataclass(frozen=True)
class Review:
    """The reviewer's decisions applied to an export: passages withheld (id -> reason)
    and the names of other persons to black out."""

    withheld: Mapping[str, str] = field(default_factory=dict)
    other_names: Sequence[str] = ()


# Building the dict.


def build_export(
    person: Person, *, scope: Scope | None = None, review: Review | None = None
) -> dict[str, Any]:
    """Everything recorded about `person` within `scope`, with the `review`'s withholdings
    applied (schema: module docstring and ADR 0018)."""
    scope = scope or Scope()
    review = review or Review()
    cases_qs = Case.objects.filter(person=person).select_related("house")
    if scope.house_ids is not None:
        cases_qs = cases_qs.filter(house_id__in=scope.house_ids)
    cases = list(cases_qs.order_by("created_at", "pk"))
    # Every household the person is in names people to black out, in or out of scope.
    household_ids = _household_ids(person)
    members = list(
        HouseholdMember.objects.filter(household_id__in=household_ids)
        .select_related("person")
        .order_by("household_id", "pk")
    )
    others = {m.person_id: m.person for m in members if m.person_id != person.pk}
    redact = Redactor(person, others.values(), review.other_names)
    # A house-bound export shows the households of its own cases only.
    shown_households = (
        household_ids
        if scope.house_ids is None
        else {c.household_id for c in cases if c.household_id}
    )
    codes = {c.pk: c.code for c in cases}
    export: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.localtime(),
        "scope": scope_summary(scope),
        "omitted_marker": OMITTED,
        "person": _person(person, redact),
        "households": households_of(person, members, shown_households, redact),
        "cases": [_case(case, redact) for case in cases],
        "recipients": _recipients(codes, redact),
        "access_log": _trail(person, codes, set(others), scope),
        "withheld": [],
    }
    _withhold(export, review.withheld)
    return export


def _household_ids(person: Person) -> set[int]:
    via_membership = HouseholdMember.objects.filter(person=person).values_list(
        "household_id", flat=True
    )
    via_cases = Case.objects.filter(person=person, household__isnull=False).values_list(
        "household_id", flat=True
    )
    return {*via_membership, *(h for h in via_cases if h is not None)}


def scope_summary(scope: Scope) -> dict[str, Any]:
    if scope.house_ids is None:
        return {"all_houses": True, "houses": []}
    names = House.objects.filter(pk__in=scope.house_ids).order_by("name")
    return {"all_houses": False, "houses": [h.name for h in names]}


def _person(person: Person, redact: Redactor) -> dict[str, Any]:
    labels = {name: _label(Person, name) for name in PERSON_FIELDS}
    versions = PersonVersion.objects.filter(person=person).select_related("changed_by")
    return {
        "item": _item(
            "person",
            person.pk,
            [_field(PERSON_KEYS[n], labels[n], getattr(person, n)) for n in PERSON_FIELDS],
        ),
        "history": [
            {
                "version": v.version,
                "changed_at": timezone.localtime(v.changed_at),
                "changed_by": _user(v.changed_by),
                "fields": [
                    _field(PERSON_KEYS[n], labels[n], _stored(n, v.values.get(n)))
                    for n in PERSON_FIELDS
                    if n in v.values
                ],
            }
            for v in versions.order_by("version")
        ],
    }


def _stored(name: str, value: Any) -> Any:
    """A person field's value as a version stored it (dates as ISO text) back in its
    type, so the PDF prints it as a date like every other."""
    if (
        isinstance(value, str)
        and value
        and isinstance(Person._meta.get_field(name), models.DateField)
    ):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


# The sections of a case: key, Dutch title and a plain-Dutch explanation for the person.
SECTIONS = {
    "status_history": ("Verloop", "De fasen die de casus heeft doorlopen."),
    "referral": ("Aanmelding", "Waarom en door wie u bent aangemeld bij het huis."),
    "enrichment": (
        "Bekendheidscheck",
        "Welke partners is gevraagd of zij u kennen, wat zij antwoordden en op welke grondslag.",
    ),
    "attachments": (
        "Bijlagen",
        "De documenten die bij de aanmelding zijn gevoegd (alleen de naam, niet de inhoud).",
    ),
    "informing": ("Informeren", "Hoe en wanneer u bent geïnformeerd over de aanmelding."),
    "start_conversations": ("Startgesprek", "Wat u zelf in het startgesprek hebt verteld."),
    "plan": ("Plan van aanpak", "Het plan dat de partners met u hebben gemaakt."),
    "safety_plan": ("Veiligheidsplan", "Afspraken over veiligheid."),
    "meetings": (
        "Casusoverleggen",
        "De overleggen over uw situatie, het verslag en de besluiten.",
    ),
    "monitoring": ("Monitoring", "De stand van zaken in het monitoringsoverleg."),
    "actions": ("Acties", "Wat partners hebben afgesproken te doen, en hoe dat ging."),
    "signals": ("Signalen", "Signalen die tijdens de uitvoering zijn gemeld."),
    "closing": ("Afsluiting", "Hoe de casus is afgesloten."),
    # Slice meldcode (issue 15).
    "meldcode": (
        "Meldcode huiselijk geweld en kindermishandeling",
        "De stappen van de meldcode, de afwegingsvragen en meldingen bij Veilig Thuis.",
    ),
    # Issue 15, slice vi: only that a professional signalled, who and when.
    "vi_signals": (
        "Verwijsindex risicojongeren",
        "Welke professionals hebben gemeld dat zij bij u betrokken zijn, en wanneer. De "
        "Verwijsindex zegt alleen dát zij betrokken zijn, niet waarom.",
    ),
}


def _section(key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    title, explanation = SECTIONS[key]
    return {"key": key, "title": title, "explanation": explanation, "items": items}


def retention_for_case(case: Case, closed_at: dt.datetime | None) -> dict[str, Any]:
    """The case's retention line: when it closed and the day retention deletes it (the
    one rule, `privacy.retention.retention_date_for_case`; None while it runs or is held)."""
    return {
        "closed_on": timezone.localtime(closed_at).date() if closed_at else None,
        "retained_until": retention_date_for_case(case),
    }


def _case(case: Case, redact: Redactor) -> dict[str, Any]:
    referral = referral_for_subject(case)
    plans = plan_records_for_subject(case)
    pga = pga_records_for_subject(case)
    final = [c for c in pga["closings"] if not c.provisional]
    sources: list[dict[str, Any]] = []
    sections = [
        _section(
            "status_history",
            [
                _item(
                    "status",
                    s.pk,
                    [
                        _field("from", "Van", s.get_from_status_display()),
                        _field("to", "Naar", s.get_to_status_display()),
                        _field("reason", "Reden", redact(s.reason), text=True),
                        _field("changed_at", "Op", s.changed_at),
                    ],
                )
                for s in case.status_changes.order_by("pk")
            ],
        )
    ]
    if referral is not None:
        sources.append(
            {
                "kind": "referral",
                "label": "Aanmelding",
                "organisation": str(referral.referrer.organisation or ""),
                "by": _user(referral.referrer),
                "on": referral.submitted_at and timezone.localtime(referral.submitted_at),
            }
        )
        sections += _referral_sections(referral, redact, sources)
    sections += [
        _section(
            "informing",
            [
                _item("informing", i.pk, _model_fields(i, INFORMING_FIELDS, redact))
                for i in pga["informing"]
            ],
        ),
        _section(
            "start_conversations",
            [
                _item("start", s.pk, _model_fields(s, ("outcome", "on_date", "own_view"), redact))
                for s in pga["start_conversations"]
            ],
        ),
        *_plan_sections(plans, redact),
        _section(
            "signals",
            [
                _item(
                    "signal",
                    s.pk,
                    _model_fields(
                        s, ("kind", "text", "raised_at", "resolution", "resolved_at"), redact
                    ),
                )
                for s in pga["signals"]
            ],
        ),
        _section("meldcode", meldcode_items(case, redact)),
        _section("vi_signals", vi_items(case)),
        _section(
            "closing",
            [
                _item(
                    "closing",
                    c.pk,
                    _model_fields(
                        c, ("provisional", "decided_with", "handover_note", "closed_at"), redact
                    ),
                )
                for c in pga["closings"]
            ]
            + [
                _item(
                    "closing_conversation", c.pk, _model_fields(c, ("on_date", "feedback"), redact)
                )
                for c in pga["closing_conversations"]
            ]
            + [
                _item("aftercare", a.pk, _model_fields(a, AFTERCARE_FIELDS, redact))
                for a in pga["aftercare"]
            ]
            + [
                _item("evaluation", e.pk, _model_fields(e, EVALUATION_FIELDS, redact))
                for e in pga["evaluations"]
            ],
        ),
    ]
    return {
        "code": case.code,
        "house": str(case.house),
        "status": case.get_status_display(),
        "escalation_level": case.escalation_level,
        # Issue 15 (slice templates): the concerns recorded on the case, note redacted.
        "safety_concerns": case.safety_concerns,
        "safety_concerns_note": redact(case.safety_concerns_note),
        "opened_at": timezone.localtime(case.created_at),
        "retention": retention_for_case(case, final[-1].closed_at if final else None),
        "sources": sources,
        "sections": [s for s in sections if s["items"]],
    }


INFORMING_FIELDS = ("kind", "on_date", "by_whom", "method", "postponed_reason", "note")
REFERRAL_FIELDS = (
    "reason",
    "urgency",
    "meeting_goal",
    "suggested_partners",
    "other_meetings",
    "informed",
    "informed_how",
    "referred_to",
    "proposed_level_reasoning",
)


def _referral_sections(
    referral: Any, redact: Redactor, sources: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    items = [
        _item(
            "referral",
            referral.pk,
            [
                _field("referred_by", "Aangemeld door", _user(referral.referrer)),
                _field("organisation", "Organisatie", str(referral.referrer.organisation or "")),
                _field("submitted_at", "Ingediend op", referral.submitted_at),
                *_model_fields(referral, REFERRAL_FIELDS, redact),
            ],
        ),
        *[
            _item(
                "problem",
                p.pk,
                [
                    _field("domain", "Leefgebied", str(p.domain)),
                    _field("description", "Probleem", redact(p.description), text=True),
                ],
            )
            for p in referral.problems.all()
        ],
        *[
            _item("criterion", c.pk, _model_fields(c, ("explanation",), redact))
            for c in referral.criteria.all()
        ],
        *[
            _item(
                "addition",
                a.pk,
                [
                    _field("added_at", "Toegevoegd op", a.added_at),
                    _field("text", "Aanvulling", redact(a.text), text=True),
                ],
            )
            for a in sorted(referral.additions.all(), key=lambda a: a.pk)
        ],
    ]
    answers = sorted(referral.enrichment.all(), key=lambda e: e.pk)
    for e in answers:
        if e.answered_at:
            sources.append(
                {
                    "kind": "enrichment_answer",
                    "label": "Antwoord bekendheidscheck",
                    "organisation": str(e.organisation),
                    "by": _user(e.answered_by),
                    "on": timezone.localtime(e.answered_at),
                }
            )
    return [
        _section("referral", items),
        _section(
            "enrichment",
            [
                _item(
                    "enrichment",
                    e.pk,
                    [
                        _field("organisation", "Organisatie", str(e.organisation)),
                        *_model_fields(
                            e,
                            (
                                "answer",
                                "summary",
                                "legal_basis",
                                "special_category",
                                "secrecy_ground",
                                "answered_at",
                            ),
                            redact,
                        ),
                    ],
                )
                for e in answers
            ],
        ),
        _section(
            "attachments",
            [
                _item(
                    "attachment",
                    a.pk,
                    [
                        _field("name", "Bestandsnaam", redact(a.original_name)),
                        _field("uploaded_by", "Toegevoegd door", _user(a.uploaded_by)),
                        _field("uploaded_at", "Toegevoegd op", a.uploaded_at),
                    ],
                )
                for a in sorted(referral.attachments.all(), key=lambda a: a.pk)
            ],
        ),
    ]


def _plan_sections(plans: dict[str, Any], redact: Redactor) -> list[dict[str, Any]]:
    plan, safety = plans["plan"], plans["safety_plan"]
    plan_items = []
    if plan is not None:
        plan_items = [
            _item(
                "plan",
                plan.pk,
                _model_fields(
                    plan,
                    (
                        "reason",
                        "joint_goal",
                        "earlier_help",
                        "analysis",
                        "desired_result",
                        "summary",
                        "client_signed_by",
                        "professional_signed_by",
                    ),
                    redact,
                ),
            ),
            *[
                _item(
                    "domain_score",
                    s.pk,
                    [
                        _field("domain", "Leefgebied", str(s.domain)),
                        _field("problem", "Problematiek", redact(s.problem), text=True),
                    ],
                )
                for s in plan.domain_scores.all()
            ],
            *[
                _item(
                    "statement",
                    s.pk,
                    [
                        *_model_fields(s, ("kind", "text"), redact),
                        # Who said it: a partner or a housemate, blacked out if another person.
                        _field("said_by", "Gezegd door", redact(s.said_by)),
                    ],
                )
                for s in plan.statements.all()
            ],
            *[
                _item(
                    "goal",
                    g.pk,
                    _model_fields(
                        g,
                        ("text", "good_enough", "needed", "own_part", "network_part"),
                        redact,
                    ),
                )
                for g in plan.goals.all()
            ],
        ]
    safety_items = []
    if safety is not None:
        safety_items = [
            _item(
                "safety_plan",
                safety.pk,
                _model_fields(
                    safety,
                    (
                        "strengths",
                        "concerns",
                        "worst_case",
                        "complicating_factors",
                        "earlier_contacts",
                        "conditions",
                        "first_incident",
                        "worst_incident",
                        "last_incident",
                        "frequency",
                        "harm",
                        "client_signed_by",
                        "professional_signed_by",
                    ),
                    redact,
                ),
            ),
            *[
                _item(
                    "safety_agreement",
                    a.pk,
                    _model_fields(a, ("what", "who", "when", "needed", "if_not_kept"), redact),
                )
                for a in safety.agreements.all()
            ],
            # Slice planvi: the contact rows (seed 002 7.2).
            *[
                _item(
                    "safety_contact",
                    c.pk,
                    _model_fields(c, ("name", "role", "phone", "email", "when_to_call"), redact),
                )
                for c in safety.contacts.all()
            ],
        ]
    return [
        _section("plan", plan_items),
        _section("safety_plan", safety_items),
        _section(
            "meetings",
            [
                _item(
                    "meeting",
                    m.pk,
                    _model_fields(
                        m,
                        (
                            "kind",
                            "starts_at",
                            "location",
                            "minutes",
                            "decisions",
                            "minutes_sent_at",
                        ),
                        redact,
                    ),
                )
                for m in plans["meetings"]
            ],
        ),
        _section(
            "monitoring",
            [
                _item(
                    "monitoring",
                    i.pk,
                    [
                        _field("meeting_at", "Overleg", i.meeting.starts_at),
                        *_model_fields(i, ("note",), redact),
                    ],
                )
                for i in plans["monitoring"]
            ],
        ),
        _section(
            "actions",
            [
                _item(
                    "action",
                    a.pk,
                    [
                        _field(
                            "owner",
                            "Uitvoerder",
                            _user(a.owner_user) or str(a.owner_organisation or ""),
                        ),
                        *_model_fields(a, ("what", "due_date", "state", "state_reason"), redact),
                        *[
                            _field(f"report_{n}", "Voortgang", redact(r.text), text=True)
                            for n, r in enumerate(
                                sorted(a.reports.all(), key=lambda r: r.pk), start=1
                            )
                        ],
                    ],
                )
                for a in plans["actions"]
            ],
        ),
    ]
