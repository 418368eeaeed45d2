"""Durations as people write them on a command line."""

from __future__ import annotations

import re

from .errors import BertError


def parse_duration(text: str) -> float:
    """'90m', '2h', '1h30m', '45s', '3600' -> seconds."""
    text = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    parts = re.findall(r"(\d+(?:\.\d+)?)([hms])", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise BertError(f"cannot read the duration '{text}'; write it like 90m, 2h or 1h30m")
    return sum(float(n) * {"h": 3600, "m": 60, "s": 1}[u] for n, u in parts)
