"""The round official seal (公章), checked pixel by pixel."""

from __future__ import annotations

import math

import pytest

from app.seals.designer import render
from app.seals.errors import SealDesignError
from app.seals.round import NAME_SPAN_DEG, RoundLayout
from app.seals.specs import ROUND_DIAMETERS_MM, SEAL_RED, RoundSealSpec
from tests.seals.pixels import (
    alpha,
    bar_above_centroid,
    decode,
    degrees,
    ink_in_band,
    ink_total,
    polar,
    rgba_at,
)

NAME = "北京市海淀区某某科技有限公司"
CODE = "1101080012345"


def px_per_mm(dpi: int) -> float:
    return dpi / 25.4


@pytest.mark.parametrize("diameter", ROUND_DIAMETERS_MM)
def test_pixel_size_follows_diameter_and_dpi(diameter: int) -> None:
    seal = render(RoundSealSpec(NAME, diameter_mm=diameter), dpi=600)

    image = decode(seal)
    expected = round(diameter / 25.4 * 600)
    assert image.size == (expected, expected)
    assert seal.size_px == (expected, expected)
    assert (seal.width_mm, seal.height_mm) == (diameter, diameter)
    assert image.mode == "RGBA"
    assert image.info["dpi"] == pytest.approx((600, 600), abs=0.01)


def test_pixel_size_at_another_dpi() -> None:
    seal = render(RoundSealSpec(NAME, diameter_mm=40), dpi=300)

    assert decode(seal).size == (472, 472)
    assert seal.dpi == 300


def test_corners_are_fully_transparent() -> None:
    mask = alpha(render(RoundSealSpec(NAME, "合同专用章", CODE)))

    w, h = mask.size
    for corner in ((0, 0, 40, 40), (w - 40, 0, w, 40), (0, h - 40, 40, h)):
        assert mask.crop(corner).getextrema() == (0, 0)
    assert mask.crop((w - 40, h - 40, w, h)).getextrema() == (0, 0)


def test_ring_is_solid_red_at_the_border_radius() -> None:
    seal = render(RoundSealSpec(NAME, diameter_mm=42))
    image = decode(seal)
    layout = RoundLayout(42)
    ring_radius = (layout.radius - layout.border / 2) * px_per_mm(600)

    for angle in range(0, 360, 10):
        r, g, b, a = rgba_at(image, polar(image, ring_radius, angle))
        assert a == 255, angle
        assert (r, g, b) == SEAL_RED


def test_nothing_outside_the_ring() -> None:
    mask = alpha(render(RoundSealSpec(NAME)))

    outside = (RoundLayout(42).radius + 0.2) * px_per_mm(600)
    band = (outside, outside + 100)
    for diagonal in (45, 135, 225, 315):
        assert ink_in_band(mask, band, degrees(diagonal - 10, diagonal + 10)) == 0


def test_star_is_centred_with_one_point_up() -> None:
    image = decode(render(RoundSealSpec(NAME)))
    star = RoundLayout(42).star_radius * px_per_mm(600)

    assert rgba_at(image, polar(image, 0, 0)) == (*SEAL_RED, 255)
    assert rgba_at(image, polar(image, 0.9 * star, 0))[3] > 0
    # Straight down lies between the two lower points.
    assert rgba_at(image, polar(image, 0.9 * star, 180))[3] == 0
    for point in range(5):
        tip = polar(image, 0.9 * star, 72 * point)
        assert rgba_at(image, tip)[3] > 0, point


def test_name_runs_along_the_upper_arc_only() -> None:
    mask = alpha(render(RoundSealSpec(NAME)))
    band = _name_band(600)
    half = NAME_SPAN_DEG[1] / 2

    # Evenly spread: every 20 degree stretch of the span holds ink.
    for start in range(int(-half), int(half) - 19, 20):
        assert ink_in_band(mask, band, degrees(start, start + 20)) > 0, start
    assert ink_in_band(mask, band, degrees(180 - 50, 180 + 50)) == 0


def test_code_runs_along_the_lower_arc() -> None:
    mask = alpha(render(RoundSealSpec(NAME, code=CODE)))

    assert ink_in_band(mask, _code_band(600), degrees(180 - 20, 180 + 20)) > 0


def test_bottom_line_sits_below_the_star() -> None:
    without = alpha(render(RoundSealSpec(NAME)))
    with_line = alpha(render(RoundSealSpec(NAME, bottom_line="合同专用章")))
    layout = RoundLayout(42)
    scale = px_per_mm(600)
    cx = without.width // 2
    top = int((layout.radius + layout.bottom_centre_y - 1.5) * scale)
    box = (cx - 200, top, cx + 200, top + int(3 * scale))

    assert ink_total(without, box) == 0
    assert ink_total(with_line, box) > 0


def test_name_characters_stand_with_their_tops_outwards() -> None:
    # 丁 has its heaviest row, the bar, at the top of the character.
    mask = alpha(render(RoundSealSpec("丁丁丁")))
    box = _top_character_box(mask.width, 600)

    assert bar_above_centroid(mask, box)


