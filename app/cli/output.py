"""Printing results: aligned text for people, JSON for scripts."""

from __future__ import annotations

import dataclasses
import enum
import json
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

__all__ = ["echo_json", "echo_pairs", "echo_table", "plain"]


def plain(value: Any) -> Any:
    """Turn dataclasses, enums and paths into JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value


def echo_json(value: Any) -> None:
    click.echo(json.dumps(plain(value), ensure_ascii=False, indent=2))


def _width(text: str) -> int:
    """Terminal columns: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def echo_pairs(pairs: Sequence[tuple[str, object]]) -> None:
    width = max((_width(label) for label, _ in pairs), default=0)
    for label, value in pairs:
        click.echo(f"{_pad(label, width)}  {value}")


def echo_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(c) for c in row] for row in rows]
    widths = [
        max([_width(h), *(_width(r[i]) for r in cells)]) for i, h in enumerate(headers)
    ]
    for row in [list(headers), *cells]:
        line = "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True))
        click.echo(line.rstrip())
