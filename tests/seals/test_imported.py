"""Seal artwork imported from PNG and SVG files."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from app.seals.designer import render
from app.seals.errors import SealDesignError
from app.seals.specs import ImportedSealSpec
from tests.seals.pixels import alpha, decode, rgba_at

SCALE = 600 / 25.4
SVG_SEAL = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">
  <circle cx="50" cy="50" r="46" fill="none" stroke="#e01010" stroke-width="4"/>
  <circle cx="50" cy="50" r="10" fill="#e01010"/>
</svg>
"""


def write_png(path: Path, size: tuple[int, int] = (200, 200)) -> Path:
    """A red disc on a transparent ground, with a half-transparent band."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((10, 10, w - 10, h - 10), fill=(224, 16, 16, 255))
    draw.rectangle(
        (w // 2 - 20, h // 2 - 20, w // 2 + 20, h // 2 + 20), fill=(224, 16, 16, 128)
    )
    image.save(path)
    return path


def test_png_is_scaled_to_true_size_and_keeps_its_alpha(tmp_path: Path) -> None:
    seal = render(ImportedSealSpec(write_png(tmp_path / "seal.png"), 40))

    image = decode(seal)
    side = round(40 * SCALE)
    assert image.size == (side, side)
    assert image.mode == "RGBA"
    assert image.info["dpi"] == pytest.approx((600, 600), abs=0.01)
    mask = image.getchannel("A")
    assert mask.crop((0, 0, 30, 30)).getextrema() == (0, 0)
    assert mask.getpixel((side // 2, side // 2)) == pytest.approx(128, abs=2)
    assert mask.getpixel((side // 4, side // 2)) == 255


def test_height_follows_the_image_when_not_given(tmp_path: Path) -> None:
    seal = render(ImportedSealSpec(write_png(tmp_path / "s.png", (400, 300)), 40))

    assert seal.height_mm == pytest.approx(30)
    assert decode(seal).size == (round(40 * SCALE), round(30 * SCALE))


def test_a_height_that_distorts_the_image_is_refused(tmp_path: Path) -> None:
    path = write_png(tmp_path / "s.png", (400, 300))

    with pytest.raises(SealDesignError) as caught:
        render(ImportedSealSpec(path, 40, 40))

    assert "do not match 40 x 40 mm" in caught.value.en
    assert "毫米不符" in caught.value.zh


def test_palette_png_transparency_survives(tmp_path: Path) -> None:
    path = tmp_path / "palette.png"
    image = Image.new("P", (100, 100), 0)
    image.putpalette([255, 255, 255, 224, 16, 16])
    ImageDraw.Draw(image).ellipse((5, 5, 95, 95), fill=1)
    image.save(path, transparency=0)

    mask = alpha(render(ImportedSealSpec(path, 20)))

    side = mask.width
    assert mask.crop((0, 0, 20, 20)).getextrema() == (0, 0)
    assert mask.getpixel((side // 2, side // 2)) == 255


def test_an_opaque_png_is_accepted_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "opaque.png"
    Image.new("RGB", (100, 100), "white").save(path)

    with caplog.at_level(logging.WARNING, logger="app.seals.imported"):
        render(ImportedSealSpec(path, 20))

    assert "no transparent pixels" in caplog.text


def test_svg_is_drawn_at_true_size(tmp_path: Path) -> None:
    path = tmp_path / "seal.svg"
    path.write_text(SVG_SEAL, encoding="utf-8")

    image = decode(render(ImportedSealSpec(path, 42)))

    side = round(42 * SCALE)
    assert image.size == (side, side)
    assert image.getchannel("A").crop((0, 0, 40, 40)).getextrema() == (0, 0)
    assert rgba_at(image, (side // 2, side // 2)) == (224, 16, 16, 255)
    ring = round(side * 2 / 100)
    assert rgba_at(image, (side // 2, ring + 2))[3] > 0


def test_svg_height_follows_its_proportions(tmp_path: Path) -> None:
    path = tmp_path / "oval.svg"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300">'
        '<ellipse cx="200" cy="150" rx="190" ry="140" fill="#e01010"/></svg>',
        encoding="utf-8",
    )

    seal = render(ImportedSealSpec(path, 40))

    assert seal.height_mm == pytest.approx(30, abs=0.15)
    assert decode(seal).size == (round(40 * SCALE), round(seal.height_mm * SCALE))
    with pytest.raises(SealDesignError, match="do not match 40 x 40 mm"):
        render(ImportedSealSpec(path, 40, 40))


def test_an_svg_far_too_tall_for_a_seal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tall.svg"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="1000">'
        '<rect width="10" height="1000" fill="red"/></svg>',
        encoding="utf-8",
    )

    with pytest.raises(SealDesignError) as caught:
        render(ImportedSealSpec(path, 20))

    assert "would be 2000.0 mm tall" in caught.value.en
    assert "印章图像高度" in caught.value.zh


def test_svg_does_not_fetch_files_it_refers_to(tmp_path: Path) -> None:
    Image.new("RGBA", (50, 50), (0, 0, 255, 255)).save(tmp_path / "blue.png")
    path = tmp_path / "refers.svg"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" width="50" height="50">'
        f'<image xlink:href="file://{tmp_path}/blue.png" width="50" height="50"/>'
        "</svg>",
        encoding="utf-8",
    )

    mask = alpha(render(ImportedSealSpec(path, 20)))

    assert mask.getextrema() == (0, 0)


def test_svg_with_entities_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "entity.svg"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        "<text>&e;</text></svg>",
        encoding="utf-8",
    )

    with pytest.raises(SealDesignError, match="not a valid SVG"):
        render(ImportedSealSpec(path, 20))


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SealDesignError) as caught:
        render(ImportedSealSpec(tmp_path / "none.png", 20))

    assert "cannot be read" in caught.value.en
    assert "无法读取" in caught.value.zh


def test_a_truncated_png_is_refused(tmp_path: Path) -> None:
    whole = write_png(tmp_path / "whole.png").read_bytes()
    path = tmp_path / "cut.png"
    path.write_bytes(whole[: len(whole) // 2])

    with pytest.raises(SealDesignError, match="not a valid PNG"):
        render(ImportedSealSpec(path, 20))


def test_other_formats_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "seal.png"
    Image.new("RGB", (20, 20), "red").save(path, format="JPEG")

    with pytest.raises(SealDesignError) as caught:
        render(ImportedSealSpec(path, 20))

    assert "neither a PNG nor an SVG" in caught.value.en
    assert "不是 PNG 或 SVG" in caught.value.zh


def test_a_broken_svg_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.svg"
    path.write_text("<svg xmlns='http://www.w3.org/2000/svg'><circle", encoding="utf-8")

    with pytest.raises(SealDesignError, match="not a valid SVG"):
        render(ImportedSealSpec(path, 20))


@pytest.mark.parametrize(
    ("width", "height"), [(0, None), (20, 200), (float("inf"), None)]
)
def test_bad_sizes_are_refused(width: float, height: float | None) -> None:
    with pytest.raises(SealDesignError, match="between 5 and 100 mm"):
        ImportedSealSpec(Path("seal.png"), width, height)