def test_code_digits_stand_with_their_tops_inwards() -> None:
    # At the bottom of the seal a digit's top points at the centre, upwards.
    mask = alpha(render(RoundSealSpec(NAME, code="777")))
    layout = RoundLayout(42)
    scale = px_per_mm(600)
    cx = mask.width // 2
    outer = int((layout.radius + layout.text_outer_radius) * scale)
    inner = int((layout.radius + layout.text_outer_radius - layout.code_height) * scale)
    box = (cx - int(layout.code_height * scale / 2), inner, cx + 30, outer)

    assert bar_above_centroid(mask, box)


def test_name_reads_left_to_right() -> None:
    mask = alpha(render(RoundSealSpec("一二三")))

    left = ink_in_band(mask, _name_band(600), degrees(-120, -10))
    right = ink_in_band(mask, _name_band(600), degrees(10, 120))
    assert right > 1.5 * left > 0


def test_code_reads_left_to_right() -> None:
    mask = alpha(render(RoundSealSpec(NAME, code="11118888")))

    # The left of the lower arc lies clockwise after the bottom.
    left = ink_in_band(mask, _code_band(600), degrees(180, 230))
    right = ink_in_band(mask, _code_band(600), degrees(130, 180))
    assert right > 1.5 * left > 0


def test_name_is_centred_on_the_top() -> None:
    mask = alpha(render(RoundSealSpec("十十十十十十十")))
    w, h = mask.size
    xs = ys = total = 0
    data = mask.tobytes()
    for y in range(0, h // 2):
        for x in range(0, w, 2):
            value = data[y * w + x]
            xs += x * value
            total += value
    ys = total
    assert ys > 0
    assert xs / total == pytest.approx(w / 2, abs=0.01 * w)


def test_long_names_are_squeezed_not_refused() -> None:
    seal = render(RoundSealSpec("中华人民共和国某某省某某市某某区人民政府办公室"))

    assert seal.width_px == round(42 / 25.4 * 600)


def test_a_name_too_long_to_fit_is_refused() -> None:
    with pytest.raises(SealDesignError) as caught:
        render(RoundSealSpec("某" * 40))

    assert "too many characters (40)" in caught.value.en
    assert "单位名称字数过多" in caught.value.zh


def test_a_code_too_long_to_fit_is_refused() -> None:
    with pytest.raises(SealDesignError, match="seal code has too many"):
        render(RoundSealSpec("某" * 24, code="W" * 24))


def test_a_character_missing_from_the_font_is_refused() -> None:
    with pytest.raises(SealDesignError) as caught:
        render(RoundSealSpec("某某科技\U0001f600公司"))

    assert "cannot draw the character" in caught.value.en
    assert "没有字符" in caught.value.zh


@pytest.mark.parametrize(
    ("kwargs", "en"),
    [
        ({"org_name": ""}, "organisation name is empty"),
        ({"org_name": "   "}, "organisation name is empty"),
        ({"org_name": "某某 公司"}, "must not contain spaces"),
        ({"org_name": NAME, "diameter_mm": 41}, "must be 38, 40, 42, 45, 50, 60 mm"),
        ({"org_name": NAME, "diameter_mm": math.nan}, "not nan mm"),
        ({"org_name": NAME, "bottom_line": ""}, "bottom line is empty"),
        ({"org_name": NAME, "code": "12ab"}, "seal code must be"),
        ({"org_name": NAME, "code": ""}, "seal code must be"),
        ({"org_name": NAME, "color": (300, 0, 0)}, "ink colour"),
    ],
)
def test_bad_specs_are_refused_in_both_languages(
    kwargs: dict[str, object], en: str
) -> None:
    with pytest.raises(SealDesignError) as caught:
        RoundSealSpec(**kwargs)  # type: ignore[arg-type]

    assert en in caught.value.en
    assert caught.value.zh
    assert caught.value.zh != caught.value.en


@pytest.mark.parametrize("dpi", [0, 71, 1201, 600.0])
def test_bad_resolutions_are_refused(dpi: int) -> None:
    with pytest.raises(SealDesignError, match="resolution"):
        render(RoundSealSpec(NAME), dpi=dpi)


def _name_band(dpi: int) -> tuple[float, float]:
    layout = RoundLayout(42)
    outer = layout.text_outer_radius
    return ((outer - layout.name_height) * dpi / 25.4, outer * dpi / 25.4)


def _code_band(dpi: int) -> tuple[float, float]:
    layout = RoundLayout(42)
    outer = layout.text_outer_radius
    return ((outer - layout.code_height) * dpi / 25.4, outer * dpi / 25.4)


def _top_character_box(size: int, dpi: int) -> tuple[int, int, int, int]:
    layout = RoundLayout(42)
    scale = dpi / 25.4
    centre = size // 2
    half = int(layout.name_height * scale / 2)
    top = int((layout.radius - layout.text_outer_radius) * scale)
    return (centre - half, top, centre + half, top + 2 * half)
