"""What the dashboard's charts cost: render time, pygal's import time and installed size.

    python bench/charts.py            # 20 rounds of each chart
    python bench/charts.py --quick    # 5 rounds (the Makefile's BENCHMARKS)

Each chart kind of ``ptghub.charts`` at the demo's size (40 teams, 5 days x 24 hours)
and at three times it (120 teams, 15 days x 72 columns of the heatmap, 360 points of
the time series): the median and the slowest of the rounds after one warm-up, in ms,
against a baseline measured in the same run, the same data written as CSV
(``Chart.csv()``): the ratio says what drawing costs over merely handing out the
figures. Then pygal's import time (the median of fresh interpreters, ``import pygal``
against ``import ptghub.charts``, which does not import pygal until a chart is drawn)
and the installed size pygal adds: the files of its distribution and of the ones it
requires, as their RECORDs list them.

Target: each chart at the demo's size in under 100 ms (median), so a dashboard of five
charts renders in well under a second (``PASS``/``FAIL``, exit status 1 on ``FAIL``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

try:
    import ptghub  # noqa: F401
except ImportError:  # run from a checkout without installing: use its src/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ptghub.charts import Chart, bars, heatmap, timeseries

TARGET_MS = 100.0
SRC = str(Path(__file__).resolve().parents[1] / "src")


def cases(scale: int) -> list[tuple[str, Callable[[], Chart]]]:
    """The charts of the dashboard, ``scale`` times the demo's size."""
    teams = [f"Team {n:03d}" for n in range(40 * scale)]
    days = [f"Day {n + 1}" for n in range(5 * scale)]
    hours = [f"{h % 24:02d}:00" for h in range(24 * scale)]
    labels = [f"{day} {hour}" for day in days[:5] for hour in hours[:24]] * scale * scale
    labels = [f"{n:04d} {label}" for n, label in enumerate(labels[: 120 * scale])]
    share = [[((r * 7 + c * 3) % 11) / 10 for c in range(len(hours))] for r in range(len(days))]
    hours_series = [
        (name, [float((i * k) % 17) + 0.5 for i in range(len(teams))])
        for k, name in enumerate(("wanted", "planned", "booked extra", "used"), start=3)
    ]
    people = [("people", [(i * 13) % 90 for i in range(len(labels))])]
    return [
        (
            f"heatmap {len(days)} x {len(hours)}",
            lambda: heatmap(
                "utilization", "t", "d", rows=days, columns=hours, values=share, legend="used"
            ),
        ),
        (
            f"bars {len(teams)} x 4, grouped",
            lambda: bars("hours", "t", "d", categories=teams, series=hours_series, unit="h"),
        ),
        (
            f"bars {len(teams)} x 2, stacked",
            lambda: bars(
                "hours", "t", "d", categories=teams, series=hours_series[:2], unit="h", stacked=True
            ),
        ),
        (
            f"time series {len(labels)} x 1",
            lambda: timeseries("checkins", "t", "d", labels=labels, series=people, unit="people"),
        ),
    ]


def measure(make: Callable[[], Chart], rounds: int) -> tuple[float, float, float, int]:
    """Median and slowest ms of drawing, median ms of the CSV, the SVG's bytes."""
    chart = make()  # warm-up: imports pygal, fills caches
    drawn, written = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        chart = make()
        drawn.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        chart.csv()
        written.append((time.perf_counter() - start) * 1000)
    return statistics.median(drawn), max(drawn), statistics.median(written), len(chart.svg)


def import_ms(module: str, rounds: int) -> float:
    """The median ms of importing ``module`` in a fresh interpreter."""
    code = (
        "import time; s = time.perf_counter(); import " + module + "; "
        "print((time.perf_counter() - s) * 1000)"
    )
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
            ).stdout
        )
        for _ in range(rounds)
    ]
    return statistics.median(times)


def installed(name: str, seen: set[str] | None = None) -> list[tuple[str, str, int]]:
    """(distribution, version, bytes) of ``name`` and, depth first, what it requires."""
    seen = set() if seen is None else seen
    dist = metadata.distribution(name)
    key = dist.metadata["Name"].lower().replace("_", "-")
    if key in seen:
        return []
    seen.add(key)
    size = sum(
        (f.size or 0) if f.size is not None else _size(dist.locate_file(f))
        for f in dist.files or []
    )
    found = [(dist.metadata["Name"], dist.version, size)]
    for requirement in dist.requires or []:
        if "extra ==" in requirement:
            continue
        required = requirement.split(";")[0].split("[")[0]
        for stop in "<>=!~ (":
            required = required.split(stop)[0]
        found += installed(required.strip(), seen)
    return found


def _size(path: object) -> int:
    try:
        return Path(str(path)).stat().st_size
    except OSError:
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=None, help="rounds per chart (20)")
    parser.add_argument("--quick", action="store_true", help="5 rounds, 3 imports")
    args = parser.parse_args()
    rounds = args.rounds or (5 if args.quick else 20)
    print(f"load average at start: {os.getloadavg()[0]:.2f}; {rounds} rounds per chart")
    print(f"{'chart':<32}{'median ms':>10}{'max ms':>9}{'csv ms':>9}{'ratio':>8}{'svg kB':>9}")
    failed = []
    for scale in (1, 3):
        for name, make in cases(scale):
            median, slowest, csv_ms, size = measure(make, rounds)
            label = f"{name} ({'demo' if scale == 1 else '3x'})"
            ratio = median / csv_ms if csv_ms else float("inf")
            print(
                f"{label:<32}{median:>10.1f}{slowest:>9.1f}{csv_ms:>9.2f}{ratio:>8.0f}"
                f"{size / 1000:>9.1f}"
            )
            if scale == 1 and median > TARGET_MS:
                failed.append(f"{label}: {median:.1f} ms (target {TARGET_MS:.0f} ms)")
    imports = 3 if args.quick else 7
    pygal_ms, charts_ms = import_ms("pygal", imports), import_ms("ptghub.charts", imports)
    print(
        f"\nimport pygal: {pygal_ms:.0f} ms; import ptghub.charts (pygal not yet): "
        f"{charts_ms:.0f} ms (medians of {imports} fresh interpreters)"
    )
    dists = installed("pygal")
    print("installed size:")
    for dist_name, version, size in dists:
        print(f"  {dist_name} {version}: {size / 1e6:.2f} MB")
    print(f"  total: {sum(size for _, _, size in dists) / 1e6:.2f} MB")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    for line in failed:
        print(f"FAIL: {line}")
    if not failed:
        print(f"PASS: every chart at the demo's size in under {TARGET_MS:.0f} ms")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
