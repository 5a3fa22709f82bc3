"""Slack notifications for an incident, through an incoming webhook (`slack_sdk.webhook.WebhookClient`).

The webhook URL is a secret: it is read from an environment variable (default
`DBT_INCIDENT_SLACK_WEBHOOK_URL`; the config file may name another one with
`notify: {slack_webhook_url_env: NAME}`), never from the config file itself, and it is never printed,
written to the record, the timeline, a report or a log: error texts pass through `mask_url`, and
slack_sdk's own logger (which logs URLs at debug level) is disabled for the client used here.

Delivery retries HTTP 429 (waiting `Retry-After` seconds) and 5xx / connection errors (exponential
backoff), at most `max_attempts` times, each wait capped at `max_wait_seconds`. Every attempt's outcome is
recorded in the incident timeline as one `notification` event; a failure raises `NotificationFailed` after
it has been recorded, so the incident itself is never lost.

Config (`dbt-incident.yml`, all optional):

```yaml
notify:
  slack_webhook_url_env: DBT_INCIDENT_SLACK_WEBHOOK_URL   # the variable holding the URL
  max_attempts: 4          # attempts in all, first one included
  backoff_seconds: 1.0     # first wait after a 5xx; doubles each time
  max_wait_seconds: 30     # cap of every wait, Retry-After included (seconds)
  timeout_seconds: 10      # per HTTP request (seconds)
```
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dbt_incident.config import ProjectConfig
from dbt_incident.errors import ConfigError, NotificationFailed
from dbt_incident.incident_record import Incident, checklist_state, record_event, timeline
from dbt_incident.render.formatting import duration_text, one_line
from dbt_incident.timeline import TimelineEvent, format_time, utc_now

DEFAULT_URL_ENV = "DBT_INCIDENT_SLACK_WEBHOOK_URL"
EVENTS = ("opened", "update", "resolved")
MASK = "***"
_SECTION_LIMIT = 2900  # Slack: a section's text is at most 3000 characters
_HEADER_LIMIT = 150  # Slack: a header's plain_text is at most 150 characters
_LISTED_FAILURES = 5


@dataclass(frozen=True)
class NotifySettings:
    """The `notify:` section: the env var holding the URL, attempts, waits (seconds) and request timeout."""

    url_env: str = DEFAULT_URL_ENV
    max_attempts: int = 4
    backoff_seconds: float = 1.0
    max_wait_seconds: float = 30.0
    timeout_seconds: float = 10.0


@dataclass(frozen=True)
class Delivery:
    """The outcome of a notification: delivered or not, attempts made, last HTTP status, a masked detail."""

    delivered: bool
    attempts: int
    status: int | None
    detail: str


def notify_settings(config: ProjectConfig) -> NotifySettings:
    """Read the `notify:` section of the project config.

    Raises:
        ConfigError: the section is not a mapping, holds the URL itself (`slack_webhook_url`: secrets
            belong in the environment), or a number is not a positive number (names file and field).
    """
    section = config.sections.get("notify") or {}
    where = f"{config.path or 'dbt-incident.yml'}: notify"
    if not isinstance(section, Mapping):
        raise ConfigError(f"{where}: expected a mapping")
    if "slack_webhook_url" in section:
        raise ConfigError(
            f"{where}.slack_webhook_url: the webhook URL is a secret and must not be in the config file; "
            "put it in an environment variable and name it with notify.slack_webhook_url_env"
        )
    env_name = str(section.get("slack_webhook_url_env") or DEFAULT_URL_ENV)
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env_name):
        raise ConfigError(f"{where}.slack_webhook_url_env is {env_name!r}, not an environment variable name")
    numbers: dict[str, float] = {}
    defaults = NotifySettings()
    for name in ("max_attempts", "backoff_seconds", "max_wait_seconds", "timeout_seconds"):
        value = section.get(name, getattr(defaults, name))
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = -1.0
        if number < 0 or (name in ("max_attempts", "timeout_seconds") and number <= 0):
            raise ConfigError(f"{where}.{name} is {value!r}, expected a positive number")
        numbers[name] = number
    return NotifySettings(
        url_env=env_name,
        max_attempts=int(numbers["max_attempts"]),
        backoff_seconds=numbers["backoff_seconds"],
        max_wait_seconds=numbers["max_wait_seconds"],
        timeout_seconds=numbers["timeout_seconds"],
    )


def mask_url(text: str, url: str | None) -> str:
    """Replace the webhook URL, its secret path, its host:port and any long prefix of a secret segment
    anywhere in `text` with `***` (mask before cutting text short: a cut URL must not leak its head)."""
    if not url:
        return text
    masked = text.replace(url, MASK)
    authority = re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://([^/]*)", url)
    if authority and authority.group(1):
        masked = masked.replace(authority.group(1), MASK)
    path = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*", "", url)
    if len(path.strip("/")) >= 4:
        masked = masked.replace(path, MASK)
        for segment in path.split("/"):
            if len(segment) >= 8:  # webhook tokens; short segments like "services" are not secret
                masked = masked.replace(segment, MASK)
            if (
                len(segment) >= 12
            ):  # the secret token: also a truncated echo of it (its first 8 characters on)
                masked = re.sub(re.escape(segment[:8]) + r"[A-Za-z0-9_-]*", MASK, masked)
    return masked


def webhook_url(settings: NotifySettings, environ: Mapping[str, str] | None = None) -> str:
    """The webhook URL from the environment.

    Raises:
        ConfigError: the variable is unset or empty, or the value is not an http(s) URL (the message
            names the variable, never the value).
    """
    environ = os.environ if environ is None else environ
    url = (environ.get(settings.url_env) or "").strip()
    if not url:
        raise ConfigError(
            f"notify: environment variable {settings.url_env} is not set (the Slack webhook URL)"
        )
    if not re.match(r"^https?://[^/\s]+/", url):
        raise ConfigError(f"notify: environment variable {settings.url_env} does not hold an http(s) URL")
    return url


# ---------------------------------------------------------------- messages


def _escape(text: str) -> str:
    """Escape Slack mrkdwn control characters (`&`, `<`, `>`) in text from the record."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(text: str) -> dict[str, Any]:
    if len(text) > _SECTION_LIMIT:
        text = text[: _SECTION_LIMIT - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def what_broke_lines(incident: Incident) -> list[str]:
    """One line per root failure (first five, then a count): node, test, rows, classification."""
    lines = []
    for failure in incident.failures[:_LISTED_FAILURES]:
        detail = f"{failure.kind} / {failure.cause}"
        if failure.test_name:
            target = (failure.tested_node or "").rsplit(".", 1)[-1]
            column = f".{failure.column_name}" if failure.column_name else ""
            rows = f", {failure.failing_rows} failing rows" if failure.failing_rows is not None else ""
            lines.append(
                f"`{failure.name}`: test `{failure.test_name}` on `{target}{column}`{rows} ({detail})"
            )
        else:
            lines.append(f"`{failure.name}` ({failure.resource_type}) {failure.status}: {detail}")
    if len(incident.failures) > _LISTED_FAILURES:
        lines.append(f"… and {len(incident.failures) - _LISTED_FAILURES} more root failure(s)")
    return lines


def impact_lines(incident: Incident, impact_notes: list[str]) -> list[str]:
    """Exposures with owners, downstream counts, affected node count, and the responders' impact notes."""
    lines = []
    if incident.exposures:
        lines.append(
            "Exposures: "
            + ", ".join(
                f"{item.name} ({item.type or 'exposure'}, owner: {item.owner or 'unknown'})"
                for item in incident.exposures
            )
        )
    if incident.downstream_counts:
        lines.append(
            "Downstream: "
            + ", ".join(f"{count} {kind}" for kind, count in sorted(incident.downstream_counts.items()))
        )
    if incident.affected_nodes:
        lines.append(f"Affected tables: {len(incident.affected_nodes)}")
    lines += [f"Reported: {note}" for note in impact_notes]
    return lines or ["Not assessed yet."]


def build_message(
    incident: Incident,
    event: str,
    *,
    message: str | None = None,
    events: list[TimelineEvent] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The Slack payload (`text` fallback + Block Kit `blocks`) for an `opened`, `update` or `resolved` event.

    Args:
        incident: the record.
        event: opened | update | resolved.
        message: a free text for updates (default: the latest note of the timeline).
        events: the timeline (read from the folder when None).
        now: for the elapsed time of open incidents (UTC).

    Raises:
        ConfigError: an unknown event, or `resolved` for an incident that is still open.
    """
    if event not in EVENTS:
        raise ConfigError(f"notify: event is {event!r}, expected one of {', '.join(EVENTS)}")
    if event == "resolved" and incident.is_open:
        raise ConfigError(
            f"notify resolved: incident {incident.id} is still open (run `dbt-incident resolve` first)"
        )
    events = timeline(incident)[0] if events is None else events
    notes = [item for item in events if item.kind in ("note", "what", "when", "who", "impact")]
    title = _escape(one_line(incident.title, 120))
    elapsed = duration_text(incident.elapsed_seconds(now))
    minutes = round(incident.elapsed_seconds(now) / 60)
    what = [_escape(line) for line in what_broke_lines(incident)] or ["See the incident record."]
    impact = [_escape(line) for line in impact_lines(incident, [n.text for n in notes if n.kind == "impact"])]
    if event == "opened":
        emoji, heading = "🚨", f"{incident.severity} incident: {one_line(incident.title, 120)}"
        fallback = f"🚨 {incident.severity} Incident: {one_line(incident.title, 200)}. Investigating."
        fields = [
            f"*Severity*\n{incident.severity}",
            "*Status*\nInvestigating",
            f"*Started*\n{format_time(incident.started_at)}",
            f"*Incident*\n{incident.id}",
        ]
        body = [_section("*What broke*\n" + "\n".join(f"• {line}" for line in what))]
        body.append(_section("*Impact*\n" + "\n".join(f"• {line}" for line in impact)))
        if incident.severity_reason:
            body.append(
                _section(f"*Why {incident.severity}*\n{_escape(one_line(incident.severity_reason, 500))}")
            )
    elif event == "update":
        update = message or (notes[-1].text if notes else "Investigation continues.")
        done = sum(state.done for state in checklist_state(incident, events))
        emoji, heading = "🔎", f"{incident.severity} incident update: {one_line(incident.title, 110)}"
        fallback = f"🔎 {incident.severity} incident update ({title}): {one_line(update, 300)}"
        fields = [
            f"*Severity*\n{incident.severity}",
            f"*Status*\n{'Investigating' if incident.is_open else 'Resolved'}",
            f"*Elapsed*\n{elapsed}",
            f"*Validation*\n{done} of {len(checklist_state(incident, events))} checks done",
        ]
        body = [_section("*Update*\n" + _escape(update))]
        body.append(_section("*Impact*\n" + "\n".join(f"• {line}" for line in impact)))
    else:
        root_cause = incident.root_cause or "not recorded"
        emoji, heading = "✅", f"Incident resolved: {one_line(incident.title, 120)}"
        fallback = (
            f"✅ Incident resolved. Duration: {minutes} minutes.\nRoot cause: {one_line(root_cause, 300)}\n"
            "Status: All systems operational"
        )
        fields = [
            f"*Severity*\n{incident.severity}",
            f"*Duration*\n{minutes} minutes ({elapsed})",
            f"*Started*\n{format_time(incident.started_at)}",
            f"*Resolved*\n{format_time(incident.resolved_at) if incident.resolved_at else '?'}",
        ]
        body = [_section("*Root cause*\n" + _escape(root_cause))]
        body.append(_section("*Resolution*\n" + _escape(incident.resolution or "not recorded")))
        body.append(_section("*What broke*\n" + "\n".join(f"• {line}" for line in what)))
        body.append(_section("*Status*\nAll systems operational"))
    context = f"{incident.id} · responders: {_escape(', '.join(incident.responders) or 'none recorded')}"
    if incident.invocation_id:
        context += f" · dbt invocation {incident.invocation_id}"
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": f"{emoji} {heading}"[:_HEADER_LIMIT]}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": field[:1900]} for field in fields]},
        *body,
        {"type": "context", "elements": [{"type": "mrkdwn", "text": context[:1900]}]},
    ]
    return {"text": fallback, "blocks": blocks}


# ---------------------------------------------------------------- delivery


def _retry_after(headers: Mapping[str, Any] | None) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds form), or None."""
    if not headers:
        return None
    for key, value in headers.items():
        if str(key).lower() == "retry-after":
            raw = value[0] if isinstance(value, list) and value else value
            try:
                return max(float(str(raw).strip()), 0.0)
            except ValueError:
                return None
    return None


def post(
    payload: Mapping[str, Any],
    url: str,
    settings: NotifySettings,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """POST `payload` to the webhook, retrying 429 (after Retry-After) and 5xx / connection errors.

    Waits: `Retry-After` for 429 when present, else `backoff_seconds * 2**(attempt-1)`; each capped at
    `max_wait_seconds`. Other 4xx (403 invalid_token, 404 no_service, 400 invalid_payload) are final.

    Returns:
        A `Delivery`; its `detail` never contains the URL.
    """
    from slack_sdk.webhook import WebhookClient

    quiet = logging.getLogger("dbt_incident.notify.slack_sdk")
    quiet.disabled = True  # slack_sdk logs the URL at debug level; this client never logs
    client = WebhookClient(
        url, timeout=int(max(settings.timeout_seconds, 1)), logger=quiet, retry_handlers=[]
    )
    attempts, status, detail = 0, None, "not attempted"
    for attempt in range(1, settings.max_attempts + 1):
        attempts = attempt
        wait: float | None = None
        try:
            response = client.send_dict(dict(payload))
        except Exception as error:  # connection refused, timeout, TLS: transient unless the URL is bad
            status = None
            detail = one_line(mask_url(f"{type(error).__name__}: {error}", url), 200)
            retryable = type(error).__name__ != "SlackRequestError"
        else:
            status = response.status_code
            if 200 <= status < 300:
                return Delivery(True, attempt, status, f"HTTP {status}")
            detail = one_line(mask_url(f"HTTP {status}: {response.body or 'no body'}", url), 200)
            retryable = status == 429 or status >= 500
            if status == 429:
                wait = _retry_after(response.headers)
        if not retryable or attempt == settings.max_attempts:
            break
        if wait is None:
            wait = settings.backoff_seconds * 2 ** (attempt - 1)
        sleep(min(wait, settings.max_wait_seconds))
    return Delivery(False, attempts, status, detail)


def notify(
    incident: Incident,
    event: str,
    settings: NotifySettings,
    *,
    message: str | None = None,
    environ: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    now: datetime | None = None,
) -> Delivery:
    """Build the message, post it, and record the outcome in the incident timeline.

    Raises:
        ConfigError: unknown event / resolved while open (nothing recorded: nothing was attempted).
        NotificationFailed: no URL, or delivery failed after retries (recorded in the timeline first).
    """
    payload = build_message(incident, event, message=message, now=now)
    try:
        url = webhook_url(settings, environ)
    except ConfigError as error:
        delivery = Delivery(False, 0, None, str(error))
    else:
        delivery = post(payload, url, settings, sleep=sleep)
    if delivery.delivered:
        outcome = f"delivered (attempt {delivery.attempts})"
    elif delivery.attempts:
        outcome = f"FAILED after {delivery.attempts} attempt(s): {delivery.detail}"
    else:
        outcome = f"not sent: {delivery.detail}"
    text = f"Slack notification '{event}' {outcome}"
    if message:
        text += f" — {one_line(message, 200)}"
    record_event(
        incident,
        TimelineEvent(
            (now or utc_now()).replace(microsecond=0),
            "notification",
            text,
            data={
                "channel": "slack",
                "event": event,
                "delivered": delivery.delivered,
                "attempts": delivery.attempts,
                "status": delivery.status,
            },
        ),
    )
    if not delivery.delivered:
        raise NotificationFailed(
            f"Slack notification '{event}' for {incident.id} {outcome.replace('FAILED', 'failed')} "
            "(recorded in the timeline; the incident is unchanged)"
        )
    return delivery


def default_event(incident: Incident) -> str:
    """`resolved` for a resolved incident, `opened` when nothing was delivered yet, else `update`."""
    if not incident.is_open:
        return "resolved"
    events, _ = timeline(incident)
    sent = any(item.kind == "notification" and item.data.get("delivered") is True for item in events)
    return "update" if sent else "opened"
