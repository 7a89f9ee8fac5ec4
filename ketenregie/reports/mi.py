"""The management-information topics: raw aggregates (`mi_queries`) turned into charts
and tables that pass the small-number rule (`smallnumbers`).

One `Topic` per page; its `build` returns a `Section` whose charts carry their own table,
so the page, the CSV and the PDF show the same protected figures. Names appear in one
place only: the caseload per director, for the manager of the house (`named=True`).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.accounts.models import House, User
from ketenregie.cases.models import CaseRole, EscalationLevel, LifeDomain
from ketenregie.cases.workflow import Phase
from ketenregie.core.templatetags.dates import month
from ketenregie.intake.models import Referral
from ketenregie.plans.models import Goal
from ketenregie.reports import mi_queries as q
from ketenregie.reports.charts import (
    Cell,
    Chart,
    Spread,
    Table,
    bar_chart,
    box_plot,
    heat_map,
    line_chart,
    stacked_bar,
)
from ketenregie.reports.smallnumbers import enough, protect, protect_one, share, threshold


@dataclass(frozen=True)
class Section:
    charts: Sequence[Chart]
    notes: Sequence[str] = field(default_factory=tuple)
    # Tables without a chart (e.g. the named caseload for the house's manager).
    tables: Sequence[Table] = field(default_factory=tuple)


@dataclass(frozen=True)
class Topic:
    slug: str
    title: object
    build: Callable[[q.Scope, bool], Section]


def _months(scope: q.Scope) -> list[str]:
    return [month(m) for m in scope.months]


def _cells(counts: Sequence[int]) -> tuple[list[Cell], Cell]:
    shown, total = protect(counts)
    return [s.cell for s in shown], total.cell


def referrals(scope: q.Scope, named: bool) -> Section:
    data = q.referrals(scope)
    labels = [
        _("PGA gestart"),
        _("Geen PGA (advies gegeven)"),
        _("Doorverwezen"),
        _("Nog in screening of triage"),
        *(
            _("Niet geagendeerd: %(c)s") % {"c": str(label).lower()}
            for label in Referral.RejectCategory.labels
        ),
    ]
    counts = [
        data["outcome"][q.Outcome.STARTED],
        data["outcome"][q.Outcome.NO_PGA],
        data["outcome"][q.Outcome.REFERRED],
        data["outcome"][q.Outcome.PENDING],
        *(data["rejected"][c] for c in Referral.RejectCategory.values),
    ]
    cells, total = _cells(counts)
    outcome = bar_chart(
        _("Aanmeldingen en hun uitkomst"),
        _("Aantal aanmeldingen in de periode per uitkomst; totaal %(t)s.") % {"t": total.text},
        [*labels, _("Totaal")],
        [*cells, total],
    )
    per_month = [protect_one(data["monthly"][m]).cell for m in scope.months]
    trend = line_chart(
        _("Aanmeldingen per maand"),
        _("Aantal binnengekomen aanmeldingen per maand, inclusief niet geagendeerde."),
        _months(scope),
        {_("Aanmeldingen"): per_month},
    )
    notes = [
        _(
            "Niet geagendeerde aanmeldingen worden niet bewaard; alleen hun aantal per "
            "categorie en week telt mee."
        )
    ]
    if scope.municipality:
        notes.append(
            _(
                "Per gemeente tellen zij niet mee: van een niet geagendeerde aanmelding is de "
                "woonplaats niet bewaard."
            )
        )
    return Section([outcome, trend], notes)


def phases(scope: q.Scope, named: bool) -> Section:
    now = q.phases_now(scope)
    levels = list(EscalationLevel)
    series: dict[str, list[Cell]] = {_("Niveau %(n)s") % {"n": lv.value}: [] for lv in levels}
    totals = []
    for phase in Phase:
        cells, total = _cells([now[(phase.value, level.value)] for level in levels])
        for name, cell in zip(series, cells, strict=True):
            series[name].append(cell)
        totals.append(total)
    stock = stacked_bar(
        _("Casussen nu per fase en escalatieniveau"),
        _("Aantal casussen per fase van de werkwijze, gestapeld naar escalatieniveau."),
        [str(p.label) for p in Phase],
        series,
        totals,
    )
    inflow = q.phase_inflow(scope)
    inflow_series: dict[str, list[Cell]] = {str(p.label): [] for p in Phase}
    month_totals = []
    for m in scope.months:
        cells, total = _cells([inflow[(m, p.value)] for p in Phase])
        for phase, cell in zip(Phase, cells, strict=True):
            inflow_series[str(phase.label)].append(cell)
        month_totals.append(total)
    trend = stacked_bar(
        _("Instroom per fase per maand"),
        _("Aantal casussen dat per maand een fase binnenkwam, gestapeld naar fase."),
        _months(scope),
        inflow_series,
        month_totals,
    )
    return Section([stock, trend])


STEP_LABELS = {
    ("referral", "triage"): gettext_lazy("Aanmelding → triagebesluit"),
    ("triage", "start"): gettext_lazy("Triagebesluit → start uitvoering"),
    ("start", "first_meeting"): gettext_lazy("Start uitvoering → eerste casusoverleg"),
    ("first_meeting", "plan"): gettext_lazy("Eerste casusoverleg → plan vastgesteld"),
    ("start", "closed"): gettext_lazy("Uitvoering (start → afsluiting)"),
    ("referral", "closed"): gettext_lazy("Totaal (aanmelding → afsluiting)"),
}


def _spread(label: str, days: list[float]) -> Spread:
    n_text = protect_one(len(days)).text
    if not enough(len(days)):
        return Spread(label, n_text)
    cuts = statistics.quantiles(days, n=20, method="inclusive")
    # quantiles(n=20): cut k is the (5k)th percentile.
    return Spread(
        label,
        n_text,
        round(cuts[1], 1),
        round(cuts[4], 1),
        round(statistics.median(days), 1),
        round(cuts[14], 1),
        round(cuts[17], 1),
    )


def durations(scope: q.Scope, named: bool) -> Section:
    found = q.durations(scope)
    rows = [_spread(str(STEP_LABELS[step]), found[step]) for step in q.STEPS]
    chart = box_plot(
        _("Doorlooptijden per stap"),
        _(
            "Per stap de mediaan (streep), het middelste half (kader) en 10 tot 90 procent "
            "(lijn) van het aantal dagen, voor stappen die in de periode eindigden."
        ),
        rows,
        _("dagen"),
    )
    return Section(
        [chart],
        [_("Een stap met minder dan %(n)s casussen toont geen spreiding.") % {"n": threshold()}],
    )


def minutes(scope: q.Scope, named: bool) -> Section:
    data = q.minutes_in_time(scope)
    in_time = sum(a for a, _b in data.values())
    due = sum(b for _a, b in data.values())
    overall = share(in_time, due)
    monthly = [share(*data.get(m, (0, 0))).cell for m in scope.months]
    trend = line_chart(
        _("Verslagen binnen een week verstuurd"),
        _(
            "Aandeel casusoverleggen per maand waarvan het verslag binnen een week uitging; "
            "over de hele periode %(s)s."
        )
        % {"s": overall.text},
        _months(scope),
        {_("Binnen een week"): monthly},
        unit="",
    )
    return Section(
        [trend],
        [
            _("Over de hele periode: %(s)s van %(n)s overleggen.")
            % {"s": overall.text, "n": protect_one(due).text},
            _("De opvolging per overleg staat in de lijst te late verslagen op Mijn overzicht."),
        ],
    )


def overdue(scope: q.Scope, named: bool) -> Section:
    per_org = q.overdue_now_per_organisation(scope)
    labels = [name for name, _late, _open in per_org]
    shares = [share(late, n) for _name, late, n in per_org]
    by_org = bar_chart(
        _("Acties over de datum per ketenpartner"),
        _("Aandeel van de openstaande acties dat over de datum is, per organisatie."),
        labels,
        [s.cell for s in shares],
    )
    by_org = Chart(
        by_org.title,
        by_org.svg,
        Table(
            by_org.title,
            ("", _("Over de datum"), _("Open"), _("Aandeel")),
            [
                (name, protect_one(late).text, protect_one(n).text, s.text)
                for (name, late, n), s in zip(per_org, shares, strict=True)
            ],
        ),
    )
    trend_data = q.overdue_trend(scope)
    trend = line_chart(
        _("Acties over de datum, per maandeinde"),
        _("Aandeel van de openstaande acties dat aan het eind van de maand over de datum was."),
        _months(scope),
        {_("Over de datum"): [share(*trend_data.get(m, (0, 0))).cell for m in scope.months]},
    )
    return Section(
        [by_org, trend],
        [_("Waar de keten vastloopt, niet wie: per organisatie, nooit per persoon.")],
    )


BUCKETS = ((1, 5), (6, 10), (11, 15), (16, 20), (21, 30), (31, None))


def caseload(scope: q.Scope, named: bool) -> Section:
    loads = q.caseload(scope)
    charts = []
    tables = []
    for role in (CaseRole.PROCESREGISSEUR, CaseRole.CASUSREGISSEUR):
        per_user = loads[role]
        labels = [f"{lo}–{hi}" if hi else f"{lo}+" for lo, hi in BUCKETS]
        counts = [
            sum(1 for n in per_user.values() if n >= lo and (hi is None or n <= hi))
            for lo, hi in BUCKETS
        ]
        cells, total = _cells(counts)
        chart = bar_chart(
            _("Caseload %(role)s") % {"role": str(role.label).lower()},
            _("Aantal %(role)ssen per aantal lopende casussen; totaal %(t)s.")
            % {"role": str(role.label).lower(), "t": total.text},
            [_("%(b)s casussen") % {"b": label} for label in labels],
            cells,
        )
        charts.append(chart)
        if named and per_user:
            names = {
                u.pk: u.get_full_name() or u.username
                for u in User.objects.filter(pk__in=list(per_user))
            }
            tables.append(
                Table(
                    _("Caseload per %(role)s (alleen voor de manager van het huis)")
                    % {"role": str(role.label).lower()},
                    (_("Naam"), _("Lopende casussen")),
                    sorted(
                        ((names[pk], str(n)) for pk, n in per_user.items()),
                        key=lambda r: (-int(r[1]), r[0]),
                    ),
                )
            )
    notes = [_("Lopende casussen: PGA gestart, in uitvoering of voorlopig afgesloten.")]
    return Section(charts, notes, tables)


def closing(scope: q.Scope, named: bool) -> Section:
    data = q.closing_outcomes(scope)
    labels = [
        _("Afgesloten met warme overdracht"),
        _("Opgeschaald naar Zorg- en Veiligheidshuis"),
        _("Heropend binnen een jaar na afsluiten"),
    ]
    cells = [protect_one(data[k]).cell for k in ("handover", "escalated", "reopened")]
    outcome = bar_chart(
        _("Uitkomst bij afsluiten"),
        _("Aantal casussen per uitkomst van de uitvoering in de periode."),
        labels,
        cells,
    )
    goal_cells, goal_total = _cells([data[f"goal_{k}"] for k in Goal.Reached.values])
    goals = bar_chart(
        _("Doelen van afgesloten casussen"),
        _("Aantal doelen in de plannen van de afgesloten casussen, per stand; totaal %(t)s.")
        % {"t": goal_total.text},
        [str(label) for label in Goal.Reached.labels],
        goal_cells,
    )
    return Section([outcome, goals])


def domains(scope: q.Scope, named: bool) -> Section:
    domains = list(LifeDomain.objects.values_list("name", "is_active"))
    change = q.domain_change(scope, [name for name, _active in domains])
    # A domain no longer in use still shows while plans in the period scored it.
    names = [name for name, active in domains if active or name in change]
    cols = ["beter", "gelijk", "slechter"]
    rows = []
    for name in names:
        counts = change.get(name)
        cells, _total = _cells([counts[c] if counts else 0 for c in cols])
        rows.append(cells)
    chart = heat_map(
        _("Verandering per leefgebied"),
        _(
            "Per leefgebied het aantal casussen waarvan de score tussen het eerste en het "
            "laatste vastgestelde plan beter werd, gelijk bleef of slechter werd."
        ),
        names,
        [_("Beter"), _("Gelijk"), _("Slechter")],
        rows,
    )
    return Section(
        [chart],
        [_("Alleen plannen met minstens twee vastgestelde versies, de laatste in de periode.")],
    )


TOPICS: tuple[Topic, ...] = (
    Topic("instroom", gettext_lazy("Aanmeldingen"), referrals),
    Topic("fasen", gettext_lazy("Fasen en escalatie"), phases),
    Topic("doorlooptijden", gettext_lazy("Doorlooptijden"), durations),
    Topic("verslagen", gettext_lazy("Verslagen"), minutes),
    Topic("acties", gettext_lazy("Acties over de datum"), overdue),
    Topic("caseload", gettext_lazy("Caseload"), caseload),
    Topic("afsluiting", gettext_lazy("Afsluiting"), closing),
    Topic("leefgebieden", gettext_lazy("Leefgebieden"), domains),
)
TOPIC_BY_SLUG = {t.slug: t for t in TOPICS}


def house_choices(house_ids: Sequence[int]) -> list[tuple[int, str]]:
    return list(House.objects.filter(pk__in=house_ids).values_list("pk", "name"))


@dataclass(frozen=True)
class Headline:
    label: str
    shown: str
    topic: str


def headlines(house_ids: Sequence[int], start: dt.date, end: dt.date) -> list[Headline]:
    """A few protected figures for "Mijn overzicht", each linking to its topic page."""
    scope = q.Scope(tuple(house_ids), start, end)
    data = q.referrals(scope)
    referred = sum(data["outcome"].values()) + sum(data["rejected"].values())
    now = q.phases_now(scope)
    running = sum(n for (phase, _level), n in now.items() if phase == Phase.CASUISTIEK)
    minutes_data = q.minutes_in_time(scope)
    per_org = q.overdue_now_per_organisation(scope)
    return [
        Headline(
            _("aanmeldingen in de afgelopen twaalf maanden"), protect_one(referred).text, "instroom"
        ),
        Headline(_("casussen in uitvoering"), protect_one(running).text, "fasen"),
        Headline(
            _("verslagen binnen een week verstuurd"),
            share(
                sum(a for a, _b in minutes_data.values()), sum(b for _a, b in minutes_data.values())
            ).text,
            "verslagen",
        ),
        Headline(
            _("openstaande acties over de datum"),
            share(sum(late for _n, late, _o in per_org), sum(o for _n, _l, o in per_org)).text,
            "acties",
        ),
    ]
