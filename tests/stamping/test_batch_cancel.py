"""Cancelling a batch: no document is started after the cancel is set."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.admin.auth import login_password
from app.admin.roles import Actor
from app.admin.tokens import loaded_tokens
from app.demo.workspace import build_demo_workspace
from app.stamping.batch import (
    PROCESS_BATCH,
    PROCESS_BATCH_ENV,
    process_batch,
    stamp_documents,
)
from app.stamping.placement import CoordinatePlacement
from app.stamping.service import DocumentReport, Outcome, StampJob, outputs_for
from app.workspace import GivenPassphrase, OpenWorkspace, open_workspace
from tests.stamping.documents import simple_pdf
from tests.support.batches import WORKER_BATCH
from tests.support.softhsm import FixedPinHandler

pytestmark = pytest.mark.hsm


@pytest.fixture
def officer_desk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[OpenWorkspace, Actor]]:
    monkeypatch.setenv("SOFTHSM2_CONF", "unset")
    monkeypatch.delenv("SOFTHSM2_CONF")
    root = tmp_path / "demo"
    build_demo_workspace(root, "keyring", GivenPassphrase(None))
    with open_workspace(root, GivenPassphrase(None)) as opened:
        yield opened, login_password(opened.db, "张经办", "demo-officer-2026")


def _job(tmp_path: Path, count: int) -> StampJob:
    inputs = tuple(simple_pdf(tmp_path / f"d{i}.pdf") for i in range(count))
    out = tmp_path / "out"
    out.mkdir()
    return StampJob(
        inputs=inputs,
        outputs=outputs_for(inputs, out),
        seal="合同专用章",
        placement=CoordinatePlacement(1, 150.0, 240.0),
        category="合同",
    )


def test_a_cancel_set_before_the_start_stamps_nothing(
    officer_desk: tuple[OpenWorkspace, Actor], tmp_path: Path
) -> None:
    opened, officer = officer_desk
    job = _job(tmp_path, 3)
    cancel = threading.Event()
    cancel.set()
    with loaded_tokens(opened.db) as tokens:
        report = stamp_documents(
            opened, officer, job, tokens, FixedPinHandler("unused"), cancel=cancel
        )
    assert [d.outcome for d in report.documents] == [Outcome.NOT_ATTEMPTED] * 3
    assert report.stopped_en is not None
    assert "cancelled" in report.stopped_en
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("count", [5, WORKER_BATCH], ids=["threads", "processes"])
def test_a_cancel_during_the_batch_stops_before_the_next_document(
    officer_desk: tuple[OpenWorkspace, Actor],
    tmp_path: Path,
    count: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PROCESS_BATCH_ENV, str(WORKER_BATCH))
    opened, officer = officer_desk
    job = _job(tmp_path, count)
    cancel = threading.Event()

    def progress(index: int, report: DocumentReport) -> None:
        cancel.set()

    with loaded_tokens(opened.db) as tokens:
        report = stamp_documents(
            opened, officer, job, tokens, FixedPinHandler("unused"), progress, cancel
        )
    outcomes = [d.outcome for d in report.documents]
    stamped = outcomes.count(Outcome.STAMPED)
    assert stamped >= 1
    assert outcomes == [Outcome.STAMPED] * stamped + [Outcome.NOT_ATTEMPTED] * (
        count - stamped
    )
    assert stamped < count
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [f"d{i}.pdf" for i in range(stamped)]
    assert not list(tmp_path.rglob("*.part"))
    assert not list((opened.workspace.root / "pending").glob("*.json"))


def test_a_cancel_after_the_last_document_reports_a_complete_batch(
    officer_desk: tuple[OpenWorkspace, Actor], tmp_path: Path
) -> None:
    opened, officer = officer_desk
    job = _job(tmp_path, 2)
    cancel = threading.Event()

    def progress(index: int, report: DocumentReport) -> None:
        if index == 1:
            cancel.set()

    with loaded_tokens(opened.db) as tokens:
        report = stamp_documents(
            opened, officer, job, tokens, FixedPinHandler("unused"), progress, cancel
        )
    assert report.all_stamped
    assert report.stopped_en is None


def test_a_worker_process_killed_mid_batch_costs_only_its_document(
    officer_desk: tuple[OpenWorkspace, Actor],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SIGKILL to the workers: their documents are refused, the rest stamped."""
    monkeypatch.setenv(PROCESS_BATCH_ENV, str(WORKER_BATCH))
    opened, officer = officer_desk
    job = _job(tmp_path, WORKER_BATCH)
    killed: list[int] = []

    def progress(index: int, report: DocumentReport) -> None:
        if not killed:
            for child in multiprocessing.active_children():
                if child.name == "sealdesk-stamping" and child.pid is not None:
                    os.kill(child.pid, signal.SIGKILL)
                    killed.append(child.pid)

    with loaded_tokens(opened.db) as tokens:
        report = stamp_documents(
            opened, officer, job, tokens, FixedPinHandler("unused"), progress
        )
    assert len(killed) == 2
    outcomes = [d.outcome for d in report.documents]
    refused = [d for d in report.documents if d.outcome is Outcome.REFUSED]
    assert len(refused) <= 2
    assert all("stamping process" in d.en for d in refused)
    assert outcomes.count(Outcome.STAMPED) == WORKER_BATCH - len(refused)
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(
        d.output.name for d in report.documents if d.outcome is Outcome.STAMPED
    )
    assert not list(tmp_path.rglob("*.part"))
    assert not list((opened.workspace.root / "pending").glob("*.json"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, PROCESS_BATCH),
        ("24", 24),
        (" 7 ", 7),
        ("0", PROCESS_BATCH),
        ("many", PROCESS_BATCH),
    ],
)
def test_the_worker_threshold_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: int
) -> None:
    if value is None:
        monkeypatch.delenv(PROCESS_BATCH_ENV, raising=False)
    else:
        monkeypatch.setenv(PROCESS_BATCH_ENV, value)
    assert process_batch() == expected
