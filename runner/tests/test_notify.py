"""Slack notifications through a local webhook server: messages, retries, failures, and secrecy of the URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from incident_fixtures import WebhookServer, write_failing_run

from dbt_incident.cli import cli
from dbt_incident.config import ProjectConfig, load_project_config
from dbt_incident.errors import ConfigError, NotificationFailed
from dbt_incident.incident_record import add_note, load_incident, open_incident, resolve_incident
from dbt_incident.notify import (
    DEFAULT_URL_ENV,
    NotifySettings,
    build_message,
    mask_url,
    notify,
    notify_settings,
)
from dbt_incident.session import load_triage
from dbt_incident.timeline import read_timeline

OPENED = datetime(2026, 11, 30, 2, 14, 7, tzinfo=timezone.utc)
SECRET_PATH = "/services/T0SECRET1/B0SECRET2/xoxSecretToken123456"
FAST = NotifySettings(max_attempts=4, backoff_seconds=1.0, max_wait_seconds=30.0, timeout_seconds=5.0)


@pytest.fixture
def server() -> Iterator[WebhookServer]:
    webhook = WebhookServer().start()
    yield webhook
    webhook.stop()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_failing_run(tmp_path / "target")
    (tmp_path / "dbt-incident.yml").write_text("notify:\n  backoff_seconds: 0.01\n  max_wait_seconds: 0.05\n")
    return tmp_path


@pytest.fixture
def incident(project: Path):
    return open_incident(
        project / "incidents",
        result=load_triage(project, None),
        responders=["alice"],
        snapshot_from=project / "target",
        now=OPENED,
    )


def texts(payload: dict) -> str:
    """Every text of a payload, blocks included, as one string."""
    return json.dumps(payload, ensure_ascii=False)


def test_opened_message_carries_severity_what_broke_and_impact(incident) -> None:
    add_note(incident.folder.parent, "Leadership KPI deck shows revenue 30% low", kind="impact", author="bob")
    payload = build_message(load_incident(incident.folder), "opened")
    assert payload["text"] == "🚨 P1 Incident: test_failure in not_null_fct_orders_amount. Investigating."
    header, fields, *sections, context = payload["blocks"]
    assert header["type"] == "header" and header["text"]["text"].startswith("🚨 P1 incident:")
    assert [field["text"] for field in fields["fields"]][:2] == ["*Severity*\nP1", "*Status*\nInvestigating"]
    what, impact, why = (section["text"]["text"] for section in sections)
    assert "`not_null_fct_orders_amount`: test `not_null` on `fct_orders.amount`, 42 failing rows" in what
    # owners are escaped for Slack mrkdwn (a raw `<...>` would be read as a link)
    assert (
        "executive_kpi_dashboard (dashboard, owner: Analytics Engineering &lt;analytics@example.com&gt;)"
        in impact
    )
    assert "Downstream: 1 exposure, 1 model, 1 test" in impact
    assert "Reported: Leadership KPI deck shows revenue 30% low" in impact
    assert why.startswith("*Why P1*") and "failing_test_feeds_exposure" in why
    assert "alice, bob" in context["elements"][0]["text"]


def test_resolved_message_carries_duration_and_root_cause(incident) -> None:
    with pytest.raises(ConfigError, match="still open"):
        build_message(incident, "resolved")
    resolved = resolve_incident(
        incident.folder.parent,
        root_cause="Orders export sent empty amounts",
        resolution="Cast to null in stg_orders & backfilled",
        now=datetime(2026, 11, 30, 3, 1, 7, tzinfo=timezone.utc),
    )
    payload = build_message(resolved, "resolved")
    assert payload["text"] == (
        "✅ Incident resolved. Duration: 47 minutes.\nRoot cause: Orders export sent empty amounts\n"
        "Status: All systems operational"
    )
    body = texts(payload)
    assert "*Duration*\\n47 minutes (47 min 00 s)" in body
    assert "*Root cause*\\nOrders export sent empty amounts" in body
    assert "Cast to null in stg_orders &amp; backfilled" in body


def test_retries_429_after_retry_after_and_500_with_backoff_then_delivers(incident, server) -> None:
    server.answer_with([(429, {"Retry-After": "3"}, "rate_limited"), (500, {}, "rollup_error")])
    waits: list[float] = []
    delivery = notify(
        incident, "opened", FAST, environ={DEFAULT_URL_ENV: server.base_url + SECRET_PATH}, sleep=waits.append
    )
    assert (delivery.delivered, delivery.attempts, delivery.status) == (True, 3, 200)
    assert waits == [3.0, 2.0]  # Retry-After honoured; then backoff 1 s * 2**(2-1)
    assert len(server.received) == 3 and all(item.path == SECRET_PATH for item in server.received)
    assert server.received[-1].body["text"].startswith("🚨 P1 Incident")
    assert server.received[-1].headers["content-type"].startswith("application/json")
    events, _ = read_timeline(incident.folder)
    assert events[-1].kind == "notification" and events[-1].data == {
        "channel": "slack",
        "event": "opened",
        "delivered": True,
        "attempts": 3,
        "status": 200,
    }


def test_waits_are_capped_and_attempts_bounded(incident, server) -> None:
    server.answer_with([(429, {"Retry-After": "3600"}, "rate_limited")] + [(503, {}, "unavailable")] * 5)
    waits: list[float] = []
    settings = NotifySettings(max_attempts=3, backoff_seconds=4.0, max_wait_seconds=5.0)
    with pytest.raises(NotificationFailed, match="failed after 3 attempt"):
        notify(
            incident,
            "opened",
            settings,
            environ={DEFAULT_URL_ENV: server.base_url + SECRET_PATH},
            sleep=waits.append,
        )
    assert waits == [5.0, 5.0] and len(server.received) == 3


def test_a_failed_notification_is_recorded_and_never_loses_the_incident(incident, server) -> None:
    before = (incident.folder / "incident.yml").read_text()
    server.answer_with([(500, {}, "rollup_error")] * 4)
    with pytest.raises(NotificationFailed) as raised:
        notify(
            incident,
            "opened",
            FAST,
            environ={DEFAULT_URL_ENV: server.base_url + SECRET_PATH},
            sleep=lambda _: None,
        )
    assert "HTTP 500: rollup_error" in str(raised.value) and "recorded in the timeline" in str(raised.value)
    assert (incident.folder / "incident.yml").read_text() == before
    event = read_timeline(incident.folder)[0][-1]
    assert event.kind == "notification" and event.data["delivered"] is False and event.data["attempts"] == 4
    assert "FAILED after 4 attempt(s): HTTP 500: rollup_error" in event.text


def test_client_errors_are_not_retried(incident, server) -> None:
    server.answer_with([(403, {}, "invalid_token")])
    with pytest.raises(NotificationFailed, match=r"1 attempt.*HTTP 403: invalid_token"):
        notify(
            incident,
            "opened",
            FAST,
            environ={DEFAULT_URL_ENV: server.base_url + SECRET_PATH},
            sleep=lambda _: None,
        )
    assert len(server.received) == 1


def test_a_missing_url_is_a_recorded_one_line_failure(project: Path, incident) -> None:
    outcome = CliRunner().invoke(
        cli,
        ["notify", "opened", "--project-dir", str(project)],
        env={DEFAULT_URL_ENV: ""},
        catch_exceptions=False,
    )
    assert outcome.exit_code == 2 and outcome.stderr.count("\n") == 1
    assert f"environment variable {DEFAULT_URL_ENV} is not set" in outcome.stderr
    assert "not sent" in read_timeline(incident.folder)[0][-1].text


def test_config_names_the_variable_and_refuses_a_url_in_the_file(tmp_path: Path) -> None:
    (tmp_path / "dbt-incident.yml").write_text(
        "notify:\n  slack_webhook_url_env: TEAM_HOOK\n  max_attempts: 2\n"
    )
    settings = notify_settings(load_project_config(tmp_path))
    assert (settings.url_env, settings.max_attempts) == ("TEAM_HOOK", 2)
    with pytest.raises(ConfigError, match="must not be in the config file"):
        notify_settings(
            ProjectConfig(sections={"notify": {"slack_webhook_url": "https://hooks.slack.com/x"}})
        )
    with pytest.raises(ConfigError, match="max_attempts is 'many'"):
        notify_settings(ProjectConfig(sections={"notify": {"max_attempts": "many"}}))


def test_mask_url_hides_the_url_and_its_token_segments() -> None:
    url = "https://hooks.slack.com" + SECRET_PATH
    text = f"Invalid URL detected: {url}; path {SECRET_PATH}; token xoxSecretToken123456"
    masked = mask_url(text, url)
    assert "Secret" not in masked and "T0SECRET1" not in masked and "***" in masked


def test_dry_run_prints_the_payload_and_sends_nothing(project: Path, incident, server) -> None:
    environment = {DEFAULT_URL_ENV: server.base_url + SECRET_PATH}
    outcome = CliRunner().invoke(cli, ["notify", "--dry-run", "--project-dir", str(project)], env=environment)
    assert outcome.exit_code == 0
    payload = json.loads(outcome.stdout)
    assert payload["text"].startswith("🚨 P1 Incident") and payload["blocks"][0]["type"] == "header"
    assert server.received == [] and "Secret" not in outcome.output
    assert [event.kind for event in read_timeline(incident.folder)[0]] == ["run", "run", "run", "opened"]


def test_the_webhook_url_never_appears_in_output_record_timeline_report_or_agenda(
    project: Path, incident, server
) -> None:
    url = server.base_url + SECRET_PATH
    runner = CliRunner()
    outputs = []

    def invoke(*arguments: str) -> int:
        outcome = runner.invoke(cli, [*arguments, "--project-dir", str(project)], env={DEFAULT_URL_ENV: url})
        outputs.append(outcome.output + (outcome.stderr or ""))
        return outcome.exit_code

    assert invoke("notify") == 0  # default event: opened
    server.answer_with([(404, {}, f"no_service for {SECRET_PATH}")])  # a server that echoes the path back
    assert invoke("notify", "update", "--message", "Root cause found") == 2
    assert invoke("--debug", "status") == 0
    assert invoke("resolve", "--root-cause", "bad export", "--resolution", "fixed") == 0
    server.answer_with([(500, {}, "x")] * 4)
    assert invoke("notify", "resolved") == 2
    unreachable = {DEFAULT_URL_ENV: "http://127.0.0.1:9" + SECRET_PATH}  # nothing listens on port 9
    outcome = runner.invoke(cli, ["notify", "resolved", "--project-dir", str(project)], env=unreachable)
    outputs.append(outcome.output + (outcome.stderr or ""))
    assert invoke("report") == 0 and invoke("postmortem") == 0 and invoke("status", "--format", "json") == 0
    written = "".join(path.read_text() for path in sorted(incident.folder.rglob("*")) if path.is_file())
    for secret in ("T0SECRET1", "B0SECRET2", "xoxSecretToken123456", SECRET_PATH):
        assert secret not in written
        assert all(secret not in output for output in outputs), outputs
    # yet the attempts are there, masked
    kinds = [
        (e.data.get("event"), e.data.get("delivered"))
        for e in read_timeline(incident.folder)[0]
        if e.kind == "notification"
    ]
    assert kinds == [("opened", True), ("update", False), ("resolved", False), ("resolved", False)]
    assert "no_service for ***" in written
    assert yaml.safe_load((incident.folder / "incident.yml").read_text())["status"] == "resolved"


def test_mask_url_hides_a_truncated_echo_of_the_token_and_the_host():
    from dbt_incident.notify import mask_url

    url = "https://hooks.example.com:8443/services/T0A1B2C3D4/B0E5F6G7H8/XXSECRETTOKENabcdefghijkl"
    echoed = "404: The requested URL /services/T0A1B2C3D4/B0E5F6G7H8/XXSECRETTOKENabcdefg was not found on hooks.example.com:8443"
    masked = mask_url(echoed, url)
    assert "XXSECRET" not in masked and "T0A1B2C3D4" not in masked and "hooks.example.com:8443" not in masked
    assert masked.startswith("404: The requested URL")
