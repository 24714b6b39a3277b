"""Bringing in seal artwork from a PNG or SVG file, at true size.

The file is sniffed by its content, not its name. PNGs are decoded by Pillow.
SVGs are drawn by CairoSVG (which needs the cairo library) in its safe mode:
no XML entities and no files or URLs fetched from outside the SVG, because a
seal file may come from anyone.

The artwork keeps its proportions: with a height given, it must match the
image's own aspect to within 2 %, or the seal would be printed distorted.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

from PIL import Image

from app.seals.canvas import px_for_mm
from app.seals.errors import SealDesignError
from app.seals.specs import IMPORTED_RANGE_MM, ImportedSealSpec

__all__ = ["MAX_FILE_BYTES", "MAX_SOURCE_PIXELS", "load_imported"]

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_SOURCE_PIXELS = 40_000_000

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ASPECT_TOLERANCE = 0.02
_SVG_PROBE_PX = 256


def load_imported(spec: ImportedSealSpec, dpi: int) -> tuple[Image.Image, float, float]:
    """The artwork as RGBA at ``dpi``, with its width and height in mm.

    :raises SealDesignError: when the file cannot be read, is not a valid PNG
        or SVG, or does not have the proportions asked for.
    """
    data = _read(spec.path)
    image: Image.Image | None = None
    if data.startswith(_PNG_SIGNATURE):
        image = _decode_png(data, spec.path)
        aspect = image.height / image.width
    elif _looks_like_svg(data):
        aspect = _svg_aspect(data, spec.path)
    else:
        raise SealDesignError(
            f"{spec.path.name} is neither a PNG nor an SVG image.",
            f"{spec.path.name} 不是 PNG 或 SVG 图像。",
        )
    height_mm = _height_mm(spec, aspect)
    size = (px_for_mm(spec.width_mm, dpi), px_for_mm(height_mm, dpi))
    if image is None:
        image = _draw_svg(data, spec.path, size)
    if image.size != size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    _warn_if_opaque(image, spec.path)
    return image, spec.width_mm, height_mm


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SealDesignError(
            f"The seal image {path} cannot be read: {exc.strerror or exc}.",
            f"无法读取印章图像 {path}：{exc.strerror or exc}。",
        ) from exc
    if len(data) > MAX_FILE_BYTES:
        raise SealDesignError(
            f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB.",
            f"{path.name} 超过 {MAX_FILE_BYTES // 2**20} MB。",
        )
    return data


def _decode_png(data: bytes, path: Path) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as source:
            if source.width * source.height > MAX_SOURCE_PIXELS:
                raise _too_large(path)
            return source.convert("RGBA")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _invalid(path, "PNG") from exc


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") and b"<svg" in head


def _svg_aspect(data: bytes, path: Path) -> float:
    """Height over width, from a thumbnail: an SVG's size can come from its
    width, height or viewBox, and drawing it small first keeps an absurdly
    tall one from being drawn at full resolution."""
    thumbnail = _draw_svg(data, path, (_SVG_PROBE_PX, None))
    return thumbnail.height / thumbnail.width


def _draw_svg(data: bytes, path: Path, size: tuple[int, int | None]) -> Image.Image:
    png = _svg_to_png(data, path, size)
    try:
        with Image.open(io.BytesIO(png), formats=["PNG"]) as drawn:
            return drawn.convert("RGBA")
    except (OSError, SyntaxError, ValueError) as exc:
        raise _invalid(path, "SVG") from exc


def _svg_to_png(data: bytes, path: Path, size: tuple[int, int | None]) -> bytes:
    try:
        import cairosvg  # type: ignore[import-untyped]
    except OSError as exc:
        raise SealDesignError(
            "SVG seal images need the cairo library, which is not installed.",
            "导入 SVG 印章图像需要 cairo 库，但系统中没有安装。",
        ) from exc
    width, height = size
    try:
        png: Any = cairosvg.svg2png(
            bytestring=data, output_width=width, output_height=height, unsafe=False
        )
    # CairoSVG reports bad input through many unrelated exception types.
    except Exception as exc:
        raise _invalid(path, "SVG") from exc
    if not isinstance(png, bytes):
        raise _invalid(path, "SVG")
    return png


def _height_mm(spec: ImportedSealSpec, aspect: float) -> float:
    name = spec.path.name
    if spec.height_mm is None:
        height_mm = spec.width_mm * aspect
        low, high = IMPORTED_RANGE_MM
        if not low <= height_mm <= high:
            raise SealDesignError(
                f"{name} would be {height_mm:.1f} mm tall at {spec.width_mm:g} mm "
                f"wide; a seal image must be {low:g} to {high:g} mm tall.",
                f"{name} 在宽 {spec.width_mm:g} 毫米时高 {height_mm:.1f} 毫米；"
                f"印章图像高度必须在 {low:g} 到 {high:g} 毫米之间。",
            )
        return height_mm
    wanted = spec.height_mm / spec.width_mm
    if abs(aspect - wanted) > _ASPECT_TOLERANCE * wanted:
        raise SealDesignError(
            f"The proportions of {name} (height {aspect:.2f} x width) do not "
            f"match {spec.width_mm:g} x {spec.height_mm:g} mm; "
            "give only the width or crop the image.",
            f"{name} 的高宽比为 {aspect:.2f}，与 "
            f"{spec.width_mm:g} x {spec.height_mm:g} 毫米不符；"
            "请只填写宽度，或裁剪图像。",
        )
    return spec.height_mm


def _warn_if_opaque(image: Image.Image, path: Path) -> None:
    lowest_alpha, _ = image.getchannel("A").getextrema()
    if lowest_alpha == 255:
        log.warning("Seal image %s has no transparent pixels", path.name)


def _invalid(path: Path, kind: str) -> SealDesignError:
    return SealDesignError(
        f"{path.name} is not a valid {kind} image.",
        f"{path.name} 不是有效的 {kind} 图像。",
    )


def _too_large(path: Path) -> SealDesignError:
    return SealDesignError(
        f"{path.name} has more than {MAX_SOURCE_PIXELS:,} pixels.",
        f"{path.name} 的像素数超过 {MAX_SOURCE_PIXELS:,}。",
    )
