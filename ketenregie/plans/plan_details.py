"""The support plan's "overige gegevens" (seed 002 7.1: consent, "er is een signaal in de
Verwijsindex Risicojongeren afgegeven", residence and identity checked) that apps above
plans answer: safeguarding says per member of the client system whether a Verwijsindex
signal is active. A registry (`plans.panels`), so plans imports nothing above it.

A provider gets the viewer and the `PlanHead` (the case as the gate let the viewer see
it, and the client system's current members already read for the page) and returns one
`PlanDetail`, or None when it has nothing to say about this case. It reads in a fixed
number of queries, whatever the number of members (the members are passed in)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ketenregie.plans.panels import PanelRegistry

if TYPE_CHECKING:
    from ketenregie.accounts.models import User
    from ketenregie.cases.household_queries import MemberRow
    from ketenregie.cases.models import Case


@dataclass(frozen=True)
class PlanHead:
    """The plan's head as one viewer sees it. `full` False: an adviser's pseudonymised
    view (a provider then names no one: role in the family and age band only).
    `household`: the current members (`cases.queries.household_of`), the person first;
    empty when the case has no household (the client system is then the person)."""

    case: Case
    full: bool
    household: list[MemberRow] = field(default_factory=list)


@dataclass(frozen=True)
class DetailLine:
    """One member's answer: who (a name, or role and age band) and what."""

    who: str
    answer: str
    details: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PlanDetail:
    """One item of "overige gegevens": the template's question, the answers, and where
    the registering app keeps the details (`url`, `url_text`; empty: no link)."""

    key: str
    label: str
    lines: list[DetailLine]
    url: str = ""
    url_text: str = ""


type PlanDetailProvider = Callable[["User", PlanHead], PlanDetail | None]

_DETAILS: PanelRegistry[PlanHead, PlanDetail] = PanelRegistry()


def register_plan_detail(provider: PlanDetailProvider) -> None:
    """Add a provider (from the registering app's `AppConfig.ready`); once per function."""
    _DETAILS.register(provider)


def plan_details_for(user: User, head: PlanHead) -> list[PlanDetail]:
    """The registered items of "overige gegevens" for this plan and viewer."""
    return _DETAILS.collect(user, head)
