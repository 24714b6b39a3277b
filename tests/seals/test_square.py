"""The square name seal of a legal representative, checked pixel by pixel."""

from __future__ import annotations

import pytest

from app.seals.designer import render
from app.seals.errors import SealDesignError
from app.seals.specs import SEAL_RED, SquareSealSpec
from tests.seals.pixels import alpha, decode, ink_total, rgba_at


@pytest.mark.parametrize("size", [20, 22])
def test_size_and_solid_red_border(size: int) -> None:
    image = decode(render(SquareSealSpec("王小明", append_yin=True, size_mm=size)))
    w = round(size / 25.4 * 600)

    assert image.size == (w, w)
    for xy in ((0, 0), (w - 1, 0), (0, w - 1), (w - 1, w - 1), (w // 2, 3)):
        assert rgba_at(image, xy) == (*SEAL_RED, 255)


def test_four_characters_fill_the_four_cells() -> None:
    mask = alpha(render(SquareSealSpec("王小明", append_yin=True)))
    w = mask.width
    quarter = w // 2

    for left in (0, quarter):
        for top in (0, quarter):
            box = (left + 60, top + 60, left + quarter - 60, top + quarter - 60)
            assert ink_total(mask, box) > 0, (left, top)


def test_columns_read_from_the_right() -> None:
    # 一 (first) belongs in the right column, the heavier 三 in the left.
    mask = alpha(render(SquareSealSpec("一三")))
    w, h = mask.size
    inside = 60

    right = ink_total(mask, (w // 2, inside, w - inside, h - inside))
    left = ink_total(mask, (inside, inside, w // 2, h - inside))
    assert left > 1.5 * right > 0


def test_yin_goes_to_the_bottom_left_cell() -> None:
    with_yin = alpha(render(SquareSealSpec("一一一", append_yin=True)))
    w = with_yin.width
    cell = (80, w // 2 + 80, w // 2 - 80, w - 80)

    yin = ink_total(with_yin, cell)
    top_right = ink_total(with_yin, (w // 2 + 80, 80, w - 80, w // 2 - 80))
    assert yin > 2 * top_right > 0


@pytest.mark.parametrize(
    ("kwargs", "en"),
    [
        ({"name": ""}, "name is empty"),
        ({"name": "王小明"}, "2 or 4 characters, not 3"),
        ({"name": "王明", "append_yin": True}, "only to a three-character name"),
        ({"name": "王明", "size_mm": 5}, "between 10 and 40 mm"),
    ],
)
def test_bad_specs_are_refused(kwargs: dict[str, object], en: str) -> None:
    with pytest.raises(SealDesignError) as caught:
        SquareSealSpec(**kwargs)  # type: ignore[arg-type]

    assert en in caught.value.en
    assert caught.value.zh
