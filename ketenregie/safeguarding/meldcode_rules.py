"""The afwegingskader of the meldcode (seed 002 section 4.6) as one pure function.

The five decision questions, verbatim from the seed, and `decide`, which walks the
seed's scheme over a set of answers and says which questions are asked, whether the set
is complete, and its two consequences: is reporting to Veilig Thuis necessary, and is
help (also) possible. No database, no request: the pages, the services and the table
test all call this one function.

The scheme (seed 4.6 item 5):
1. Vermoeden van huiselijk geweld? No: close and record in the file. Yes: question 2.
2. Acute en/of structurele onveiligheid? Yes: report to Veilig Thuis; questions 3-5 are
   then walked together with Veilig Thuis. No: question 3.
3. In staat effectieve hulp te bieden of te organiseren? No: report. Yes: question 4.
4. Werken betrokkenen mee aan de hulp? No: report. Yes: offer or organise help, and
   question 5.
5. Leidt deze hulp tot duurzame veiligheid? No: report (again). Yes: continue the help
   with agreements on following future (un)safety.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

QUESTIONS = (
    _("Afweging 1. Heb ik een vermoeden van / is er sprake van huiselijk geweld?"),
    _(
        "Afweging 2. Heb ik een vermoeden van / is er sprake van acuut en/of structurele "
        "onveiligheid?"
    ),
    _("Afweging 3. Ben ik in staat effectieve hulp te bieden of organiseren?"),
    _("Afweging 4. Werken betrokkenen mee aan de geboden of georganiseerde hulp?"),
    _("Afweging 5. Leidt deze hulp tot duurzame veiligheid?"),
)

# What the seed says to do after each answer (no, yes), shown next to the questions.
CONSEQUENCES = (
    (_("Sluit af en leg vast in dossier."), _("Ga verder met afweging 2.")),
    (_("Ga verder met afweging 3."), _("Meld bij Veilig Thuis.")),
    (_("Meld bij Veilig Thuis."), _("Ga verder met afweging 4.")),
    (_("Meld bij Veilig Thuis."), _("Bied of organiseer hulp, ga verder met afweging 5.")),
    (
        _("Meld (opnieuw) bij Veilig Thuis."),
        _(
            "Vervolg hulp met afspraken over het volgen van toekomstige (on)veiligheid met "
            "betrokkenen."
        ),
    ),
)

# Questions 3 to 5 are walked together with Veilig Thuis (seed 4.6 item 5).
WITH_VEILIG_THUIS_FROM = 3

type Answers = Sequence[bool | None]


@dataclass(frozen=True)
class Decision:
    """The outcome of one answer set.

    `asked`: the question numbers (1-5) the scheme asks for these answers; `missing`:
    asked but unanswered; `not_asked`: answered although the scheme stopped before them.
    `report` and `help_possible` are meaningful when `complete`. `closed`: question 1
    was no (close and record in the file). `lasting_safety`: question 5 was yes.
    """

    asked: tuple[int, ...]
    missing: tuple[int, ...]
    not_asked: tuple[int, ...]
    report: bool
    help_possible: bool
    closed: bool
    lasting_safety: bool

    @property
    def complete(self) -> bool:
        return not self.missing and not self.not_asked


def decide(answers: Answers) -> Decision:
    """Walk the afwegingskader over `answers` (five values: True yes, False no, None not
    answered) and return what the seed's scheme concludes."""
    if len(answers) != len(QUESTIONS):
        raise ValueError("five answers expected")
    q1, q2, q3, q4, q5 = answers
    asked = [1]
    if q1:
        # Question 2 and, whatever its answer, question 3 (with Veilig Thuis after a yes).
        asked += [2, 3]
        if q3:
            asked.append(4)
            if q4:
                asked.append(5)
    missing = tuple(n for n in asked if answers[n - 1] is None)
    not_asked = tuple(
        n for n in range(1, len(QUESTIONS) + 1) if n not in asked and answers[n - 1] is not None
    )
    report = bool(q1) and (q2 is True or q3 is False or q4 is False or q5 is False)
    help_possible = bool(q1) and q3 is True and q4 is True
    return Decision(
        asked=tuple(asked),
        missing=missing,
        not_asked=not_asked,
        report=report,
        help_possible=help_possible,
        closed=q1 is False,
        lasting_safety=bool(q1) and q5 is True,
    )
