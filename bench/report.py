"""The benchmark report: bench/results/latest.json and latest.md from one run's samples.

Per page and per role: p50 / p95 / p99, throughput, errors, SQL queries and SQL time per
request, and the ratio to the floor page of the same run; the targets of issue 10 with
PASS or MISS; the stress steps; the growth table over N; and the timed commands.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.pages import (
    DAILY_MAX_FLOOR_RATIO,
    DAILY_MAX_MS,
    FLOOR,
    NOT_IN_VARIANT,
    NOT_YET,
    PAGE_BY_NAME,
    PAGES,
    SEARCH_MAX_MS,
)

RESULTS = Path(__file__).resolve().parent / "results"
WARMUP_S = 5.0  # the first seconds (spawning, cold workers) are not counted


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summarise(samples: list[list[Any]], seconds: float) -> dict[str, Any]:
    times = [s[3] for s in samples]
    sql = [s[6] for s in samples if s[6] is not None]
    queries = [s[7] for s in samples if s[7] is not None]
    return {
        "n": len(samples),
        "rps": round(len(samples) / seconds, 2) if seconds else 0.0,
        "p50": round(percentile(times, 50), 1),
        "p95": round(percentile(times, 95), 1),
        "p99": round(percentile(times, 99), 1),
        "errors": sum(1 for s in samples if s[5]),
        "sql_ms": round(statistics.mean(sql), 1) if sql else None,
        "queries": round(statistics.mean(queries), 1) if queries else None,
    }


def analyse_run(path: str) -> dict[str, Any]:
    raw: list[list[Any]] = json.loads(Path(path).read_text()) if Path(path).exists() else []
    if not raw:
        return {"seconds": 0, "all": None, "pages": {}, "roles": {}}
    start = min(s[0] for s in raw) + WARMUP_S
    samples = [s for s in raw if s[0] >= start] or raw
    seconds = max(s[0] for s in samples) - min(s[0] for s in samples) or 1.0
    by_page: dict[str, list[list[Any]]] = defaultdict(list)
    by_role: dict[str, list[list[Any]]] = defaultdict(list)
    for s in samples:
        by_page[s[2]].append(s)
        by_role[f"{s[2]}|{s[1]}"].append(s)
    pages = {name: summarise(rows, seconds) for name, rows in by_page.items()}
    floor = pages.get(FLOOR)
    for stats in pages.values():
        stats["ratio_p95"] = round(stats["p95"] / floor["p95"], 2) if floor else None
        stats["ratio_p50"] = round(stats["p50"] / floor["p50"], 2) if floor else None
    return {
        "seconds": round(seconds, 1),
        "all": summarise(samples, seconds),
        "pages": pages,
        "roles": {key: summarise(rows, seconds) for key, rows in by_role.items()},
    }


def verdict(name: str, stats: dict[str, Any]) -> tuple[str, str]:
    """(target, PASS/MISS) for one page of the think-time run."""
    kind = PAGE_BY_NAME[name].kind if name in PAGE_BY_NAME else ""
    if kind == "daily":
        ok = stats["p95"] <= DAILY_MAX_MS and (stats["ratio_p95"] or 0) <= DAILY_MAX_FLOOR_RATIO
        return f"p95 <= {DAILY_MAX_FLOOR_RATIO:g}x vloer en <= {DAILY_MAX_MS:g} ms", _mark(ok)
    if kind in ("privacy", "management"):
        return f"p95 <= {SEARCH_MAX_MS:g} ms", _mark(stats["p95"] <= SEARCH_MAX_MS)
    return "", ""


def _mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def write_report(meta: dict[str, Any]) -> None:
    runs = {name: {**run, **analyse_run(run["samples"])} for name, run in meta["runs"].items()}
    for run in runs.values():
        run.pop("samples", None)
    think = runs.get("think", {})
    for name, stats in think.get("pages", {}).items():
        stats["target"], stats["verdict"] = verdict(name, stats)
    ntables = {db: json.loads(Path(path).read_text()) for db, path in meta.pop("ntables").items()}
    started = float(os.environ.get("BENCH_STARTED", "0"))
    report = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "total_s": round(dt.datetime.now(dt.UTC).timestamp() - started) if started else None,
        "machine": {"cpus": os.cpu_count()},
        **meta,
        "runs": runs,
        "growth": dict(sorted(ntables.items(), key=lambda kv: kv[1]["cases"])),
        "not_yet": list(NOT_YET),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=1))
    (RESULTS / "latest.md").write_text(markdown(report))
    print((RESULTS / "latest.md").read_text())


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _page_rows(report: dict[str, Any]) -> list[str]:
    think = report["runs"].get("think", {})
    pages = think.get("pages", {})
    lines = [
        "| page | n | req/s | p50 | p95 | p99 | errors | SQL ms | queries | p95 / floor "
        "| target | |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    in_a_mix = {
        name for account in report.get("accounts", {}).values() for name in account["pages"]
    }
    for page in PAGES:
        s = pages.get(page.name)
        if s is None:
            if page.name in in_a_mix:
                # Visited, but no request finished before the run ended: slower than the run.
                lines.append(
                    f"| {page.label} | 0 | " + "- | " * 8 + "geen verzoek voltooid | MISS |"
                )
            continue
        cells = [page.label, s["n"], s["rps"], s["p50"], s["p95"], s["p99"], s["errors"]]
        cells += [s["sql_ms"], s["queries"], s["ratio_p95"], s["target"], s["verdict"]]
        lines.append("| " + " | ".join(_fmt(c) for c in cells) + " |")
    return lines


def _role_rows(report: dict[str, Any]) -> list[str]:
    roles = report["runs"].get("think", {}).get("roles", {})
    lines = [
        "| page | role | n | p50 | p95 | p99 | errors | SQL ms | queries |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for page in PAGES:
        for key in sorted(k for k in roles if k.split("|")[0] == page.name):
            s = roles[key]
            cells = [page.label, key.split("|")[1], s["n"], s["p50"], s["p95"], s["p99"]]
            cells += [s["errors"], s["sql_ms"], s["queries"]]
            lines.append("| " + " | ".join(_fmt(c) for c in cells) + " |")
    return lines


def _stress_rows(report: dict[str, Any]) -> list[str]:
    stress = {k: v for k, v in report["runs"].items() if k.startswith("stress") and v["all"]}
    if not stress:
        return ["Niet gedraaid (QUICK)."]
    lines = [
        "| users (no think time) | req/s | p50 | p95 | p99 | errors | floor p95 |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in stress.values():
        a = run["all"]
        floor = run["pages"].get(FLOOR, {}).get("p95")
        cells = [run["users"], a["rps"], a["p50"], a["p95"], a["p99"], a["errors"], floor]
        lines.append("| " + " | ".join(_fmt(c) for c in cells) + " |")
    best = max(stress.values(), key=lambda r: r["all"]["rps"])
    lines.append("")
    lines.append(f"Saturation: {best['all']['rps']} req/s (reached at {best['users']} users).")
    return lines


def _growth_rows(report: dict[str, Any]) -> list[str]:
    growth = list(report["growth"].values())
    head = " | ".join(f"{g['cases']:,} cases: ms / SQL ms / queries" for g in growth)
    lines = [f"| page | {head} |", "|---|" + "---|" * len(growth)]
    for page in PAGES:
        cells = []
        for g in growth:
            s = g["pages"].get(page.name)
            cells.append(f"{s['wall_ms']:g} / {s['sql_ms']:g} / {s['queries']}" if s else "-")
        lines.append(f"| {page.label} | " + " | ".join(cells) + " |")
    return lines


def _subject_access_rows(report: dict[str, Any]) -> list[str]:
    lines = [
        "| data set | cases of the person | events shown | export ms (JSON) | PDF ms | queries "
        "| <= 1 s |",
        "|---|---|---|---|---|---|---|",
    ]
    for g in report["growth"].values():
        s = g.get("subject_access") or {}
        if s:
            lines.append(
                f"| {g['cases']:,} cases, {g.get('audit_events', 0):,} events "
                f"| {s['cases_of_person']} | {s['events_of_person']:,} | {s['export_ms']:g} "
                f"| {s['pdf_ms']:g} | {s['queries']} | {_mark(s['ok'])} |"
            )
    return lines


def _timing_rows(report: dict[str, Any]) -> list[str]:
    data = report["data"]
    together = " (built at the same time as the others)" if data.get("parallel") else ""
    lines = ["| what | seconds |", "|---|---|"]
    lines.append(f"| migrate (empty database, copied per data set) | {data['migrate_s']:g} |")
    for db, t in data.items():
        if isinstance(t, dict):
            for key, value in t.items():
                if key.endswith("_s"):
                    what = f"{key[:-2]} --cases {t['cases']:,}"
                    lines.append(f"| {what} ({db}){together} | {value:g} |")
    events = max((g.get("audit_events", 0) for g in report["growth"].values()), default=0)
    lines.append(f"| verify_audit (main data set) | {report['verify_audit_s']:g} |")
    if report.get("total_s"):
        lines.append(f"| the whole benchmark, `make bench` to this report | {report['total_s']} |")
    lines.append(f"| (audit events in the largest data set: {events:,}) | |")
    return lines


def _left_out_rows(report: dict[str, Any]) -> list[str]:
    lines = []
    for username, account in report.get("accounts", {}).items():
        opened = set(account["pages"])
        works_with_cases = "case_list" in opened
        reads_audit = any(name.startswith("audit") for name in opened)
        shown = []
        for name, why in account["left_out"].items():
            page = PAGE_BY_NAME[name]
            # Refusals and pages of a kind the role has no part in are as designed.
            role_has_part = reads_audit if page.kind == "privacy" else works_with_cases
            designed = why in ("403", NOT_IN_VARIANT)
            if page.kind in ("daily", "privacy") and not designed and role_has_part:
                shown.append(f"{page.label} ({why})")
        if shown:
            lines.append(f"- {username}: {', '.join(shown)}")
    return lines or ["- geen"]


def markdown(report: dict[str, Any]) -> str:
    think = report["runs"].get("think", {})
    total = think.get("all") or {}
    servers = report["app_servers"]
    out = [
        f"# Ketenregie benchmark ({'QUICK' if report['quick'] else 'full'})",
        "",
        f"Generated {report['generated_at']} on {report['machine']['cpus']} CPUs; PostgreSQL 15 "
        f"(private cluster, fsync on while measuring); {servers['instances']} gunicorn "
        f"instances x {servers['workers']} workers x {servers['threads']} threads on one "
        "database, users spread over both. Times in ms, measured by Locust (client side); "
        "SQL ms and queries per request from the server's Server-Timing header.",
        "",
        f"## Load: 20 users, think time 1-3 s, {think.get('seconds', 0)} s measured",
        "",
        f"All requests: {total.get('n', 0)}, {total.get('rps', 0)} req/s, "
        f"p95 {total.get('p95', '-')} ms, errors {total.get('errors', '-')}. The floor page is "
        '"Mijn sessie" (/sessie/): session, login and MFA middleware and the base template '
        "with navigation, nothing else.",
        "",
        *_page_rows(report),
        "",
        "Daily pages left out of an account's mix because they did not answer 200 for it "
        "(pages refused with 403, not for that role, are not listed; 404: no such object "
        "for it; geen gegevens: nothing to pick in this data set):",
        "",
        *_left_out_rows(report),
        "",
        "### Per role",
        "",
        *_role_rows(report),
        "",
        "## Stress: no think time",
        "",
        *_stress_rows(report),
        "",
        "## Growth with N (one user, median of 3 requests after one warm-up, in-process)",
        "",
        *_growth_rows(report),
        "",
        "## Subject access export (AVG art. 15)",
        "",
        "The person with the most cases, given 3,000 page views of their cases if they had "
        "fewer; median of 3 in-process runs of the export (the dict the JSON is) and of the "
        "PDF rendered from it (bench/subject_access.py).",
        "",
        *_subject_access_rows(report),
        "",
        "## Timed commands",
        "",
        *_timing_rows(report),
        "",
        "## Nog niet aanwezig",
        "",
        *[f"- {item}: nog niet aanwezig, niet gemeten." for item in report["not_yet"]],
        "",
    ]
    return "\n".join(out)
