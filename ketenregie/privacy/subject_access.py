"""The subject access export (AVG art. 15; NEN 7513): everything recorded about one
person, and every view and receipt of it, for the privacy officer to hand over.

Built only from indexed keys, never a scan of the audit trail: the person's cases are
read by `Case.person`, their contents by case id, and the trail by `case_id` (indexed)
and `(object_type, object_id)` (index `audit_object`, audit migration 0003), so the
export costs the same with a million events as with a thousand.

Other people's data is left out: household members appear only with their relation to
the person, and their names are blacked out of every free text with the visible marker
`OMITTED`. Events filed under another person's record on the person's case keep their
who/when (the case was seen) but not what.

This module reads and renders; it writes nothing. The view and the management command
record the export in the audit trail (`record_export`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ketenregie.audit import services as audit
from ketenregie.audit import vocabulary
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import (
    Case,
    CaseMembership,
    ExchangeKind,
    HouseholdMember,
    Person,
    PersonVersion,
)
from ketenregie.cases.queries import persons_named
from ketenregie.cases.services import PERSON_FIELDS
from ketenregie.cases.sharing import record_exchange
from ketenregie.core.bsn import normalise_bsn
from ketenregie.intake.models import Referral
from ketenregie.pga.models import (
    Closing,
    ClosingConversation,
    Informing,
    Signal,
    StartConversation,
)
from ketenregie.plans.models import (
    Action,
    Meeting,
    MonitoringItem,
    Plan,
    SafetyPlan,
)

OMITTED = "weggelaten: gegevens van een ander"
PURPOSE = "inzageverzoek betrokkene (AVG art. 15)"
PERSON_TYPE = Person._meta.label_lower
# Name parts shorter than this are not blacked out on their own ("Jo" is in many words).
MIN_NAME_PART = 3


def find_persons(
    *, bsn: str = "", name: str = "", birth_date: dt.date | None = None
) -> list[Person]:
    """The persons a subject access request names: by BSN, or by name and date of birth
    (compared on the Dutch-aware name keys of `core.names`, as the duplicate check and
    the case search do). A name without a date of birth finds nobody: too many match."""
    digits = normalise_bsn(bsn)
    if digits:
        return list(Person.objects.filter(bsn=digits))
    if name.strip() and birth_date is not None:
        return list(persons_named(name.strip()).filter(geboortedatum=birth_date).order_by("pk"))
    return []


class Redactor:
    """Blacks out other people's names in free text (whole words, case-insensitive),
    except words that are also part of the person's own name."""

    def __init__(self, person: Person, others: Iterable[Person]) -> None:
        own = {w.lower() for w in person.full_name.split()}
        words: set[str] = set()
        for other in others:
            words.add(other.full_name)
            for part in (*other.voornamen.split(), *other.achternaam.split()):
                if len(part) >= MIN_NAME_PART and part.lower() not in own:
                    words.add(part)
        ordered = sorted(words, key=len, reverse=True)  # longest first: the full name
        self.pattern = (
            re.compile(r"\b(" + "|".join(re.escape(w) for w in ordered) + r")\b", re.IGNORECASE)
            if ordered
            else None
        )

    def __call__(self, text: str) -> str:
        if not text or self.pattern is None:
            return text
        return self.pattern.sub(f"[{OMITTED}]", text)


