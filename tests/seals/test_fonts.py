"""Finding the CJK font for seal text."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.seals.designer import render
from app.seals.errors import SealDesignError
from app.seals.fonts import FontFace, cjk_font, find_cjk_font
from app.seals.specs import RoundSealSpec


def test_the_preferred_song_face_is_found_through_fontconfig() -> None:
    face = find_cjk_font(bundled_dir=None)

    assert face.family == "Noto Serif CJK SC"
    assert face.path.is_file()


def test_a_font_shipped_in_resources_comes_first(tmp_path: Path) -> None:
    shipped = tmp_path / "SealSerif.otf"
    shipped.symlink_to(cjk_font().path)

    face = find_cjk_font(bundled_dir=tmp_path)

    assert face == FontFace(shipped, 0, "SealSerif")


def test_windows_font_folder_is_searched(tmp_path: Path) -> None:
    (tmp_path / "simsun.ttc").symlink_to(cjk_font().path)

    face = find_cjk_font(bundled_dir=None, use_fontconfig=False, system_dirs=[tmp_path])

    assert face.path == tmp_path / "simsun.ttc"


def test_no_font_anywhere_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SealDesignError) as caught:
        find_cjk_font(
            bundled_dir=tmp_path, use_fontconfig=False, system_dirs=[tmp_path]
        )

    assert "No Chinese font is installed" in caught.value.en
    assert "fonts-noto-cjk" in caught.value.zh


def test_an_unreadable_font_file_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font")

    with pytest.raises(SealDesignError) as caught:
        render(RoundSealSpec("某某公司"), font=FontFace(bogus, 0, "bogus"))

    assert "cannot be read" in caught.value.en
    assert "无法读取印章字体" in caught.value.zh
