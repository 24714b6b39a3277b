"""The window's texts come from Qt translation files, complete and up to date.

``pyside6-lupdate`` and ``pyside6-lrelease`` ship with the PySide6-Essentials
wheel the project installs; the tests run the ones in the virtual
environment.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFormLayout, QWidget
from pytestqt.qtbot import QtBot

from tests.widgets.conftest import Desk
from widgets.i18n import i18n_dir, use_language

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TS = i18n_dir() / "sealdesk_zh_CN.ts"
QM = i18n_dir() / "sealdesk_zh_CN.qm"

Message = tuple[str, str, str]


def _messages(ts: Path) -> dict[Message, ET.Element]:
    """Each (context, source, disambiguation) of a .ts file with its translation."""
    found: dict[Message, ET.Element] = {}
    # Our own .ts file, or the one lupdate just wrote from our code.
    root = ET.parse(ts).getroot()  # noqa: S314
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            key = (
                name,
                message.findtext("source", ""),
                message.findtext("comment", ""),
            )
            translation = message.find("translation")
            assert translation is not None, key
            found[key] = translation
    return found


def _run(tool: str, *args: str) -> None:
    subprocess.run([str(BIN / tool), *args], cwd=REPO, check=True, capture_output=True)


def _label(dialog: QWidget, field: QWidget) -> str:
    form = dialog.layout()
    assert isinstance(form, QFormLayout)
    label = form.labelForField(field)
    assert label is not None
    return str(label.text())  # type: ignore[attr-defined]


def test_committed_qm_is_built_from_the_ts(tmp_path: Path) -> None:
    built = tmp_path / "built.qm"
    _run("pyside6-lrelease", str(TS), "-qm", str(built))
    assert built.read_bytes() == QM.read_bytes()


def test_every_text_of_the_window_is_translated(tmp_path: Path) -> None:
    extracted = tmp_path / "extracted.ts"
    sources = sorted(str(p.relative_to(REPO)) for p in (REPO / "widgets").rglob("*.py"))
    _run("pyside6-lupdate", *sources, "-ts", str(extracted))
    in_code = _messages(extracted)
    ours = _messages(TS)
    assert len(in_code) > 300
    assert sorted(set(in_code) - set(ours)) == []
    assert sorted(set(ours) - set(in_code)) == []
    unfinished = [
        key
        for key, translation in ours.items()
        if not (translation.text or "").strip() or translation.get("type")
    ]
    assert unfinished == []


def test_placeholders_survive_translation() -> None:
    for (context, source, _), translation in _messages(TS).items():
        for index in range(10):
            marker = "{" + str(index)
            assert (marker in source) == (marker in (translation.text or "")), (
                context,
                source,
            )


def test_chinese_window_reads_the_translation(qtbot: QtBot, demo: Path) -> None:
    desk = Desk(qtbot, demo, "zh")
    dialog = desk.window.login_dialog
    assert dialog is not None
    assert dialog.login_button.text() == "登录"
    assert _label(dialog, dialog.person) == "人员"
    assert _label(dialog, dialog.password) == "密码"
    desk.log_in("陈管理", "demo-admin-2026")
    titles = [desk.window.tabs.tabText(i) for i in range(desk.window.tabs.count())]
    assert titles == ["工作区", "印章管理", "设置"]


def test_english_window_after_chinese(
    qtbot: QtBot, qapp: QApplication, demo: Path
) -> None:
    use_language(qapp, "zh")
    desk = Desk(qtbot, demo, "en")
    dialog = desk.window.login_dialog
    assert dialog is not None
    assert dialog.login_button.text() == "Log in"
    assert _label(dialog, dialog.person) == "Person"
    desk.log_in("陈管理", "demo-admin-2026")
    titles = [desk.window.tabs.tabText(i) for i in range(desk.window.tabs.count())]
    assert titles == ["Workspace", "Administration", "Settings"]


def test_qt_standard_buttons_follow_the_language(qapp: QApplication) -> None:
    def cancel_text() -> str:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        return box.button(QDialogButtonBox.StandardButton.Cancel).text()

    use_language(qapp, "zh")
    assert cancel_text() == "取消"
    use_language(qapp, "en")
    assert cancel_text() == "Cancel"
