"""The oval finance and invoice seals, checked pixel by pixel."""

from __future__ import annotations

import pytest

from app.seals.designer import render
from app.seals.errors import SealDesignError
from app.seals.oval import OvalLayout
from app.seals.specs import SEAL_RED, OvalSealSpec
from tests.seals.pixels import alpha, decode, ink_total, rgba_at

NAME = "北京市海淀区某某科技有限公司"
TAX_ID = "91110108MA01ABCD2X"
SCALE = 600 / 25.4


@pytest.mark.parametrize(("width", "height"), [(40, 30), (45, 30)])
def test_size_and_aspect_follow_the_spec(width: int, height: int) -> None:
    seal = render(OvalSealSpec(NAME, "财务专用章", width_mm=width, height_mm=height))

    image = decode(seal)
    assert image.size == (round(width * SCALE), round(height * SCALE))
    assert image.width / image.height == pytest.approx(width / height, rel=0.005)
    assert (seal.width_mm, seal.height_mm) == (width, height)


def test_ring_touches_all_four_sides_and_leaves_the_corners_clear() -> None:
    image = decode(render(OvalSealSpec(NAME, "发票专用章", TAX_ID)))
    mask = image.getchannel("A")
    w, h = image.size
    border = round(OvalLayout(40, 30).border * SCALE)

    for x, y in ((border // 2, h // 2), (w - 1 - border // 2, h // 2)):
        assert rgba_at(image, (x, y)) == (*SEAL_RED, 255)
    for x, y in ((w // 2, border // 2), (w // 2, h - 1 - border // 2)):
        assert rgba_at(image, (x, y)) == (*SEAL_RED, 255)
    for box in ((0, 0, 60, 60), (w - 60, 0, w, 60), (0, h - 60, 60, h)):
        assert mask.crop(box).getextrema() == (0, 0)


def test_tax_id_crosses_the_middle_only_when_given() -> None:
    with_id = alpha(render(OvalSealSpec(NAME, "发票专用章", TAX_ID)))
    without = alpha(render(OvalSealSpec(NAME, "发票专用章")))
    w, h = with_id.size
    middle = (w // 2 - 150, h // 2 - 20, w // 2 + 150, h // 2 + 20)

    assert ink_total(with_id, middle) > 0
    assert ink_total(without, middle) == 0


def test_name_on_the_upper_arc_and_bottom_line_below_the_middle() -> None:
    layout = OvalLayout(40, 30)
    mask = alpha(render(OvalSealSpec(NAME, "财务专用章")))
    w, h = mask.size
    below_border = round((layout.border + layout.gap) * SCALE)
    name_row = below_border + round(layout.name_height * SCALE / 2)
    bottom_row = h // 2 + round(layout.bottom_centre_y * SCALE)

    assert ink_total(mask, (w // 2 - 100, name_row - 5, w // 2 + 100, name_row + 5))
    assert ink_total(mask, (w // 2 - 100, bottom_row - 5, w // 2 + 100, bottom_row + 5))
    # Between the bottom line and the border, nothing.
    clear_top = bottom_row + round(layout.bottom_height * SCALE * 0.6)
    clear = (w // 2 - 100, clear_top, w // 2 + 100, h - below_border)
    assert ink_total(mask, clear) == 0


@pytest.mark.parametrize(
    ("kwargs", "en"),
    [
        ({"org_name": "", "bottom_line": "财务专用章"}, "organisation name is empty"),
        ({"org_name": NAME, "bottom_line": ""}, "bottom line is empty"),
        (
            {"org_name": NAME, "bottom_line": "财务专用章", "height_mm": 40},
            "wider than it is tall",
        ),
        (
            {"org_name": NAME, "bottom_line": "财务专用章", "width_mm": 100},
            "between 20 and 80 mm",
        ),
        (
            {"org_name": NAME, "bottom_line": "发票专用章", "tax_id": "12345"},
            "taxpayer number",
        ),
        (
            {"org_name": NAME, "bottom_line": "发票专用章", "tax_id": TAX_ID.lower()},
            "taxpayer number",
        ),
    ],
)
def test_bad_specs_are_refused(kwargs: dict[str, object], en: str) -> None:
    with pytest.raises(SealDesignError) as caught:
        OvalSealSpec(**kwargs)  # type: ignore[arg-type]

    assert en in caught.value.en
    assert caught.value.zh


def test_text_that_cannot_fit_is_refused() -> None:
    with pytest.raises(SealDesignError, match="too many characters"):
        render(OvalSealSpec("某" * 40, "财务专用章"))
    with pytest.raises(SealDesignError, match="bottom line is too long"):
        render(OvalSealSpec(NAME, "某" * 20))
