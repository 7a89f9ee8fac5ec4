"""The afwegingskader (seed 002 section 4.6) as `meldcode_rules.decide`: every path the
seed's scheme defines, with its two consequences, and the answer sets it refuses."""

from __future__ import annotations

import pytest

from ketenregie.safeguarding.meldcode_rules import QUESTIONS, decide

Y, N, E = True, False, None  # E: empty, not answered

# Every complete path through the scheme: answers -> (report to Veilig Thuis, help
# possible, closed, lasting safety).
TABLE = [
    # 1 no: close and record in the file.
    ((N, E, E, E, E), (False, False, True, False)),
    # 2 yes: report; 3-5 walked with Veilig Thuis.
    ((Y, Y, N, E, E), (True, False, False, False)),
    ((Y, Y, Y, N, E), (True, False, False, False)),
    ((Y, Y, Y, Y, N), (True, True, False, False)),
    ((Y, Y, Y, Y, Y), (True, True, False, True)),
    # 2 no: on to 3.
    ((Y, N, N, E, E), (True, False, False, False)),
    ((Y, N, Y, N, E), (True, False, False, False)),
    ((Y, N, Y, Y, N), (True, True, False, False)),
    # The one path without a report: help that leads to lasting safety.
    ((Y, N, Y, Y, Y), (False, True, False, True)),
]


@pytest.mark.parametrize(("answers", "expected"), TABLE)
def test_every_path_of_the_scheme(
    answers: tuple[bool | None, ...], expected: tuple[bool, bool, bool, bool]
) -> None:
    d = decide(answers)
    assert d.complete, (d.missing, d.not_asked)
    assert (d.report, d.help_possible, d.closed, d.lasting_safety) == expected


def test_the_table_covers_every_path() -> None:
    # Every combination of five yes/no/empty answers that the scheme accepts as complete
    # is in the table: no path of the seed is left untested.
    import itertools

    complete = {combo for combo in itertools.product((Y, N, E), repeat=5) if decide(combo).complete}
    assert complete == {answers for answers, _expected in TABLE}


@pytest.mark.parametrize(
    ("answers", "missing", "not_asked"),
    [
        ((E, E, E, E, E), (1,), ()),
        ((Y, E, E, E, E), (2, 3), ()),
        # After 2 yes the scheme still asks 3 (with Veilig Thuis).
        ((Y, Y, E, E, E), (3,), ()),
        ((Y, N, Y, E, E), (4,), ()),
        ((Y, N, Y, Y, E), (5,), ()),
        # Answers the scheme never reaches.
        ((N, Y, E, E, E), (), (2,)),
        ((Y, N, N, Y, Y), (), (4, 5)),
        ((Y, N, Y, N, Y), (), (5,)),
    ],
)
def test_incomplete_and_unreached(
    answers: tuple[bool | None, ...], missing: tuple[int, ...], not_asked: tuple[int, ...]
) -> None:
    d = decide(answers)
    assert (d.missing, d.not_asked) == (missing, not_asked)
    assert not d.complete


def test_questions_are_the_seeds_words() -> None:
    assert [str(q) for q in QUESTIONS] == [
        "Afweging 1. Heb ik een vermoeden van / is er sprake van huiselijk geweld?",
        "Afweging 2. Heb ik een vermoeden van / is er sprake van acuut en/of structurele "
        "onveiligheid?",
        "Afweging 3. Ben ik in staat effectieve hulp te bieden of organiseren?",
        "Afweging 4. Werken betrokkenen mee aan de geboden of georganiseerde hulp?",
        "Afweging 5. Leidt deze hulp tot duurzame veiligheid?",
    ]


def test_five_answers_expected() -> None:
    with pytest.raises(ValueError):
        decide((Y, Y))
