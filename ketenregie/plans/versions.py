"""What changed between two adopted plan versions, and the life-domain chart data.

Pure functions over PlanVersion.content (see services.plan_content): no database access.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ketenregie.cases.timeline import choice_labels
from ketenregie.core.values import show_value
from ketenregie.plans.models import GOAL_CHECK_CHOICES, Action, Goal, SignedHow, Statement

SIGNATURE_LABELS = {
    "client_signed_by": "Ondertekend door klant(en)",
    "client_signed_on": "Datum ondertekening klant",
    "client_signed_how": "Wijze van ondertekenen klant",
    "professional_signed_by": "Ondertekend door professional(s)",
    "professional_signed_on": "Datum ondertekening professional",
    "professional_signed_how": "Wijze van ondertekenen professional",
}
TEXT_LABELS = {
    "reason": "Aanleiding",
    "joint_goal": "Gezamenlijk doel",
    "earlier_help": "Eerdere hulp en resultaat",
    "analysis": "Integrale analyse",
    "desired_result": "Gewenst resultaat",
    "safety_concerns": "Zorgen over basiszorg of veiligheid",
    "summary": "Samenvatting",
    "residence_checked": "Woonplaatsbeginsel gecontroleerd",
    "residence_checked_by": "Woonplaatsbeginsel gecontroleerd door",
    "identity_checked": "Legitimatie gecontroleerd",
    "identity_checked_by": "Legitimatie gecontroleerd door",
    **SIGNATURE_LABELS,
}
SAFETY_LABELS = {
    "check_goal_in_plan": "Doelencheck: doel veiligheidsafspraken in het ondersteuningsplan",
    "check_end_unsafety": "Doelencheck: opheffen van de onveiligheid",
    "check_treat_causes": "Doelencheck: behandelen van de oorzaken",
    "check_recovery": "Doelencheck: herstel van schade",
    "conditions": "Veiligheidsvoorwaarden",
    "strengths": "Krachten rond veiligheid",
    "concerns": "Zorgen over onveiligheid",
    "first_incident_on": "Datum eerste incident",
    "first_incident": "Eerste incident",
    "worst_incident_on": "Datum ergste incident",
    "worst_incident": "Ergste incident",
    "last_incident_on": "Datum laatste incident",
    "last_incident": "Laatste incident",
    "frequency": "Frequentie",
    "harm": "Opgelopen schade",
    "worst_case": "Het ergste dat kan gebeuren",
    "complicating_factors": "Complicerende factoren",
    # The free text from before the rows (ADR 32); the rows compare as a list below.
    "contacts": "Contactpersonen (vrije tekst)",
    # Versions from before issue 15 kept one signature under these names.
    "signed_by": "Ondertekend door",
    "signed_on": "Ondertekend op",
    **SIGNATURE_LABELS,
    "evaluation_date": "Evaluatiedatum",
}
# List sections: (content key, label, key field that identifies an item, item fields).
LISTS = (
    ("uitspraken", "Krachten en zorgen", "tekst", ("soort", "door")),
    (
        "doelen",
        "Doelen",
        "doel",
        ("voor", "goed_genoeg", "doelcheck", "needed", "own_part", "network_part", "bereikt"),
    ),
    ("acties", "Acties", "wat", ("eigenaar", "uiterlijk", "stand")),
)


@dataclass
class Change:
    section: str
    kind: str  # "gewijzigd", "toegevoegd", "vervallen"
    before: str = ""
    after: str = ""


# Choice codes inside plan versions (statement kinds, goal and action states), labelled
# from the models' own choices, as the timeline labels them (cases.timeline).
VALUE_LABELS = {
    **choice_labels(SignedHow.choices),
    **{code: str(label) for code, label in GOAL_CHECK_CHOICES},
    **choice_labels(Statement.Kind.choices),
    **choice_labels(Goal.Reached.choices),
    **choice_labels(Action.State.choices),
}


def _show(value: Any) -> str:
    if isinstance(value, list):
        # The goal check: the points ticked.
        return ", ".join(show_value(v, VALUE_LABELS) for v in value)
    return show_value(value, VALUE_LABELS)


def _items(
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    key: str,
    fields: tuple[str, ...],
    label: str,
) -> list[Change]:
    """Items are matched on their key text. Several items may share it (two actions
    'Huisbezoek'): unchanged ones pair up first, the rest pair in order."""
    changes: list[Change] = []
    before: dict[str, list[dict[str, Any]]] = {}
    after: dict[str, list[dict[str, Any]]] = {}
    for item in old:
        before.setdefault(item[key], []).append(item)
    for item in new:
        after.setdefault(item[key], []).append(item)
    for name, items in after.items():
        was = list(before.get(name, []))
        rest = []
        for item in items:
            if item in was:
                was.remove(item)
            else:
                rest.append(item)
        for i, item in enumerate(rest):
            if i >= len(was):
                changes.append(Change(label, "toegevoegd", after=name))
                continue
            for f in fields:
                if was[i].get(f) != item.get(f):
                    changes.append(
                        Change(
                            f"{label}: {name}",
                            "gewijzigd",
                            _show(was[i].get(f)),
                            _show(item.get(f)),
                        )
                    )
        changes.extend(Change(label, "vervallen", before=name) for _ in was[len(rest) :])
    for name, items in before.items():
        if name not in after:
            changes.extend(Change(label, "vervallen", before=name) for _ in items)
    return changes


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    """The changes from `old` to `new`; with no old version everything is new."""
    old = old or {}
    changes: list[Change] = []
    for name, label in TEXT_LABELS.items():
        if old.get(name) != new.get(name) and (old or new.get(name)):
            changes.append(Change(label, "gewijzigd", _show(old.get(name)), _show(new.get(name))))
    old_domains, new_domains = old.get("domeinen", {}), new.get("domeinen", {})
    for domain, now in new_domains.items():
        was = old_domains.get(domain, {})
        if was.get("score") != now.get("score"):
            changes.append(
                Change(
                    f"Score {domain}",
                    "gewijzigd",
                    _show(was.get("score")),
                    _show(now.get("score")),
                )
            )
        if was.get("problematiek", "") != now.get("problematiek", ""):
            changes.append(
                Change(
                    f"Problematiek {domain}",
                    "gewijzigd",
                    was.get("problematiek", ""),
                    now.get("problematiek", ""),
                )
            )
    for key, label, ident, fields in LISTS:
        changes.extend(_items(old.get(key, []), new.get(key, []), ident, fields, label))
    old_safety, new_safety = old.get("veiligheidsplan") or {}, new.get("veiligheidsplan") or {}
    for name, label in SAFETY_LABELS.items():
        if old_safety.get(name) != new_safety.get(name) and (
            old_safety.get(name) or new_safety.get(name)
        ):
            changes.append(
                Change(
                    f"Veiligheidsplan: {label}",
                    "gewijzigd",
                    _show(old_safety.get(name)),
                    _show(new_safety.get(name)),
                )
            )
    changes.extend(
        _items(
            old_safety.get("afspraken", []),
            new_safety.get("afspraken", []),
            "wat",
            ("wie", "wanneer", "nodig", "wie_controleert", "als_niet"),
            "Veiligheidsafspraken",
        )
    )
    changes.extend(
        _items(
            old_safety.get("contactpersonen", []),
            new_safety.get("contactpersonen", []),
            "naam",
            ("rol", "telefoon", "email", "wanneer"),
            "Veiligheidsplan: contactpersonen",
        )
    )
    return changes


@dataclass
class DomainSeries:
    domain: str
    points: list[tuple[str, int | None]]  # (label, score)

    @property
    def latest(self) -> int | None:
        return next((s for _l, s in reversed(self.points) if s is not None), None)

    @property
    def first(self) -> int | None:
        return next((s for _l, s in self.points if s is not None), None)

    def svg_points(self, width: int = 160, height: int = 40) -> list[tuple[float, float, int]]:
        """Coordinates for an inline SVG line: x over the versions, y for scores 1 (low) to 5."""
        n = len(self.points)
        out = []
        for i, (_label, score) in enumerate(self.points):
            if score is None:
                continue
            x = 6 + (width - 12) * (i / (n - 1) if n > 1 else 0.5)
            y = 4 + (height - 8) * (5 - score) / 4
            out.append((round(x, 1), round(y, 1), score))
        return out

    @property
    def polyline(self) -> str:
        return " ".join(f"{x},{y}" for x, y, _s in self.svg_points())


def domain_series(
    versions: list[tuple[str, dict[str, Any]]], current: tuple[str, dict[str, Any]] | None
) -> list[DomainSeries]:
    """Per life domain the score in every adopted version (and the working plan)."""
    snapshots = versions + ([current] if current else [])
    names: list[str] = []
    for _label, content in snapshots:
        for name in content.get("domeinen", {}):
            if name not in names:
                names.append(name)
    series = []
    for name in names:
        points = [
            (label, (content.get("domeinen", {}).get(name) or {}).get("score"))
            for label, content in snapshots
        ]
        if any(score is not None for _l, score in points):
            series.append(DomainSeries(name, points))
    return series
