"""How long ``ptghub cmd`` makes a person wait, against starting Python at all.

Usage: ``python bench/cli.py [--rounds 7] [--compare OTHER/src]``

Each round runs, as separate processes: ``python -c pass`` (the baseline: the
interpreter's own start), ``ptghub cmd help`` (a read: the command runs, nothing is
written), ``ptghub cmd --as nova-chair '#nova now ...'`` (a change: one transaction with
its audit row), ``python -c 'import ptghub.cli'`` (the imports alone, to show where
the time goes) and ``python -c 'import sqlalchemy, pydantic_settings, typer'`` (the floor:
what the chosen stack's libraries cost to import before ptghub runs a line). The
database is a fresh SQLite file in a temporary directory holding the demo event, at the
newest schema. The children compile to a private bytecode cache (``PYTHONPYCACHEPREFIX``),
warmed up first, as an installed ptghub would have.

The table gives, per command, the median wall time and the median CPU time (user +
system) of the rounds, and each over the baseline. Target: each ``cmd`` within 0.3 s of
the baseline (the issue: "under 0.3 s on an idle machine"). The verdict is taken on CPU
time, which on an idle machine is the wall time (one thread, no waiting on the disk but
the commit's flush) and which other processes on a busy machine inflate less than the
wall time; both are printed with the load average. Exit status 1 on ``FAIL``.

``--compare DIR`` also times both commands with the ptghub sources in ``DIR`` (another
checkout's ``src``, e.g. before a change) in the same rounds, on its own copy of the
database: a before/after ratio that a busy machine distorts far less than the seconds.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
TARGET = 0.3  # seconds over the baseline
# Every ``ptghub cmd`` imports these (the store, the settings, the command line).
STACK = "import sqlalchemy, pydantic_settings, typer"


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process; it must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _env(src: Path, tmp: Path, prefix: str) -> dict[str, str]:
    """The children's environment: ``src`` first on the path, a bytecode cache of their
    own, a data directory of their own, no settings from the caller."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in env.items() if not k.startswith("PTGHUB_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH", "")]))
    env["PYTHONPYCACHEPREFIX"] = str(tmp / f"{prefix}pycache")
    env["PTGHUB_DATA_DIR"] = str(tmp / f"{prefix}data")
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--compare", type=Path, help="another ptghub's src directory")
    options = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="ptghub-bench-cli-") as tmp:
        env = _env(SRC, Path(tmp), "")
        ptghub = [python, "-m", "ptghub"]
        run([*ptghub, "demo", "--no-serve"], env)  # the database, and the bytecode cache
        change = ["cmd", "--as", "nova-chair", "#nova now Placement API"]
        cases: dict[str, tuple[list[str], dict[str, str]]] = {
            "python -c pass": ([python, "-c", "pass"], env),
            "ptghub cmd help (read)": ([*ptghub, "cmd", "help"], env),
            "ptghub cmd #nova now (change)": ([*ptghub, *change], env),
            "import ptghub.cli": ([python, "-c", "import ptghub.cli"], env),
            "floor: the stack's imports": ([python, "-c", STACK], env),
        }
        if options.compare is not None:
            other = _env(options.compare.resolve(), Path(tmp), "other-")
            run([*ptghub, "demo", "--no-serve"], other)
            cases["compared: cmd help (read)"] = ([*ptghub, "cmd", "help"], other)
            cases["compared: cmd #nova now (change)"] = ([*ptghub, *change], other)
        for args, case_env in cases.values():
            run(args, case_env)  # warm-up: caches, bytecode
        load_before = os.getloadavg()[0]
        walls: dict[str, list[float]] = {name: [] for name in cases}
        cpus: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(options.rounds):
            for name, (args, case_env) in cases.items():  # alternating: same noise for all
                wall, cpu = run(args, case_env)
                walls[name].append(wall)
                cpus[name].append(cpu)
        load_after = os.getloadavg()[0]
    wall = {name: statistics.median(v) for name, v in walls.items()}
    cpu = {name: statistics.median(v) for name, v in cpus.items()}
    base_wall, base_cpu = wall["python -c pass"], cpu["python -c pass"]
    print(f"Python {sys.version.split()[0]}, {options.rounds} rounds, medians")
    print(f"load average {load_before:.2f} at the start, {load_after:.2f} at the end")
    print(f"{'':34} {'wall s':>8} {'over':>8} {'cpu s':>8} {'over':>8}")
    for name in cases:
        print(
            f"{name:34} {wall[name]:8.3f} {wall[name] - base_wall:8.3f} "
            f"{cpu[name]:8.3f} {cpu[name] - base_cpu:8.3f}"
        )
    if options.compare is not None:
        for what in ("cmd help (read)", "cmd #nova now (change)"):
            ours, theirs = cpu[f"ptghub {what}"], cpu[f"compared: {what}"]
            print(f"{what}: {ours / theirs:.0%} of the compared sources' CPU time")
    floor = cpu["floor: the stack's imports"] - base_cpu
    print(f"floor: '{STACK}' alone takes {floor:.3f} s of CPU over the baseline")
    failed = False
    for name in ("ptghub cmd help (read)", "ptghub cmd #nova now (change)"):
        over = cpu[name] - base_cpu
        verdict = "PASS" if over <= TARGET else "FAIL"
        failed = failed or verdict == "FAIL"
        print(f"{verdict}: {name} takes {over:.3f} s of CPU over the baseline (target {TARGET} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
