"""How much of the model's audio arrived, per turn and item, and where to cut it after an interruption.

The player knows how many milliseconds of a turn the user heard; the server needs, for each audio item,
``audio_end_ms`` no longer than the audio it sent ("Audio content of Xms is already shorter than Yms").
`AudioItems.cut` turns the first into the second: items heard in full are left alone, the item playing
when the user interrupted is cut where they stopped hearing it, and any later item of the turn at 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from livetui.providers.openai.session_update import AUDIO_RATE

BYTES_PER_MS = AUDIO_RATE * 2 // 1000
"""PCM16 mono at 24 kHz: 48 bytes a millisecond."""
KEEP_TURNS = 8
"""Turns whose audio bookkeeping is kept (a user rarely interrupts speech older than that)."""


@dataclass
class _Audio:
    item_id: str
    size: int = 0
    """Bytes received."""

    @property
    def ms(self) -> int:
        return self.size // BYTES_PER_MS


@dataclass
class AudioItems:
    """The model's audio items of recent turns, in order, with the bytes received of each."""

    _turns: dict[int, list[_Audio]] = field(default_factory=dict)
    _cut: set[str] = field(default_factory=set)

    def received(self, turn: int, item_id: str, size: int) -> None:
        """`size` more bytes of `item_id`'s audio arrived for `turn`."""
        items = self._turns.setdefault(turn, [])
        if not items or items[-1].item_id != item_id:
            items.append(_Audio(item_id))
            for old in [t for t in self._turns if t <= turn - KEEP_TURNS]:
                del self._turns[old]
        items[-1].size += size

    def received_ms(self, item_id: str) -> int:
        """Milliseconds of `item_id`'s audio received (0 if none)."""
        return sum(a.ms for items in self._turns.values() for a in items if a.item_id == item_id)

    @property
    def last_turn(self) -> int | None:
        """The latest turn with audio, or None."""
        return max(self._turns, default=None)

    def cut(self, turn: int, heard_ms: int | None) -> list[tuple[str, int]]:
        """Where to truncate `turn`'s audio items, as ``(item_id, audio_end_ms)``, once each: after
        `heard_ms` milliseconds of the turn were heard (None: all that arrived was heard)."""
        items = self._turns.get(turn, [])
        if not items:
            return []
        cuts: list[tuple[str, int]]
        if heard_ms is None:
            cuts = [(items[-1].item_id, items[-1].ms)]
        else:
            position, cuts = max(heard_ms, 0), []
            for index, audio in enumerate(items):
                if cuts:
                    cuts.append((audio.item_id, 0))
                elif position < audio.ms or index == len(items) - 1:
                    cuts.append((audio.item_id, min(position, audio.ms)))
                else:
                    position -= audio.ms
        cuts = [(item_id, end) for item_id, end in cuts if item_id not in self._cut]
        self._cut.update(item_id for item_id, _ in cuts)
        return cuts
