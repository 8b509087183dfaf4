"""A session as a Markdown transcript: each turn with its time, what the user said, what the model showed
(and said), its tool calls, and where it was cut short; notices and errors between turns."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from livetui.config import DEFAULT_PRICES, Price
from livetui.record.transcript import Note, ToolCallRecord, Transcript, Turn


def clock(t: float) -> str:
    """A wall-clock time as ``HH:MM:SS`` (local time)."""
    return datetime.fromtimestamp(t).strftime("%H:%M:%S")


def quote(text: str) -> str:
    """`text` as a Markdown block quote."""
    return "\n".join(f"> {line}" if line else ">" for line in text.strip().splitlines())


def _tool(call: ToolCallRecord) -> str:
    args = json.dumps(call.args, ensure_ascii=False)
    line = f"- tool `{call.name}` `{args}` — {call.status}"
    if call.result is not None:
        line += f": `{json.dumps(call.result, ensure_ascii=False)}`"
    return line


def _ending(turn: Turn) -> str | None:
    if turn.interrupted_by == "user":
        return "*[interrupted by the user: the reply above is what was shown]*"
    if turn.interrupted_by == "server":
        return "*[interrupted (the model heard the user): the reply above is what was shown]*"
    if turn.reason == "disconnected":
        return "*[cut off: the connection was lost; the reply above is what arrived]*"
    if turn.reason is None:
        return "*[unfinished: the journal ends here]*"
    if turn.reason not in ("complete", "interrupted"):
        return f"*[ended: {turn.reason}]*"
    return None


def _turn(turn: Turn) -> list[str]:
    lines = [f"## Turn {turn.number}", ""]
    if turn.user:
        lines += [f"**You** · {clock(turn.at)}", "", turn.user.strip(), ""]
    if turn.heard:
        lines += [f"**You** (heard) · {clock(turn.at)}", "", turn.heard.strip(), ""]
    if turn.tools:
        lines += [*(_tool(call) for call in turn.tools), ""]
    reply = turn.reply.strip() or turn.speech.strip()
    shown_at = turn.reply_at if turn.reply_at is not None else turn.at
    if turn.thoughts.strip():
        lines += ["*Thoughts:*", "", quote(turn.thoughts), ""]
    if reply or turn.interrupted_by or turn.reason not in ("complete", "interrupted"):
        lines += [f"**Model** · {clock(shown_at)}", ""]
        if reply:
            lines += [reply, ""]
        if turn.reply.strip() and turn.speech.strip() and turn.speech.strip() != turn.reply.strip():
            lines += ["*Spoken:*", "", quote(turn.speech), ""]
    ending = _ending(turn)
    if ending is not None:
        lines += [ending, ""]
    if turn.usage is not None:
        lines += [f"*Tokens: {turn.usage.describe()}*", ""]
    return lines


def _note(note: Note) -> list[str]:
    label = "Error" if note.kind == "error" else "Notice"
    return [f"*{label} · {clock(note.at)}: {note.text}*", ""]


def to_markdown(transcript: Transcript, prices: Mapping[str, Price] = DEFAULT_PRICES) -> str:
    """The whole transcript as Markdown; the session's tokens with their estimated cost at `prices`."""
    when = (
        datetime.fromtimestamp(transcript.started).strftime("%Y-%m-%d %H:%M:%S") if transcript.started else ""
    )
    lines = [f"# livetui session {transcript.name}", ""]
    if when:
        count = len(transcript.turns)
        lines += [f"Started {when} · {count} {'turn' if count == 1 else 'turns'}", ""]
    if transcript.usage is not None:
        cost = transcript.cost(prices)
        priced = "" if cost is None else f" · {cost.label}"
        lines += [f"Tokens: {transcript.usage.describe()}{priced}", ""]
    for notice in transcript.notices:
        lines += [f"*Note: {notice}*", ""]
    for item in transcript.items:
        lines += _turn(item) if isinstance(item, Turn) else _note(item)
    return "\n".join(lines).rstrip() + "\n"
