"""What monitoring costs: the answer times of /healthz, /readyz and /metrics, and what the
metrics add to a command and to a page.

    python bench/monitoring.py                  # 300 requests per address
    python bench/monitoring.py --requests 1000

Setup: the demo event in SQLite in a new temporary directory; ``ptghub serve`` in a
subprocess on 127.0.0.1 (its own process, as an operator runs it). One client (httpx,
one kept-alive connection) asks each address in turn, ``--requests`` times, after 20
warm-up requests: p50/p99 in milliseconds. The API command is ``#nova now ...`` with a
token made beforehand, timed the same way. ``ptghub_command_duration_seconds`` then
gives the server's own view of the commands (sum/count: the mean in the store) and
``ptghub_db_queries_total`` the statements the whole run sent.

Baseline: ``/healthz``, the cheapest answer through the whole stack (uvicorn, the
middleware, the metrics' own bookkeeping). Target: ``/readyz`` (a query) and ``/metrics``
(every metric rendered, the outbox counted) each within 3 times its p50: a probe every
few seconds must cost nothing worth noticing. ``PASS``/``FAIL``; exit status 1 on ``FAIL``.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

SRC = Path(__file__).resolve().parents[1] / "src"
SLUG = "ptg-2022-04"
TARGET = 3.0  # /readyz and /metrics p50 over /healthz's


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ptghub(data: Path, *args: str, **kwargs: object) -> subprocess.Popen[str]:
    env = os.environ | {
        "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        # One token writes every command of the run: no rate limit in the way.
        "PTGHUB_WEB_WRITES_PER_TOKEN": "1000000/60/1000000",
    }
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "ptghub", "--data-dir", str(data), *args],
        env=env,
        text=True,
        **kwargs,
    )


def timed(client: httpx.Client, method: str, path: str, n: int, **kw: object) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.request(method, path, **kw)  # type: ignore[arg-type]
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code < 400, (path, response.status_code, response.text[:200])
    return times


def line(name: str, times: list[float]) -> str:
    p99 = sorted(times)[max(0, int(len(times) * 0.99) - 1)]
    return f"{name:<28} p50 {statistics.median(times):7.2f} ms   p99 {p99:7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    n = parser.parse_args().requests
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        assert ptghub(data, "demo", "--no-serve", stdout=subprocess.DEVNULL).wait() == 0
        made = ptghub(data, "token", "create", "--for", "nova-chair", stdout=subprocess.PIPE)
        out, _ = made.communicate()
        secret = out.strip().splitlines()[-1].strip()
        port = free_port()
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        server = ptghub(data, "serve", "--port", str(port), **quiet)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30.0) as client:
                deadline = time.monotonic() + 60
                while True:
                    try:
                        client.get("/healthz")
                        break
                    except httpx.TransportError:
                        assert time.monotonic() < deadline, "ptghub serve did not start"
                        time.sleep(0.1)
                print(f"load average {os.getloadavg()[0]:.2f}; {n} requests per line")
                p50 = {}
                for path in ("/healthz", "/readyz", "/metrics", f"/events/{SLUG}/board"):
                    timed(client, "GET", path, 20)
                    times = timed(client, "GET", path, n)
                    p50[path] = statistics.median(times)
                    print(line(path, times))
                command = f"/api/v1/events/{SLUG}/commands"
                auth = {"Authorization": f"Bearer {secret}"}
                times = [
                    timed(
                        client, "POST", command, 1, json={"text": f"#nova now T{i}"}, headers=auth
                    )[0]
                    for i in range(n)
                ]
                print(line("POST commands (API)", times))
                text = client.get("/metrics").text
        finally:
            server.terminate()
            server.wait(30)
    values = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    api = (("frontend", "api"), ("kind", "run"), ("outcome", "applied"))
    total = values[("ptghub_command_duration_seconds_sum", api)]
    count = values[("ptghub_command_duration_seconds_count", api)]
    print(
        f"store.run as the server saw it: {count:.0f} commands, mean {total / count * 1000:.2f} ms"
    )
    queries = values[("ptghub_db_queries_total", (("backend", "sqlite"),))]
    print(f"database statements of the whole run: {queries:.0f}")
    ratios = {path: p50[path] / p50["/healthz"] for path in ("/readyz", "/metrics")}
    passed = all(ratio <= TARGET for ratio in ratios.values())
    shown = ", ".join(f"{path} {ratio:.2f}x" for path, ratio in ratios.items())
    print(f"{'PASS' if passed else 'FAIL'}: {shown} /healthz's p50 (target: {TARGET:.0f}x)")
    if not passed:
        sys.exit(1)


if __name__ == "__main__":
    main()
