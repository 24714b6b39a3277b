"""Finding the CJK font the verification report (验章报告) is written in.

A font shipped in ``resources/fonts/`` wins. Otherwise, since the report is
body text, a plain face in regular weight is preferred: Noto Sans CJK SC,
then Noto Serif CJK SC (Debian package ``fonts-noto-cjk``, SIL Open Font
Licence), then other common Chinese faces.
fpdf2 embeds a subset of the face, whether its outlines are TrueType or CFF
and whether it sits in a font collection (``.ttc``).

When none of the preferred faces is known to fontconfig, the search of
:func:`app.seals.fonts.find_cjk_font` is used: any font fontconfig lists for
Simplified Chinese, or the Windows font folder. No font at all is a clear
error: a report with empty boxes instead of Chinese text must never be
written.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
from pathlib import Path

from app.errors import SealDeskError
from app.seals.errors import SealDesignError
from app.seals.fonts import FontFace, find_cjk_font

__all__ = ["REPORT_FAMILIES", "ReportFontError", "report_font"]

log = logging.getLogger(__name__)

#: fontconfig families, best first, for the report's text.
REPORT_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "WenQuanYi Zen Hei",
    "AR PL UMing CN",
    "Microsoft YaHei",
    "SimSun",
)

_FC_TIMEOUT_S = 15
_FONT_SUFFIXES = (".otf", ".ttf", ".ttc")


class ReportFontError(SealDeskError):
    """No Chinese font is installed, so the report cannot be written."""


@functools.cache
def report_font() -> FontFace:
    """The face the report is written in, found once and remembered.

    :raises ReportFontError: when no CJK font is installed.
    """
    face = _bundled_face() or _preferred_face()
    if face is None:
        try:
            face = find_cjk_font()
        except SealDesignError as exc:
            raise ReportFontError(
                "No Chinese font is installed, so the verification report "
                "cannot be written. Install a CJK font such as Noto Sans CJK SC "
                "(Debian package fonts-noto-cjk).",
                "系统中没有中文字体，无法生成验章报告。"
                "请安装中文字体，例如 Noto Sans CJK SC"
                "（Debian 软件包 fonts-noto-cjk）。",
            ) from exc
    log.info("Report font: %s (%s, face %d)", face.family, face.path, face.index)
    return face


def _bundled_face() -> FontFace | None:
    try:
        return find_cjk_font(use_fontconfig=False, system_dirs=())
    except SealDesignError:
        return None


def _preferred_face() -> FontFace | None:
    if shutil.which("fc-match") is None:
        return None
    for family in REPORT_FAMILIES:
        face = _match(f"{family}:style=Regular:lang=zh-cn")
        if face is not None and family in face.family.split(","):
            return FontFace(face.path, face.index, family)
    return None


def _match(pattern: str) -> FontFace | None:
    try:
        done = subprocess.run(
            ["fc-match", "-f", "%{file}\t%{index}\t%{family}", pattern],
            capture_output=True,
            text=True,
            timeout=_FC_TIMEOUT_S,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("fontconfig lookup failed: %s", exc)
        return None
    parts = done.stdout.strip().split("\t")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    path = Path(parts[0])
    if path.suffix.lower() not in _FONT_SUFFIXES or not path.is_file():
        return None
    return FontFace(path, int(parts[1]), parts[2])
