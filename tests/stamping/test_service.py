"""The stamping service on the demo workspace: policy, token, log, evidence."""

from __future__ import annotations

import asyncio
import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pkcs11 import Session, SignMixin, Slot, Token, TokenFlag
from pyhanko_certvalidator import ValidationContext

from app.admin.approvals import approve, request_approval
from app.admin.auth import login_password
from app.admin.roles import Actor
from app.admin.store import reading
from app.archive import ArchiveFilter, get, search
from app.demo.workspace import build_demo_workspace
from app.stamping.batch import PROCESS_BATCH_ENV, stamp_documents
from app.stamping.placement import CoordinatePlacement
from app.stamping.request import Level
from app.stamping.service import (
    BatchReport,
    Outcome,
    StampJob,
    outputs_for,
    recover_pending,
    write_note,
)
from app.stamping.verify import verify_written
from app.verification import Revocation, Verdict
from app.verification.desk import verify_at_desk
from app.workspace import GivenPassphrase, OpenWorkspace, open_workspace
from hsm.calls import CallsWrapper, TokenCalls
from hsm.faults import RemovableToken, with_faults
from hsm.manager import TokenManager
from hsm.provision import SOFTHSM_MODULE
from storage.settings import set_setting
from storage.usage_log import LogFilter, query, verify_chain
from tests.stamping.documents import simple_pdf
from tests.stamping.pki import TestPki
from tests.support.batches import WORKER_BATCH
from tests.support.softhsm import FixedPinHandler

pytestmark = pytest.mark.hsm

OFFICER = ("张经办", "demo-officer-2026")
APPROVER = ("李审批", "demo-approver-2026")
CONTRACT = "合同专用章"
OFFICIAL = "公章"
SPOT = CoordinatePlacement(-1, 150.0, 240.0)


@dataclass
class Desk:
    """An opened demo workspace, its officer and a private module copy."""

    root: Path
    opened: OpenWorkspace
    officer: Actor
    module: str

    def tokens(self, wrap: CallsWrapper | None = None) -> TokenManager:
        return TokenManager([self.module], wrap_calls=wrap, poll_interval=None)

    def stamp(
        self,
        inputs: list[Path],
        folder: Path,
        seal: str = CONTRACT,
        category: str = "合同",
        approval_id: str | None = None,
        wrap: CallsWrapper | None = None,
        tsa_url: str | None = None,
        long_term: bool = False,
    ) -> BatchReport:
        folder.mkdir(exist_ok=True)
        job = StampJob(
            inputs=tuple(inputs),
            outputs=outputs_for(inputs, folder),
            seal=seal,
            placement=SPOT,
            category=category,
            approval_id=approval_id,
            reason="同意",
            location="示例市",
            tsa_url=tsa_url,
            long_term=long_term,
        )
        with self.tokens(wrap) as tokens:
            return stamp_documents(
                self.opened, self.officer, job, tokens, FixedPinHandler("unused")
            )

    def stamp_entries(self) -> list[dict[str, object]]:
        entries = query(self.opened.db, LogFilter(action="stamp", limit=None))
        return [dict(e.details) for e in entries]

    def refusals(self) -> int:
        entries = query(self.opened.db, LogFilter(action="stamp.refused", limit=None))
        return len(entries)

    def scalar(self, sql: str, *params: object) -> int:
        with reading(self.opened.db) as conn:
            return int(conn.execute(sql, params).fetchone()[0])

    def quota_used(self, seal: str = CONTRACT) -> int:
        return self.scalar(
            "SELECT g.used FROM grants g JOIN seals s ON s.id = g.seal_id "
            "WHERE s.name = ?",
            seal,
        )

    def leaves(self) -> int:
        return self.scalar("SELECT count(*) FROM evidence_leaves WHERE kind = 'stamp'")


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    # setenv first so that the variable the workspace sets is undone too
    monkeypatch.setenv("SOFTHSM2_CONF", "unset")
    monkeypatch.delenv("SOFTHSM2_CONF")
    root = tmp_path / "demo"
    build_demo_workspace(root, "keyring", GivenPassphrase(None))
    module = str(tmp_path / "softhsm-copy.so")
    shutil.copyfile(SOFTHSM_MODULE, module)
    with open_workspace(root, GivenPassphrase(None)) as opened:
        officer = login_password(opened.db, *OFFICER)
        yield Desk(root, opened, officer, module)


def _verify(desk: Desk, path: Path) -> None:
    root_pem = (desk.root / "demo-tokens" / "root-ca.pem").read_bytes()
    root = asn1_x509.Certificate.load(pem.unarmor(root_pem)[2])
    context = ValidationContext(trust_roots=[root])
    asyncio.run(verify_written(path, "Seal1", Level.B_B, context, path, True))


