"""The rendering of :class:`lgs_cli.review.RecordDiff` (``lgs diff``): plain text,
Markdown for a pull-request comment, and JSON. Text from the minutes is escaped
(control characters; Markdown made inert)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

from .model import due_or_words
from .names import md_escape, sanitize
from .review import SECTIONS, RecordDiff

# -- rendering ---------------------------------------------------------------------

def _short(text: str, width: int = 60) -> str:
    text = " ".join(sanitize(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _names(names: list[str] | None) -> str:
    return ", ".join(names) if names else "-"


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _line(key: str, r: dict[str, Any], code: Callable[[str], str], text: Callable[[str], str],
          dash: str = "--") -> str:
    if key == "meetings_added":
        att = "attendance not recorded" if r["attendees"] is None else _n(r["attendees"], "attendee")
        return (f"{code(r['date'])} ({r['status'] or '?'}): {_n(r['items'], 'item')}, "
                f"{_n(r['decisions'], 'decision')}, {_n(r['actions'], 'action')}, "
                f"{_n(r['followups'], 'follow-up')}, {att}")
    if key == "meetings_removed":
        return f"{code(r['date'])} ({r['status'] or '?'})"
    if key in ("meetings_changed",):
        return f"{code(r['date'])}: {text('; '.join(r['changes']))}"
    if key == "roster":
        return f"{text(r['what'])}: {r['change']}"
    if key == "attendance":
        parts = []
        if r["list"]:
            parts.append(f"attendance list {r['list']}")
        if r["added"]:
            parts.append("added " + text(", ".join(r["added"])))
        if r["removed"]:
            gone = [f"{n} (now absent)" if n in r["now_absent"] else n for n in r["removed"]]
            parts.append("removed " + text(", ".join(gone)))
        if r["organisation_changed"]:
            parts.append("organisation " + text(", ".join(f"{c['name']}: {c['from'] or '-'} -> {c['to'] or '-'}"
                                                          for c in r["organisation_changed"])))
        return f"{code(r['date'])}: {'; '.join(parts)}"
    head = f"{code(r['id'])} {text(_short(r['text']))}"
    if key in ("actions_closed", "deferred_settled"):
        how = f"by {code(r['settled_by'])}" if r.get("settled_by") else ""
        tail = f" ({text(_short(r['closing_note'], 80))})" if r.get("closing_note") else ""
        return f"{head} {dash} {r['status']} at {r['closed_at']} {how}".rstrip() + tail
    if key.endswith("_reassigned"):
        return f"{head} {dash} owner {text(_names(r['from']))} -> {text(_names(r['to']))}"
    if key.endswith("_redated"):
        return f"{head} {dash} {'to' if key == 'deferred_redated' else 'due'} {r['from'] or '-'} -> {r['to'] or '-'}"
    if key.endswith("_carried"):
        return f"{head} {dash} carried at {r['at']} ({r['times']}x in all)"
    if key == "actions_opened":
        words = due_or_words(None, r.get("due_written"))
        due = f", due {r['due']}" if r.get("due") else f", due {text(words)}" if words else ""
        return f"{head} {dash} owner {text(_names(r['owners']))}{due}"
    if key == "deferred_added":
        words = due_or_words(None, r.get("to_written"))
        return f"{head} {dash} to {r['to'] or (text(words) if words else '?')}"
    if key == "decisions_added":
        return f"{head} {dash} owner {text(_names(r['owners']))}"
    if "changes" in r:
        return f"{head} {dash} {text('; '.join(r['changes']))}"
    return head


def render_text(d: RecordDiff) -> str:
    lines = [f"Changes to the record: {sanitize(d.base_label)} -> {sanitize(d.head_label)}"]
    note = d.unreadable_note()
    if note:
        lines += ["", *textwrap.wrap(f"Not compared: {sanitize(note)}.", width=78)]
    if d.empty:
        return "\n".join([*lines, "", "No changes to the record."]) + "\n"
    for key, heading in SECTIONS:
        rows = d.changes[key]
        if not rows:
            continue
        lines += ["", f"{heading} ({len(rows)})"]
        if key.endswith("_carried"):  # usually every open action: the IDs are enough
            lines += textwrap.wrap(", ".join(r["id"] for r in rows), width=78,
                                   initial_indent="  ", subsequent_indent="  ")
            continue
        lines += ["  " + _line(key, r, lambda s: s, sanitize) for r in rows]
    return "\n".join(lines) + "\n"


def render_markdown(d: RecordDiff) -> str:
    lines = [f"### Changes to the record: {md_escape(d.base_label)} → {md_escape(d.head_label)}", ""]
    note = d.unreadable_note()
    if note:
        lines += [f"> **Not compared:** {md_escape(note)}.", ""]
    if d.empty:
        return "\n".join([*lines, "No changes to the record."]) + "\n"
    for key, heading in SECTIONS:
        rows = d.changes[key]
        if not rows:
            continue
        lines += [f"**{heading} ({len(rows)})**", ""]
        if key.endswith("_carried"):
            lines += [", ".join(f"`{r['id']}`" for r in rows), ""]
            continue
        lines += ["- " + _line(key, r, lambda s: f"`{s}`", md_escape, "—") for r in rows]
        lines.append("")
    return "\n".join(lines)


def render_json(d: RecordDiff) -> str:
    from .output import json_for, to_json  # noqa: PLC0415

    return json_for(to_json(d.to_json())) + "\n"
