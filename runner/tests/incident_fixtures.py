"""A small failed run for the incident-lifecycle tests, and a local Slack webhook stand-in.

`write_failing_run(folder)`: manifest v12 + run_results v6 of a `dbt build` where the error-severity test
`not_null_fct_orders_amount` fails on 42 rows of `fct_orders`, which feeds the exposure
`executive_kpi_dashboard` (owner Analytics Engineering) and the model `fct_revenue`; `fct_orders` has a
node owner in `meta`. `WebhookServer`: a threaded HTTP server on 127.0.0.1 that records every request
and answers from a script (for example 429, 500, then 200).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from artifact_builder import PROJECT, data_test, exposure, model, result, source, write_artifacts

FCT_ORDERS = f"model.{PROJECT}.fct_orders"
FAILING_TEST = f"test.{PROJECT}.not_null_fct_orders_amount"


def write_failing_run(folder: Path) -> Path:
    """Write the failed run's artifacts into `folder` (a dbt target folder) and return it."""
    stg = model("stg_orders", [f"source.{PROJECT}.raw.orders"])
    fct = model("fct_orders", [stg["unique_id"]], meta={"owner": "Data Platform <platform@example.com>"})
    revenue = model("fct_revenue", [FCT_ORDERS])
    test = data_test("not_null_fct_orders_amount", "not_null", "fct_orders", "amount")
    results = [
        result(stg["unique_id"], "success", at="2026-11-30T02:00:30Z"),
        result(FCT_ORDERS, "success", at="2026-11-30T02:01:10Z"),
        result(revenue["unique_id"], "success", at="2026-11-30T02:01:40Z"),
        result(
            FAILING_TEST, "fail", "Got 42 results, configured to fail if != 0", 42, at="2026-11-30T02:03:00Z"
        ),
    ]
    dashboard = exposure(
        "executive_kpi_dashboard", [FCT_ORDERS], owner="Analytics Engineering", email="analytics@example.com"
    )
    return write_artifacts(
        folder, [stg, fct, revenue, test], results, sources=[source("raw", "orders")], exposures=[dashboard]
    )


def write_passing_run(folder: Path) -> Path:
    """The same project after the fix: every node and test passes (overwrites the target folder)."""
    stg = model("stg_orders", [f"source.{PROJECT}.raw.orders"])
    fct = model("fct_orders", [stg["unique_id"]])
    test = data_test("not_null_fct_orders_amount", "not_null", "fct_orders", "amount")
    results = [
        result(stg["unique_id"], "success"),
        result(FCT_ORDERS, "success"),
        result(FAILING_TEST, "pass"),
    ]
    for name in ("run_results.json", "manifest.json"):
        (folder / name).unlink(missing_ok=True)
    return write_artifacts(folder, [stg, fct, test], results, sources=[source("raw", "orders")])


@dataclass
class Received:
    """One request the server received: path, headers (lower-case names) and the decoded JSON body."""

    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class WebhookServer:
    """A local stand-in for Slack's incoming webhook. `script` is consumed one answer per request:
    `(status, headers, body)`; when it is empty the server answers `200 ok`."""

    script: list[tuple[int, dict[str, str], str]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def answer_with(self, answers: Iterable[tuple[int, dict[str, str], str]]) -> None:
        self.script[:] = list(answers)

    def start(self) -> WebhookServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                try:
                    body: Any = json.loads(raw)
                except ValueError:
                    body = raw
                owner.received.append(
                    Received(self.path, {key.lower(): value for key, value in self.headers.items()}, body)
                )
                status, headers, text = owner.script.pop(0) if owner.script else (200, {}, "ok")
                payload = text.encode("utf-8")
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:  # silence the default stderr log
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
