"""The comparison of a PGA-scan round: the four views the seed asks for, and the change
since the previous round.

Results show organisations, never people. An organisation with fewer than MIN_GROUP
respondents is merged into "Overige organisaties"; when that merged group is itself
smaller than MIN_GROUP its answers are left out altogether (also from the totals, which
would otherwise reveal them by subtraction), and a round with fewer than MIN_GROUP usable
responses shows no figures at all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ketenregie.reports.models import ScanAnswer, ScanPart, ScanResponse, ScanRound, ScanStatement
from ketenregie.reports.scan import in_order, is_open

MIN_GROUP = 3
OTHER = "Overige organisaties"
TOTAL = "Alle respondenten"
# "Everyone positive": in every group the mean is at least POSITIVE; negative: at most.
POSITIVE = 3.5
NEGATIVE = 2.5
TOP_DIFFERENCES = 5
SCALE = [str(label) for label in ScanAnswer.labels]


@dataclass
class Distribution:
    """How often each of the five answers was given (index 0 = helemaal oneens)."""

    counts: list[int] = field(default_factory=lambda: [0] * 5)

    def add(self, value: int) -> None:
        self.counts[value - 1] += 1

    @property
    def n(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float | None:
        n = self.n
        return sum((i + 1) * c for i, c in enumerate(self.counts)) / n if n else None

    @property
    def disagree(self) -> float | None:
        """Share (percent) of "oneens" and "helemaal oneens"."""
        n = self.n
        return 100 * (self.counts[0] + self.counts[1]) / n if n else None

    @property
    def percents(self) -> list[int]:
        n = self.n
        return [round(100 * c / n) if n else 0 for c in self.counts]


@dataclass
class Group:
    label: str
    responses: list[dict[str, int]]

    @property
    def n(self) -> int:
        return len(self.responses)


@dataclass
class StatementResult:
    statement: ScanStatement
    number: int  # its number within its part, as on the form
    total: Distribution
    groups: list[tuple[str, Distribution]]

    @property
    def spread(self) -> float:
        means = [d.mean for _, d in self.groups if d.mean is not None]
        return max(means) - min(means) if len(means) > 1 else 0.0

    def _scored(self) -> list[tuple[str, float]]:
        return [(label, d.mean) for label, d in self.groups if d.mean is not None]

    @property
    def highest(self) -> tuple[str, float]:
        """The group that agrees most, with its mean."""
        return max(self._scored(), key=lambda g: g[1])

    @property
    def lowest(self) -> tuple[str, float]:
        return min(self._scored(), key=lambda g: g[1])


@dataclass
class PartResult:
    part: str
    heading: str  # "Kunnen", "Willen", "Mogen"
    total: Distribution
    groups: list[tuple[str, Distribution]]


@dataclass
class Change:
    label: str
    now: float | None
    before: float | None

    @property
    def delta(self) -> float | None:
        return None if self.now is None or self.before is None else self.now - self.before


@dataclass
class Comparison:
    previous: ScanRound
    n_previous: int
    parts: list[Change]
    statements: list[Change]  # the largest changes in mean, largest first


@dataclass
class Results:
    scan_round: ScanRound
    enough: bool
    n: int  # responses in the figures
    left_out: int  # responses of too small a merged group, left out of every figure
    groups: list[tuple[str, int]]
    merged: int  # organisations merged into "Overige organisaties"
    statements: list[StatementResult]
    parts: list[PartResult]
    comparison: Comparison | None = None

    @property
    def differences(self) -> list[StatementResult]:
        ranked = sorted(self.statements, key=lambda s: s.spread, reverse=True)
        return [s for s in ranked if s.spread > 0][:TOP_DIFFERENCES]

    def _everyone(self, positive: bool) -> list[StatementResult]:
        out = []
        for s in self.statements:
            means = [d.mean for _, d in s.groups if d.mean is not None]
            if means and all(m >= POSITIVE if positive else m <= NEGATIVE for m in means):
                out.append(s)
        return out

    @property
    def all_positive(self) -> list[StatementResult]:
        return self._everyone(True)

    @property
    def all_negative(self) -> list[StatementResult]:
        return self._everyone(False)

    @property
    def most_disagreed_part(self) -> PartResult | None:
        scored = [p for p in self.parts if p.total.disagree is not None]
        return max(scored, key=lambda p: p.total.disagree or 0) if scored else None

    def most_disagreed_part_per_group(self) -> list[tuple[str, str, float]]:
        """(group, part heading, share) for each group: where it says "oneens" most."""
        out = []
        for label, _n in self.groups:
            best: tuple[str, float] | None = None
            for p in self.parts:
                share = dict(p.groups)[label].disagree
                if share is not None and (best is None or share > best[1]):
                    best = (p.heading, share)
            if best is not None:
                out.append((label, best[0], best[1]))
        return out


def _groups(responses: Sequence[ScanResponse]) -> tuple[list[Group], int, int]:
    """The groups shown (organisations of MIN_GROUP or more, then the merged rest), how
    many responses were left out and how many organisations were merged."""
    by_org: dict[str, list[dict[str, int]]] = defaultdict(list)
    for r in responses:
        by_org[r.organisation.name].append(r.answers)
    shown = [Group(name, rows) for name, rows in sorted(by_org.items()) if len(rows) >= MIN_GROUP]
    small = [rows for rows in by_org.values() if len(rows) < MIN_GROUP]
    rest = [answers for rows in small for answers in rows]
    left_out = 0
    if len(rest) >= MIN_GROUP:
        shown.append(Group(OTHER, rest))
    else:
        left_out = len(rest)
    return shown, left_out, len(small) if len(rest) >= MIN_GROUP else 0


def compute(scan_round: ScanRound, *, with_previous: bool = True) -> Results:
    responses = list(
        ScanResponse.objects.filter(round=scan_round, submitted=True).select_related("organisation")
    )
    groups, left_out, merged = _groups(responses)
    n = sum(g.n for g in groups)
    statements = in_order(scan_round.statements.all())
    enough = n >= MIN_GROUP
    results = Results(
        scan_round=scan_round,
        enough=enough,
        n=n if enough else 0,
        left_out=left_out,
        groups=[(g.label, g.n) for g in groups] if enough else [],
        merged=merged,
        statements=[],
        parts=[],
    )
    if not enough:
        return results
    numbers: Counter[str] = Counter()
    part_total: dict[str, Distribution] = defaultdict(Distribution)
    part_groups: dict[str, dict[str, Distribution]] = defaultdict(lambda: defaultdict(Distribution))
    for statement in statements:
        numbers[statement.part] += 1
        key = str(statement.pk)
        total = Distribution()
        per_group = []
        for g in groups:
            dist = Distribution()
            for answers in g.responses:
                if key in answers:
                    dist.add(answers[key])
                    total.add(answers[key])
                    part_total[statement.part].add(answers[key])
                    part_groups[statement.part][g.label].add(answers[key])
            per_group.append((g.label, dist))
        results.statements.append(
            StatementResult(statement, numbers[statement.part], total, per_group)
        )
    for part in ScanPart:
        if part.value in part_total:
            results.parts.append(
                PartResult(
                    part.value,
                    str(part.label),
                    part_total[part.value],
                    [(g.label, part_groups[part.value][g.label]) for g in groups],
                )
            )
    if with_previous:
        results.comparison = _compare(results)
    return results


def previous_round(scan_round: ScanRound) -> ScanRound | None:
    """The house's last closed round opened before this one."""
    earlier = ScanRound.objects.filter(
        house_id=scan_round.house_id, opened_at__lt=scan_round.opened_at
    ).order_by("-opened_at", "-pk")
    return next((r for r in earlier if not is_open(r)), None)


def _compare(results: Results) -> Comparison | None:
    previous = previous_round(results.scan_round)
    if previous is None:
        return None
    before = compute(previous, with_previous=False)
    if not before.enough:
        return None
    before_parts = {p.part: p.total.disagree for p in before.parts}
    parts = [Change(p.heading, p.total.disagree, before_parts.get(p.part)) for p in results.parts]
    before_means = {s.statement.pk: s.total.mean for s in before.statements}
    changes = [
        Change(
            f"{s.statement.get_part_display()} {s.number}: {s.statement.text}",
            s.total.mean,
            before_means[s.statement.pk],
        )
        for s in results.statements
        if s.statement.pk in before_means
    ]
    changes.sort(key=lambda c: abs(c.delta or 0), reverse=True)
    return Comparison(previous, before.n, parts, changes[:TOP_DIFFERENCES])
