"""Reading rendered seals back as pixels, for the seal tests."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable

from PIL import Image

from app.seals.specs import SealImage


def decode(seal: SealImage) -> Image.Image:
    """The seal's PNG, decoded."""
    image = Image.open(io.BytesIO(seal.png))
    image.load()
    return image


def alpha(seal: SealImage) -> Image.Image:
    """The coverage channel of a decoded seal."""
    return decode(seal).getchannel("A")


def polar(image: Image.Image, radius_px: float, angle_deg: float) -> tuple[int, int]:
    """The pixel ``radius_px`` from the centre, ``angle_deg`` clockwise from up."""
    cx, cy = image.width / 2, image.height / 2
    theta = math.radians(angle_deg)
    return (
        int(cx + radius_px * math.sin(theta)),
        int(cy - radius_px * math.cos(theta)),
    )


def ink_in_band(
    mask: Image.Image,
    radii_px: tuple[float, float],
    angles_deg: Iterable[float],
) -> int:
    """How many sampled points of an annulus sector carry any ink."""
    inner, outer = radii_px
    steps = max(2, int(outer - inner))
    hits = 0
    for angle in angles_deg:
        for k in range(steps + 1):
            radius = inner + (outer - inner) * k / steps
            if mask.getpixel(polar(mask, radius, angle)):
                hits += 1
    return hits


def degrees(start: float, stop: float, step: float = 0.5) -> list[float]:
    """Angles from ``start`` to ``stop`` inclusive."""
    count = round((stop - start) / step)
    return [start + step * i for i in range(count + 1)]


def ink_total(mask: Image.Image, box: tuple[int, int, int, int]) -> int:
    """The summed coverage inside ``box``."""
    histogram = mask.crop(box).histogram()
    return sum(value * count for value, count in enumerate(histogram))


def bar_above_centroid(mask: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """Whether the row with the most ink lies above the ink's centroid."""
    region = mask.crop(box)
    data = region.tobytes()
    width = region.width
    rows = [sum(data[y * width : (y + 1) * width]) for y in range(region.height)]
    total = sum(rows)
    assert total > 0, "no ink in the box"
    centroid = sum(y * r for y, r in enumerate(rows)) / total
    return rows.index(max(rows)) < centroid


def rgba_at(image: Image.Image, xy: tuple[int, int]) -> tuple[int, int, int, int]:
    """One pixel of an RGBA image."""
    pixel = image.getpixel(xy)
    assert isinstance(pixel, tuple)
    assert len(pixel) == 4
    r, g, b, a = (int(v) for v in pixel)
    return (r, g, b, a)
