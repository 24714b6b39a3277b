"""Finding the CJK font that seal text is drawn in.

Chinese rules for official seals ask for the Song typeface (宋体) in the seal
text, so a Song/serif face is preferred: Noto Serif CJK SC. Its SIL Open Font
Licence allows redistribution, so it may ship with the installer. Debian and
its derivatives (UOS, Kylin) package it as ``fonts-noto-cjk``, which
fontconfig then finds. The bold weight is preferred because hairline serif
strokes fade at seal sizes of a few millimetres.

The font is looked up in this order:

1. ``resources/fonts/`` of the installation, for a font shipped with SealDesk
   (in a PyInstaller bundle, under the bundle's data folder ``sys._MEIPASS``);
2. fontconfig (``fc-match``), for the preferred Song/serif families and then,
   through ``fc-list``, for any font that covers Simplified Chinese;
3. the Windows font folder (SimSun, which every Chinese Windows has, is
   used there but never redistributed).

No font at all is a clear error, not a silent fallback to a Latin font that
would draw empty boxes.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.seals.errors import SealDesignError

__all__ = [
    "BUNDLED_FONTS_DIR",
    "PREFERRED_FAMILIES",
    "FontFace",
    "cjk_font",
    "find_cjk_font",
]

log = logging.getLogger(__name__)


def _installation_dir() -> Path:
    """The source tree, or the data folder of a frozen (PyInstaller) bundle."""
    bundle_data = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and isinstance(bundle_data, str):
        return Path(bundle_data)
    return Path(__file__).resolve().parents[2]


BUNDLED_FONTS_DIR = _installation_dir() / "resources" / "fonts"

#: fontconfig patterns, best first: Song/serif faces that cover GB 2312.
PREFERRED_FAMILIES: tuple[tuple[str, str], ...] = (
    ("Noto Serif CJK SC", "Bold"),
    ("Noto Serif CJK SC", "Regular"),
    ("Source Han Serif SC", "Bold"),
    ("Source Han Serif SC", "Regular"),
    ("AR PL UMing CN", "Light"),
    ("SimSun", "Regular"),
)

_FONT_SUFFIXES = (".otf", ".ttf", ".ttc")
_SERIF_HINTS = ("serif", "song", "ming", "宋")
_WINDOWS_FONTS = ("simsun.ttc", "simsunb.ttf", "msyh.ttc", "simhei.ttf")
_FC_TIMEOUT_S = 15


@dataclass(frozen=True)
class FontFace:
    """One face of a font file (``index`` picks it from a collection)."""

    path: Path
    index: int
    family: str


@functools.cache
def cjk_font() -> FontFace:
    """The CJK font of this installation, found once and remembered."""
    face = find_cjk_font()
    log.info("Seal text font: %s (%s, face %d)", face.family, face.path, face.index)
    return face


def find_cjk_font(
    *,
    bundled_dir: Path | None = BUNDLED_FONTS_DIR,
    use_fontconfig: bool = True,
    system_dirs: Sequence[Path] | None = None,
) -> FontFace:
    """Look for a CJK font in the places described in the module docstring.

    :raises SealDesignError: when no CJK font is installed.
    """
    if system_dirs is None:
        system_dirs = _windows_font_dirs()
    face = (
        _bundled_font(bundled_dir)
        or (_fontconfig_font() if use_fontconfig else None)
        or _font_in_dirs(system_dirs)
    )
    if face is None:
        raise SealDesignError(
            "No Chinese font is installed, so seal text cannot be drawn. "
            "Install a CJK font such as Noto Serif CJK SC "
            "(Debian package fonts-noto-cjk).",
            "系统中没有中文字体，无法绘制印章文字。"
            "请安装中文字体，例如 Noto Serif CJK SC（Debian 软件包 fonts-noto-cjk）。",
        )
    return face


def _bundled_font(folder: Path | None) -> FontFace | None:
    if folder is None or not folder.is_dir():
        return None
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in _FONT_SUFFIXES:
            return FontFace(path, 0, path.stem)
    return None


def _fontconfig_font() -> FontFace | None:
    if shutil.which("fc-match") is None:
        return None
    for family, style in PREFERRED_FAMILIES:
        pattern = f"{family}:style={style}:lang=zh-cn"
        fields = _run_fc(["fc-match", "-f", "%{file}\t%{index}\t%{family}", pattern])
        face = _parse_face(fields)
        if face is not None and family in face.family.split(","):
            return FontFace(face.path, face.index, family)
    return _any_chinese_font()


def _any_chinese_font() -> FontFace | None:
    listing = _run_fc(
        ["fc-list", "-f", "%{file}\t%{index}\t%{family}\n", ":lang=zh-cn"]
    )
    faces = [f for f in map(_parse_face, listing.splitlines()) if f is not None]
    if not faces:
        return None
    faces.sort(key=lambda f: (not _looks_serif(f.family), f.family, str(f.path)))
    log.warning("Preferred Song font not found; seal text uses %s", faces[0].family)
    return faces[0]


def _run_fc(args: list[str]) -> str:
    try:
        done = subprocess.run(
            args, capture_output=True, text=True, timeout=_FC_TIMEOUT_S, check=True
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("fontconfig lookup %s failed: %s", args[0], exc)
        return ""
    return done.stdout


def _parse_face(line: str) -> FontFace | None:
    parts = line.strip().split("\t")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    path = Path(parts[0])
    if path.suffix.lower() not in _FONT_SUFFIXES or not path.is_file():
        return None
    return FontFace(path, int(parts[1]), parts[2])


def _looks_serif(family: str) -> bool:
    lowered = family.lower()
    return any(hint in lowered for hint in _SERIF_HINTS)


def _windows_font_dirs() -> list[Path]:
    windir = os.environ.get("WINDIR")
    return [Path(windir) / "Fonts"] if windir else []


def _font_in_dirs(folders: Sequence[Path]) -> FontFace | None:
    for folder in folders:
        for name in _WINDOWS_FONTS:
            path = folder / name
            if path.is_file():
                return FontFace(path, 0, path.stem)
    return None