def _docs(folder: Path, count: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    return [simple_pdf(folder / f"doc{n}.pdf", count=2) for n in range(count)]


def _parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.part"))


def test_contract_seal_stamps_logs_and_queues_evidence(
    desk: Desk, tmp_path: Path
) -> None:
    (doc,) = _docs(tmp_path / "in", 1)
    before = desk.quota_used()

    report = desk.stamp([doc], tmp_path / "out")

    assert report.all_stamped, report
    output = tmp_path / "out" / doc.name
    _verify(desk, output)
    (entry,) = desk.stamp_entries()
    assert entry["sha256_after"] == report.documents[0].sha256_after
    assert entry["placement"] == "coordinates"
    assert entry["pages"] == "2"
    assert entry["category"] == "合同"
    assert desk.leaves() == 1
    assert desk.quota_used() == before + 1
    assert _parts(tmp_path / "out") == []
    assert list((desk.root / "pending").glob("*")) == []
    assert verify_chain(desk.opened.db).intact

    (filed,) = search(desk.opened.db, ArchiveFilter(sha256=entry["sha256_after"]))
    assert filed.sha256_before == report.documents[0].sha256_before
    copy = tmp_path / "from-archive.pdf"
    get(desk.opened, None, filed.id, copy)
    assert copy.read_bytes() == output.read_bytes()


def test_official_seal_without_approval_is_refused(desk: Desk, tmp_path: Path) -> None:
    (doc,) = _docs(tmp_path / "in", 1)

    report = desk.stamp([doc], tmp_path / "out", seal=OFFICIAL, category="通知")

    (only,) = report.documents
    assert only.outcome is Outcome.REFUSED
    assert "approv" in only.en
    assert list((tmp_path / "out").iterdir()) == []
    assert desk.refusals() == 1
    assert desk.stamp_entries() == []
    assert desk.leaves() == 0


def test_approval_allows_one_stamping_only(desk: Desk, tmp_path: Path) -> None:
    first, second = _docs(tmp_path / "in", 2)
    digest = _sha256(first)
    asked = request_approval(
        desk.opened.db, desk.officer, OFFICIAL, digest, "通知", title="年度通知"
    )
    approver = login_password(desk.opened.db, *APPROVER)
    approve(desk.opened.db, approver, asked.id)

    done = desk.stamp([first], tmp_path / "out", OFFICIAL, "通知", approval_id=asked.id)
    assert done.all_stamped, done
    assert desk.stamp_entries()[0]["title"] == "年度通知"

    again = desk.stamp(
        [second], tmp_path / "out2", OFFICIAL, "通知", approval_id=asked.id
    )
    assert again.documents[0].outcome is Outcome.REFUSED
    reused = desk.stamp(
        [first], tmp_path / "out3", OFFICIAL, "通知", approval_id=asked.id
    )
    assert reused.documents[0].outcome is Outcome.REFUSED
    assert "used" in reused.documents[0].en
    assert len(desk.stamp_entries()) == 1
    assert not (tmp_path / "out2" / second.name).exists()


def test_batch_steps_past_a_bad_file(desk: Desk, tmp_path: Path) -> None:
    docs = _docs(tmp_path / "in", 5)
    docs[2].write_bytes(b"this is not a PDF at all\n" * 10)

    report = desk.stamp(docs, tmp_path / "out")

    outcomes = [d.outcome for d in report.documents]
    assert outcomes == [Outcome.STAMPED] * 2 + [Outcome.REFUSED] + [Outcome.STAMPED] * 2
    assert "not a PDF" in report.documents[2].en
    assert not report.all_stamped
    outputs = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert outputs == sorted(d.name for n, d in enumerate(docs) if n != 2)
    assert len(desk.stamp_entries()) == 4
    assert desk.leaves() == 4


@pytest.mark.parametrize("workers", [False, True], ids=["threads", "processes"])
@pytest.mark.parametrize("k", [1, 23, 50])
def test_token_removed_mid_batch_stops_cleanly(
    desk: Desk,
    tmp_path: Path,
    k: int,
    workers: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PROCESS_BATCH_ENV, str(WORKER_BATCH if workers else 1000))
    docs = _docs(tmp_path / "in", 50)
    removal = RemovableToken("ORG-HSM", after_signatures=k - 1)

    report = desk.stamp(docs, tmp_path / "out", wrap=with_faults(removal))

    outcomes = [d.outcome for d in report.documents]
    assert outcomes == (
        [Outcome.STAMPED] * (k - 1)
        + [Outcome.FAILED]
        + [Outcome.NOT_ATTEMPTED] * (50 - k)
    )
    assert report.stopped_en is not None
    assert "removed" in report.stopped_en
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        d.name for d in docs[: k - 1]
    )
    assert _parts(out) == []
    logged = sorted(str(e["sha256_after"]) for e in desk.stamp_entries())
    assert logged == sorted(_sha256(out / d.name) for d in docs[: k - 1])
    assert desk.leaves() == k - 1
    for output in out.iterdir():
        _verify(desk, output)  # every output is a valid stamped PDF
    assert list((desk.root / "pending").glob("*")) == []


