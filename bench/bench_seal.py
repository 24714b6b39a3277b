"""Benchmark: rendering a 42 mm round official seal at 600 dpi.

The baseline is the floor any renderer pays for the same output: Pillow
creating a blank RGBA image of the same pixel size and encoding it as PNG.
A second line shows how much of the render is the PNG encoding of the seal
itself, whose inked content compresses slower than a blank image. The
measurements alternate so that load from other work on the machine falls on
both sides alike.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image

ROUNDS = 15
DPI = 600
DIAMETER_MM = 42


def main() -> int:
    """Time both in this run and print one comparison line."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from app.seals.designer import render
    from app.seals.fonts import cjk_font
    from app.seals.specs import RoundSealSpec

    spec = RoundSealSpec(
        "北京市海淀区某某科技有限公司", "合同专用章", "1101080012345", DIAMETER_MM
    )
    font = cjk_font()
    seal = render(spec, DPI, font=font)
    drawn = Image.open(io.BytesIO(seal.png))
    drawn.load()
    side = seal.width_px

    seal_ms, blank_ms, encode_ms = _median_ms(
        lambda: render(spec, DPI, font=font),
        lambda: _png(Image.new("RGBA", (side, side), (0, 0, 0, 0))),
        lambda: _png(drawn),
    )
    baseline = f"baseline blank RGBA PNG encode: {blank_ms:.1f} ms"
    print(
        f"render {DIAMETER_MM} mm round seal at {DPI} dpi ({side} px): "
        f"{seal_ms:.1f} ms | {baseline} | ratio {seal_ms / blank_ms:.1f}"
    )
    print(
        f"PNG encode of the rendered seal: {encode_ms:.1f} ms | {baseline} "
        f"| ratio {encode_ms / blank_ms:.1f}"
    )
    return 0


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


def _median_ms(*works: Callable[[], object]) -> list[float]:
    """Median wall time of each piece of work, run in alternation."""
    for work in works:
        work()
    times: list[list[float]] = [[] for _ in works]
    for _ in range(ROUNDS):
        for work, samples in zip(works, times, strict=True):
            start = time.perf_counter()
            work()
            samples.append((time.perf_counter() - start) * 1000)
    return [statistics.median(samples) for samples in times]


if __name__ == "__main__":
    raise SystemExit(main())
