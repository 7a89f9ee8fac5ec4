"""The benchmark's steps, called by scripts/bench.sh around its private PostgreSQL cluster.

`python -m bench.run data --port P [--quick]` builds the data sets and times generating
them; `python -m bench.run load --port P [--quick]` times verify_audit, serves the app with
two gunicorn instances, runs the Locust scenarios, times pages at each N and writes the
report (bench/report.py). Work files go to bench/results/work/ (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORK = RESULTS / "work"
KEYS = {
    # The keys the scale copies are made with (see the README); never production keys.
    "DJANGO_SECRET_KEY": "scale-bench-secret-key-not-for-production-0123456789",
    "KETENREGIE_AUDIT_KEY": "scale-bench-audit-key-0123456789",
}


def datasets(quick: bool) -> list[tuple[str, int]]:
    """(database, cases): the load test runs on the first; all make the growth table."""
    if quick:
        return [("bench_main", 10_000), ("bench_150", 150)]
    return [("bench_main", 100_000), ("bench_150", 150), ("bench_10k", 10_000)]


def env_for(port: int, db: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(KEYS)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/{db}",
        KETENREGIE_DEMO="1",
        DJANGO_DEBUG="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        KETENREGIE_SQL_TIMING="1",
        **extra,
    )
    return env


def spawn(args: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.Popen[bytes]:
    """Our own interpreter on our own modules (never user input)."""
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, **kwargs)  # noqa: S603


def manage(env: dict[str, str], *args: str) -> float:
    """Run a management command; return its wall time in seconds."""
    start = time.monotonic()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603
    return round(time.monotonic() - start, 1)


def build_data(port: int, quick: bool) -> None:
    """Migrate once into a template, copy it per data set, fill them and time that.

    The main data set is generated alone, so its time is not shared with another job;
    QUICK builds all at once to stay under five minutes (its report says so).
    """
    import psycopg

    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    sets = datasets(quick)
    with psycopg.connect(url, autocommit=True) as c:
        for db in ("bench_template", *(db for db, _ in sets)):
            c.execute(f'DROP DATABASE IF EXISTS "{db}"')
        c.execute('CREATE DATABASE "bench_template"')
        print("== Migreren", flush=True)
        migrate_s = manage(env_for(port, "bench_template"), "migrate", "--no-input", "-v0")
        for db, _ in sets:
            c.execute(f'CREATE DATABASE "{db}" TEMPLATE "bench_template"')
    timings: dict[str, Any] = {"migrate_s": migrate_s, "parallel": quick}
    batches = [sets] if quick else [sets[:1], sets[1:]]
    for batch in batches:
        started = []
        for db, cases in batch:
            print(f"== {db}: {cases} casussen", flush=True)
            # One generator for every N, so the growth table compares like with like.
            args = ["generate_scale", "--cases", str(cases)]
            proc = spawn(["manage.py", *args], env_for(port, db))
            started.append((db, cases, args[0], proc, time.monotonic()))
        while started:
            time.sleep(0.5)
            for job in [job for job in started if job[3].poll() is not None]:
                db, cases, command, proc, start = job
                if proc.returncode != 0:
                    raise SystemExit(f"{command} voor {db} mislukt")
                timings[db] = {"cases": cases, f"{command}_s": round(time.monotonic() - start, 1)}
                started.remove(job)
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "data.json").write_text(json.dumps(timings, indent=1))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def app_servers(env: dict[str, str], count: int = 2) -> Iterator[list[str]]:
    """`count` gunicorn instances (separate masters, separate ports) on one database."""
    workers = os.environ.get("BENCH_WORKERS", "2")
    threads = os.environ.get("BENCH_THREADS", "4")
    procs, hosts = [], []
    for n in range(count):
        port = free_port()
        log = (WORK / f"gunicorn-{n}.log").open("w")
        cmd = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", workers, "--threads", threads,
            "--access-logfile", "-", "--log-level", "warning",
            # Slow pages are measured, not killed at gunicorn's default 30 s; connections
            # outlive the think time (a 2 s keep-alive races the next request: resets).
            "--timeout", "300", "--keep-alive", "30",
        ]  # fmt: skip
        procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log))  # noqa: S603
        hosts.append(f"http://127.0.0.1:{port}")
    try:
        for host in hosts:
            _wait_healthy(host)
        yield hosts
    finally:
        # SIGINT is gunicorn's quick shutdown: a page still running after the load test
        # (minutes, on a slow data set) is not waited for.
        for proc in procs:
            proc.send_signal(signal.SIGINT)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_healthy(host: str) -> None:
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{host}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{host} komt niet op")


def locust(env: dict[str, str], name: str, users: int, seconds: int, wait: str) -> Path:
    out = WORK / f"samples-{name}.json"
    env = {**env, "BENCH_WAIT": wait, "BENCH_SAMPLES": str(out)}
    print(f"== Locust {name}: {users} gebruikers, {seconds} s, denktijd {wait} s", flush=True)
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            "bench/locustfile.py",
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(users / 5, 1)),
            "--run-time",
            f"{seconds}s",
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        check=False,
    )
    return out


def load_runs(env: dict[str, str], quick: bool) -> dict[str, Any]:
    """The think-time run and (full, or BENCH_STRESS=1) the stress steps, on two servers."""
    seconds = int(os.environ.get("BENCH_SECONDS", "60" if quick else "180"))
    runs: dict[str, Any] = {}
    with app_servers(env) as hosts:
        env = {**env, "BENCH_HOSTS": ",".join(hosts)}
        samples = locust(env, "think", 20, seconds, "1-3")
        runs["think"] = {"users": 20, "seconds": seconds, "samples": str(samples)}
        if not quick or os.environ.get("BENCH_STRESS") == "1":
            for users in (5, 10, 20, 40):
                name = f"stress-{users}"
                samples = locust(env, name, users, 30, "0")
                runs[name] = {"users": users, "seconds": 30, "samples": str(samples)}
    return runs


def growth(port: int, quick: bool) -> dict[str, str]:
    ntables = {}
    for db, cases in datasets(quick):
        out = WORK / f"ntable-{db}.json"
        print(f"== Groeitabel: {db} ({cases} casussen)", flush=True)
        if spawn(["-m", "bench.ntable", str(out)], env_for(port, db)).wait() != 0:
            raise SystemExit(f"groeitabel voor {db} mislukt")
        ntables[db] = str(out)
    return ntables


def run_load(port: int, quick: bool) -> None:
    env = env_for(port, datasets(quick)[0][0], BENCH_USERS=str(WORK / "users.json"))
    manage(env, "collectstatic", "--no-input", "-v0")
    print("== verify_audit", flush=True)
    verify_s = manage(env, "verify_audit")
    if spawn(["-m", "bench.prepare", str(WORK / "users.json")], env).wait() != 0:
        raise SystemExit("voorbereiden mislukt")
    runs = load_runs(env, quick)
    users = json.loads((WORK / "users.json").read_text())["users"]
    meta = {
        "quick": quick,
        "accounts": {
            u["username"]: {"pages": u["pages"], "left_out": u["left_out"]} for u in users
        },
        "verify_audit_s": verify_s,
        "runs": runs,
        "ntables": growth(port, quick),
        "app_servers": {
            "instances": 2,
            "workers": os.environ.get("BENCH_WORKERS", "2"),
            "threads": os.environ.get("BENCH_THREADS", "4"),
        },
        "data": json.loads((WORK / "data.json").read_text()),
    }
    from bench.report import write_report

    write_report(meta)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["data", "load"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.step == "data":
        build_data(args.port, args.quick)
    else:
        run_load(args.port, args.quick)


if __name__ == "__main__":
    main()
