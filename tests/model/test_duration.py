"""Durations as people write them."""

from __future__ import annotations

import pytest

from model.duration import parse_duration
from model.errors import BertError


@pytest.mark.parametrize("text,seconds", [("90m", 5400), ("2h", 7200), ("1h30m", 5400), ("45s", 45), ("3600", 3600)])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


def test_parse_duration_rejects_nonsense():
    with pytest.raises(BertError, match="90m"):
        parse_duration("soon")
