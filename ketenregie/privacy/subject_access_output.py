"""The subject access export as it leaves the house: the passages a reviewer can withhold
and their removal, the JSON, the access log folded for reading, and the PDF."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string

from ketenregie.core.templatetags.dates import time_of_day
from ketenregie.privacy.redaction import withheld_text
from ketenregie.privacy.subject_access_household import drop_withheld_history, membership_items

# Withholding.
ROW_KEEP = ("id", "withheld")


def passages(export: dict[str, Any]) -> set[str]:
    """Every id the reviewer may withhold in this export (items, free texts, rows)."""
    ids: set[str] = set()
    for item in items_of(export):
        ids.add(item["id"])
        ids.update(f"{item['id']}/{f['key']}" for f in item["fields"] if f["type"] == "text")
    ids.update(r["id"] for r in (*export["recipients"], *export["access_log"]))
    return ids


def items_of(export: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """Every section item of the export: the person's data and own memberships of a
    household, then each case's."""
    yield export["person"]["item"]
    yield from membership_items(export)
    for case in export["cases"]:
        for section in case["sections"]:
            yield from section["items"]


def _withhold(export: dict[str, Any], withheld: Mapping[str, str]) -> None:
    """Replace each withheld passage by its reason, in place; list what was withheld."""
    if not withheld:
        return
    applied: list[dict[str, str]] = []
    for item in items_of(export):
        reason = withheld.get(item["id"])
        if reason:
            item["withheld"], item["fields"] = reason, []
            applied.append({"id": item["id"], "reason": reason})
            continue
        for f in item["fields"]:
            reason = withheld.get(f"{item['id']}/{f['key']}")
            if reason and f["type"] == "text":
                f["type"], f["value"] = "withheld", withheld_text(reason)
                applied.append({"id": f"{item['id']}/{f['key']}", "reason": reason})
    for key in ("recipients", "access_log"):
        rows = []
        for row in export[key]:
            reason = withheld.get(row["id"])
            if reason:
                row = {"id": row["id"], "withheld": reason}
                applied.append({"id": row["id"], "reason": reason})
            rows.append(row)
        export[key] = rows
    drop_withheld_history(export)
    export["withheld"] = applied


# Output.


def case_codes_of(export: dict[str, Any]) -> list[str]:
    return [c["code"] for c in export["cases"]]


def export_json(export: dict[str, Any]) -> bytes:
    """The machine-readable form: the dict itself (dates as ISO 8601)."""
    return json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


# More views than this by one person on one day and case: the PDF gives the count and
# the first and last time.
TIMES_LISTED = 12


def access_log_lines(export: dict[str, Any]) -> list[dict[str, Any]]:
    """The access log as the PDF prints it: every row of the JSON, with the rows of one
    person doing the same on one case on the same day on one line with all their times
    (a long-running case has thousands of views; a table row each is unreadable and
    slow to lay out). Withheld rows with the same reason likewise, counted. Lines are
    in the order of their first row."""
    lines: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in export["access_log"]:
        if row.get("withheld"):
            line = lines.setdefault(("withheld", row["withheld"]), {"withheld": row["withheld"]})
            line["count"] = line.get("count", 0) + 1
            continue
        at = row["occurred_at"]
        key = (
            at.date(),
            row["actor"],
            row["organisation"],
            row["role_in_case"],
            row["case"],
            row["kind"],
            row["action"],
        )
        line = lines.setdefault(key, {"row": row, "day": at.date(), "times": []})
        line["times"].append(time_of_day(at))
    for line in lines.values():
        times = line.get("times")
        if times and len(times) > TIMES_LISTED:
            # Thousands of times on one line help nobody: the JSON lists each of them.
            line["times"] = [f"{len(times)} keer, van {times[0]} tot {times[-1]}"]
    return list(lines.values())


def export_pdf(export: dict[str, Any]) -> bytes:
    """The person's PDF, rendered from the same dict as the JSON."""
    import weasyprint

    html = render_to_string(
        "privacy/subject_access_pdf.html",
        {"export": export, "access_lines": access_log_lines(export)},
    )
    return bytes(weasyprint.HTML(string=html).write_pdf())