def test_recovery_removes_an_unrecorded_part(desk: Desk, tmp_path: Path) -> None:
    (doc,) = _docs(tmp_path / "in", 1)
    output = tmp_path / "out.pdf"
    write_note(desk.opened, output, _sha256(doc))
    part = tmp_path / "out.pdf.part"
    part.write_bytes(b"half a document")

    recovered = recover_pending(desk.opened)

    assert recovered.removed == (part,)
    assert recovered.published == ()
    assert not part.exists()
    assert not output.exists()
    assert list((desk.root / "pending").glob("*")) == []


def test_outputs_refuse_overwriting_inputs(tmp_path: Path) -> None:
    from app.errors import InputError

    docs = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    with pytest.raises(InputError):
        outputs_for(docs, tmp_path / "one.pdf")
    with pytest.raises(InputError):
        outputs_for(docs, tmp_path)
    assert outputs_for(docs[:1], tmp_path / "x.pdf") == (tmp_path / "x.pdf",)


@pytest.mark.parametrize("count", [1, WORKER_BATCH], ids=["threads", "processes"])
def test_b_t_records_the_time_stamp_authority_time(
    desk: Desk,
    tmp_path: Path,
    pki: TestPki,
    count: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PROCESS_BATCH_ENV, str(WORKER_BATCH))
    docs = _docs(tmp_path / "in", count)

    report = desk.stamp(docs, tmp_path / "out", tsa_url=pki.tsa_url)

    assert report.all_stamped, report
    entries = desk.stamp_entries()
    assert [e["level"] for e in entries] == ["B-T"] * count
    with reading(desk.opened.db) as conn:
        raws = conn.execute(
            "SELECT record FROM evidence_leaves WHERE kind = 'stamp' ORDER BY rowid"
        ).fetchall()
    records = [json.loads(bytes(raw)) for (raw,) in raws]
    assert [r["time_source"] for r in records] == ["tsa"] * count
    assert [r["document_sha256_after"] for r in records] == [
        d.sha256_after for d in report.documents
    ]
    _verify(desk, tmp_path / "out" / docs[-1].name)


def test_b_lt_embeds_what_the_desk_trusts(
    desk: Desk, tmp_path: Path, pki: TestPki
) -> None:
    # The seal chains to the demo root (its CRLs are files of the desk); the
    # time-stamp authority to the test PKI's root, whose CRLs are online.
    set_setting(desk.opened.db, "trust.roots", str(pki.root_pem))
    (doc,) = _docs(tmp_path / "in", 1)

    report = desk.stamp([doc], tmp_path / "out", tsa_url=pki.tsa_url, long_term=True)

    assert report.all_stamped, report
    (entry,) = desk.stamp_entries()
    assert entry["level"] == "B-LT"
    output = report.documents[0].output
    assert b"/DSS" in output.read_bytes()
    checked = verify_at_desk(output, desk.opened, online=False)
    assert checked.verdict is Verdict.VALID, checked.to_json()
    assert checked.signatures[0].revocation is Revocation.GOOD_EMBEDDED


class _WaitForNextPart:
    """Token calls whose first signature waits until the next ``.part`` exists.

    Without the pipeline the next document is only prepared after this
    signature, so the wait would run out.
    """

    def __init__(self, inner: TokenCalls, part: Path) -> None:
        self.inner = inner
        self.part = part
        self.seen: list[bool] = []

    def present_slots(self, lib: Any) -> list[Slot]:
        return self.inner.present_slots(lib)

    def token_flags(self, slot: Slot) -> TokenFlag:
        return self.inner.token_flags(slot)

    def login(self, token: Token, pin: str) -> Session:
        return self.inner.login(token, pin)

    def logout(self, session: Session) -> None:
        self.inner.logout(session)

    def sign(
        self, token: Token, key: SignMixin, data: bytes, mechanism: Any, param: Any
    ) -> bytes:
        if not self.seen:
            waited = threading.Event()
            deadline = 30.0
            while not self.part.exists() and deadline > 0:
                waited.wait(0.02)  # polls a file the other thread writes
                deadline -= 0.02
            self.seen.append(self.part.exists())
        return self.inner.sign(token, key, data, mechanism, param)


def test_next_document_is_prepared_while_the_token_signs(
    desk: Desk, tmp_path: Path
) -> None:
    docs = _docs(tmp_path / "in", 2)
    made: list[_WaitForNextPart] = []

    def wrap(inner: TokenCalls) -> TokenCalls:
        made.append(_WaitForNextPart(inner, tmp_path / "out" / "doc1.pdf.part"))
        return made[-1]

    report = desk.stamp(docs, tmp_path / "out", wrap=wrap)

    assert report.all_stamped, report
    assert made[0].seen == [True]


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()