def _value(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    if getattr(field, "choices", None):
        return str(getattr(obj, f"get_{name}_display")())
    value = getattr(obj, name)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def _fields(obj: models.Model, names: Iterable[str], redact: Redactor) -> dict[str, Any]:
    """The named fields of a row under their Dutch labels, free text redacted."""
    out: dict[str, Any] = {}
    for name in names:
        field = obj._meta.get_field(name)
        assert isinstance(field, models.Field)  # a column, never a reverse relation
        label = str(field.verbose_name)
        value = _value(obj, name)
        out[label] = redact(value) if isinstance(value, str) else value
    return out


def _user(user: Any) -> str:
    return user.get_full_name() or user.username if user is not None else ""


def build_export(person: Person) -> dict[str, Any]:
    """Everything recorded about `person`, as JSON-ready data (Dutch section names)."""
    cases = list(
        Case.objects.filter(person=person).select_related("house").order_by("created_at", "pk")
    )
    household_ids = {c.household_id for c in cases if c.household_id} | set(
        HouseholdMember.objects.filter(person=person).values_list("household_id", flat=True)
    )
    members = list(
        HouseholdMember.objects.filter(household_id__in=household_ids).select_related("person")
    )
    others = {m.person_id: m.person for m in members if m.person_id != person.pk}
    redact = Redactor(person, others.values())
    return {
        "betrokkene": {
            "gegevens": _fields(person, PERSON_FIELDS, redact),
            "geschiedenis": [
                {
                    "versie": v.version,
                    "gewijzigd_op": _value(v, "changed_at"),
                    "gewijzigd_door": _user(v.changed_by),
                    "waarden": v.values,
                }
                for v in PersonVersion.objects.filter(person=person)
                .select_related("changed_by")
                .order_by("version")
            ],
        },
        "huishoudens": [
            {
                "huishouden": hid,
                "leden": [
                    {
                        "relatie": m.get_relation_display(),
                        "naam": person.full_name if m.person_id == person.pk else OMITTED,
                    }
                    for m in members
                    if m.household_id == hid
                ],
            }
            for hid in sorted(household_ids)
        ],
        "casussen": [_case(case, redact) for case in cases],
        "audittrail": _trail(person, {c.pk: c.code for c in cases}, set(others)),
        "opgesteld_op": timezone.localtime().isoformat(timespec="minutes"),
        "toelichting_weglating": OMITTED,
    }


def _case(case: Case, redact: Redactor) -> dict[str, Any]:
    out: dict[str, Any] = {
        "casusnummer": case.code,
        "huis": str(case.house),
        **_fields(case, ("status", "escalation_level", "created_at"), redact),
        "statusverloop": [
            {
                "van": s.get_from_status_display(),
                "naar": s.get_to_status_display(),
                "reden": redact(s.reason),
                "op": _value(s, "changed_at"),
            }
            for s in case.status_changes.order_by("pk")
        ],
    }
    referral = Referral.objects.filter(case=case).select_related("referrer").first()
    if referral is not None:
        out["aanmelding"] = {
            "aangemeld_door": _user(referral.referrer),
            **_fields(
                referral,
                (
                    "reason",
                    "urgency",
                    "meeting_goal",
                    "suggested_partners",
                    "other_meetings",
                    "informed",
                    "informed_how",
                    "referred_to",
                    "proposed_level_reasoning",
                ),
                redact,
            ),
            "problemen": [
                {"leefgebied": str(p.domain), "probleem": redact(p.description)}
                for p in referral.problems.select_related("domain")
            ],
            "criteria": [redact(c.explanation) for c in referral.criteria.all()],
            "aanvullingen": [redact(a.text) for a in referral.additions.order_by("pk")],
            "bekendheidscheck": [
                {
                    "organisatie": str(e.organisation),
                    **_fields(
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
                }
                for e in referral.enrichment.select_related("organisation").order_by("pk")
            ],
        }
    out["informeren"] = [
        _fields(i, ("postponed_reason", "note"), redact)
        for i in Informing.objects.filter(case=case).order_by("pk")
    ]
    out["startgesprekken"] = [
        _fields(s, ("own_view",), redact)
        for s in StartConversation.objects.filter(case=case).order_by("pk")
    ]
    plan = Plan.objects.filter(case=case).first()
    if plan is not None:
        out["plan_van_aanpak"] = {
            **_fields(plan, ("joint_goal", "earlier_help", "analysis", "desired_result"), redact),
            "leefgebieden": [
                {"leefgebied": str(s.domain), "problematiek": redact(s.problem)}
                for s in plan.domain_scores.select_related("domain")
            ],
            "uitspraken": [
                {
                    **_fields(s, ("kind", "text"), redact),
                    # Who said it is another person unless it is the person themself.
                    "gezegd door": redact(s.said_by),
                }
                for s in plan.statements.order_by("pk")
            ],
            "doelen": [
                _fields(g, ("text", "good_enough"), redact) for g in plan.goals.order_by("pk")
            ],
        }
    safety = SafetyPlan.objects.filter(case=case).first()
    if safety is not None:
        out["veiligheidsplan"] = {
            **_fields(
                safety,
                (
                    "strengths",
                    "concerns",
                    "worst_case",
                    "complicating_factors",
                    "contacts",
                    "signed_by",
                ),
                redact,
            ),
            "afspraken": [
                _fields(a, ("what", "if_not_kept"), redact)
                for a in safety.agreements.order_by("pk")
            ],
        }
    out["overleggen"] = [
        _fields(
            m,
            ("kind", "state", "starts_at", "location", "minutes", "decisions", "minutes_sent_at"),
            redact,
        )
        for m in Meeting.objects.filter(case=case).order_by("starts_at", "pk")
    ]
    out["monitoring"] = [
        {"overleg": _value(i.meeting, "starts_at"), **_fields(i, ("note",), redact)}
        for i in MonitoringItem.objects.filter(case=case).select_related("meeting")
    ]
    out["acties"] = [
        {
            "eigenaar": _user(a.owner_user) or str(a.owner_organisation or ""),
            **_fields(a, ("what", "due_date", "state", "state_reason"), redact),
            "voortgang": [redact(r.text) for r in a.reports.order_by("pk")],
        }
        for a in Action.objects.filter(case=case)
        .select_related("owner_user", "owner_organisation")
        .order_by("pk")
    ]
    out["signalen"] = [
        _fields(s, ("kind", "text", "raised_at", "resolution", "resolved_at"), redact)
        for s in Signal.objects.filter(case=case).order_by("pk")
    ]
    out["afsluiting"] = [
        _fields(c, ("provisional", "decided_with", "handover_note", "closed_at"), redact)
        for c in Closing.objects.filter(case=case).order_by("pk")
    ] + [
        _fields(c, ("on_date", "feedback"), redact)
        for c in ClosingConversation.objects.filter(case=case).order_by("pk")
    ]
    return out


def _trail(person: Person, codes: dict[int, str], others: set[int]) -> list[dict[str, Any]]:
    """Every event on the person's cases or filed under their record, oldest first, with
    who, organisation, role in the case and when. Two indexed lookups, merged here."""
    case_ids = list(codes)
    by_case = AuditEvent.objects.filter(case_id__in=case_ids) if case_ids else None
    by_record = AuditEvent.objects.filter(object_type=PERSON_TYPE, object_id=str(person.pk))
    events: dict[int, AuditEvent] = {}
    for qs in (by_case, by_record):
        if qs is not None:
            for ev in qs.select_related("actor", "actor_organisation"):
                events[ev.pk] = ev
    roles = _roles(case_ids)
    other_ids = {str(pk) for pk in others}
    rows = []
    for ev in sorted(events.values(), key=lambda e: e.pk):
        about_other = ev.object_type == PERSON_TYPE and ev.object_id in other_ids
        rows.append(
            {
                "wanneer": _value(ev, "occurred_at"),
                "wie": ev.actor_label or _user(ev.actor),
                "organisatie": str(ev.actor_organisation or ""),
                "rol_in_casus": _role_at(roles, ev) if ev.case_id else "",
                "casus": codes.get(ev.case_id or 0, ""),
                "soort": "inzage" if ev.is_read else "handeling",
                "handeling": OMITTED if about_other else str(vocabulary.label(ev.action)),
                "doel": ev.purpose,
            }
        )
    return rows


def _roles(case_ids: list[int]) -> dict[int, list[CaseMembership]]:
    by_case: dict[int, list[CaseMembership]] = defaultdict(list)
    for m in CaseMembership.objects.filter(case_id__in=case_ids):
        by_case[m.case_id].append(m)
    return by_case


def _role_at(roles: dict[int, list[CaseMembership]], ev: AuditEvent) -> str:
    """The actor's role in the case on the day of the event: a membership naming them,
    else one naming their organisation only."""
    day = timezone.localtime(ev.occurred_at).date()
    found = [
        m
        for m in roles.get(ev.case_id or 0, [])
        if m.valid_from <= day
        and (m.valid_to is None or day <= m.valid_to)
        and (
            m.user_id == ev.actor_id
            or (m.user_id is None and m.organisation_id == ev.actor_organisation_id)
        )
    ]
    return ", ".join(sorted({m.get_role_display() for m in found}))


def case_codes_of(export: dict[str, Any]) -> list[str]:
    return [c["casusnummer"] for c in export["casussen"]]


# The PDF's sections for the person: title and a plain-Dutch explanation of each.
CASE_SECTIONS = (
    ("aanmelding", "Aanmelding", "Waarom en door wie u bent aangemeld bij het huis."),
    ("informeren", "Informeren", "Hoe en wanneer u bent geïnformeerd over de aanmelding."),
    ("startgesprekken", "Startgesprek", "Wat u zelf in het startgesprek hebt verteld."),
    ("plan_van_aanpak", "Plan van aanpak", "Het plan dat de partners met u hebben gemaakt."),
    ("veiligheidsplan", "Veiligheidsplan", "Afspraken over veiligheid."),
    ("overleggen", "Casusoverleggen", "De overleggen over uw situatie en wat daar is besproken."),
    ("monitoring", "Monitoring", "De stand van zaken in het monitoringsoverleg."),
    ("acties", "Acties", "Wat partners hebben afgesproken te doen, en hoe dat ging."),
    ("signalen", "Signalen", "Signalen die tijdens de uitvoering zijn gemeld."),
    ("afsluiting", "Afsluiting", "Hoe de casus is afgesloten."),
    ("statusverloop", "Verloop", "De fasen die de casus heeft doorlopen."),
)


def _flat(value: Any) -> str:
    """A value as one line of text for the PDF."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    if isinstance(value, list):
        return " | ".join(_flat(v) for v in value)
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


def _blocks(section: Any) -> list[list[tuple[str, str]]]:
    """A section as blocks of (label, text) rows."""
    items = section if isinstance(section, list) else [section]
    return [
        [(str(k), _flat(v)) for k, v in item.items()]
        if isinstance(item, dict)
        else [("", _flat(item))]
        for item in items
    ]


def export_pdf(export: dict[str, Any]) -> bytes:
    import weasyprint

    cases = [
        {
            "code": case["casusnummer"],
            "summary": [(k, _flat(v)) for k, v in case.items() if not isinstance(v, dict | list)],
            "sections": [
                (title, explanation, _blocks(case[key]))
                for key, title, explanation in CASE_SECTIONS
                if case.get(key)
            ],
        }
        for case in export["casussen"]
    ]
    html = render_to_string(
        "privacy/subject_access_pdf.html",
        {
            "export": export,
            "person": _blocks(export["betrokkene"]["gegevens"])[0],
            "history": export["betrokkene"]["geschiedenis"],
            "households": export["huishoudens"],
            "cases": cases,
            "trail": export["audittrail"],
            "omitted": OMITTED,
        },
    )
    return bytes(weasyprint.HTML(string=html).write_pdf())


def record_export(actor: Any, person: Person, export: dict[str, Any], fmt: str) -> None:
    """The export is itself a disclosure: recorded in the trail under the person."""
    with transaction.atomic():
        audit.record(
            "privacy.subject_access_exported",
            actor=actor,
            obj=person,
            purpose=PURPOSE,
            data={"formaat": fmt, "casussen": case_codes_of(export)},
        )
        # The export hands each case's data to the person: a register row per case (the
        # register is kept per case and house), on the basis the law fixes (art. 15).
        exported = Case.objects.filter(person=person, code__in=case_codes_of(export))
        for case in exported.select_related("house").order_by("pk"):
            record_exchange(
                ExchangeKind.SUBJECT_ACCESS,
                actor=actor,
                case=case,
                to_label=f"betrokkene (inzageverzoek, {fmt})",
                from_house=True,
            )
