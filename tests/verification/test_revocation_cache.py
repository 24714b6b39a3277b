"""The workspace's revocation cache: kept after an online check, reused, aged.

The test PKI's animator serves OCSP and CRLs on 127.0.0.1. Each test runs its
own animator so that it can stop it: afterwards nothing answers on its port
and only the cache can tell the revocation status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from asn1crypto import ocsp
from certomancer.registry import ServiceLabel

from app.errors import SettingError
from app.settings import check_setting
from app.verification import Revocation, Verdict, verify_pdf
from app.verification.known import workspace_cache
from app.workspace import (
    GivenPassphrase,
    OpenWorkspace,
    choose_custody,
    init_workspace,
    open_workspace,
)
from storage.revocation_cache import cache_rows
from storage.settings import set_setting
from tests.stamping.documents import simple_pdf
from tests.stamping.pki import TestPki, running_pki
from tests.support.cli import Result, sealdesk
from tests.verification.stamped import stamp_file


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[OpenWorkspace]:
    root = tmp_path / "ws"
    init_workspace(root, choose_custody("keyring"), GivenPassphrase(None))
    with open_workspace(root, GivenPassphrase(None)) as opened:
        yield opened


def _signed_and_checked_online(
    tmp_path: Path, seal: bytes, workspace: OpenWorkspace
) -> tuple[Path, TestPki]:
    """Stamp with a fresh PKI, verify online with the cache, stop the PKI.

    Once the ``with`` block ends the animator is shut down and its port
    closed, so nothing answers the certificates' OCSP and CRL addresses.
    """
    folder = tmp_path / "pki"
    folder.mkdir()
    with running_pki(folder) as pki:
        signed = stamp_file(
            pki, seal, simple_pdf(tmp_path / "in.pdf"), tmp_path / "s.pdf"
        )
        report = verify_pdf(signed, [pki.root], cache=workspace_cache(workspace))
    (sig,) = report.signatures
    assert sig.revocation is Revocation.GOOD_ONLINE, report
    assert report.verdict is Verdict.VALID
    return signed, pki


def _age_cache(workspace: OpenWorkspace, hours: int) -> None:
    when = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)
    with workspace.db.transaction() as conn:
        conn.execute(
            "UPDATE revocation_cache SET fetched_at = ?",
            (when.isoformat(timespec="seconds"),),
        )


def test_online_check_keeps_what_it_fetched(
    tmp_path: Path, seal: bytes, workspace: OpenWorkspace
) -> None:
    _signed_and_checked_online(tmp_path, seal, workspace)

    rows = cache_rows(workspace.db)
    assert rows, "nothing was cached"
    assert {r.kind for r in rows} <= {"ocsp", "crl"}
    for row in rows:
        assert row.der
        assert row.this_update is not None
        fetched = dt.datetime.fromisoformat(row.fetched_at)
        assert abs(dt.datetime.now(dt.UTC) - fetched) < dt.timedelta(minutes=5)


def test_fresh_cache_answers_with_the_network_gone(
    tmp_path: Path, seal: bytes, workspace: OpenWorkspace
) -> None:
    signed, pki = _signed_and_checked_online(tmp_path, seal, workspace)

    report = verify_pdf(signed, [pki.root], cache=workspace_cache(workspace))

    (sig,) = report.signatures
    assert sig.revocation is Revocation.GOOD_CACHED
    assert sig.revocation_stale_since is None
    assert report.verdict is Verdict.VALID
    assert report.to_dict()["signatures"][0]["revocation"] == "good (cached)"


def test_without_a_cache_the_network_gone_leaves_revocation_unknown(
    tmp_path: Path, seal: bytes, workspace: OpenWorkspace
) -> None:
    signed, pki = _signed_and_checked_online(tmp_path, seal, workspace)

    report = verify_pdf(signed, [pki.root])

    assert report.signatures[0].revocation is Revocation.NOT_CHECKED
    assert report.verdict is Verdict.INDETERMINATE


def test_entry_older_than_max_age_is_stale_and_indeterminate(
    tmp_path: Path, seal: bytes, workspace: OpenWorkspace
) -> None:
    signed, pki = _signed_and_checked_online(tmp_path, seal, workspace)
    _age_cache(workspace, hours=30)  # default maximum age: 24 hours

    report = verify_pdf(signed, [pki.root], cache=workspace_cache(workspace))

    (sig,) = report.signatures
    assert sig.revocation is Revocation.GOOD_CACHED_STALE
    assert sig.revocation_stale_since is not None
    assert sig.revocation_stale_since < dt.datetime.now(dt.UTC)
    assert report.verdict is Verdict.INDETERMINATE
    assert any("out of date" in r.en for r in sig.reasons), sig.reasons
    assert "stale since" in sig.revocation_text.en
    assert "已过期" in sig.revocation_text.zh
    plain = report.to_dict()["signatures"][0]
    assert plain["revocation"] == "good (cached, stale)"
    assert plain["revocation_stale_since"] is not None


def test_max_age_setting_of_zero_makes_every_entry_stale(
    tmp_path: Path, seal: bytes, workspace: OpenWorkspace
) -> None:
    signed, pki = _signed_and_checked_online(tmp_path, seal, workspace)
    set_setting(workspace.db, "revocation.max_age_hours", "0")

    report = verify_pdf(
        signed, [pki.root], online=False, cache=workspace_cache(workspace)
    )

    assert report.signatures[0].revocation is Revocation.GOOD_CACHED_STALE
    assert report.verdict is Verdict.INDETERMINATE


def test_stale_entry_is_fetched_again_while_the_network_answers(
    tmp_path: Path, seal: bytes, workspace: OpenWorkspace
) -> None:
    folder = tmp_path / "pki"
    folder.mkdir()
    with running_pki(folder) as pki:
        signed = stamp_file(
            pki, seal, simple_pdf(tmp_path / "in.pdf"), tmp_path / "s.pdf"
        )
        verify_pdf(signed, [pki.root], cache=workspace_cache(workspace))
        _age_cache(workspace, hours=30)
        before = {r.key: r.fetched_at for r in cache_rows(workspace.db)}

        report = verify_pdf(signed, [pki.root], cache=workspace_cache(workspace))

    assert report.signatures[0].revocation is Revocation.GOOD_ONLINE
    after = {r.key: r.fetched_at for r in cache_rows(workspace.db)}
    assert any(after[key] > before[key] for key in before), (before, after)


def test_max_age_setting_accepts_whole_hours_only() -> None:
    assert check_setting("revocation.max_age_hours", "0") == "0"
    assert check_setting("revocation.max_age_hours", "48") == "48"
    with pytest.raises(SettingError):
        check_setting("revocation.max_age_hours", "-1")
    with pytest.raises(SettingError):
        check_setting("revocation.max_age_hours", "soon")


def _past_ocsp(pki: TestPki, at: dt.datetime) -> ocsp.OCSPResponse:
    """The organisation CA's OCSP answer for the seal as it was at ``at``."""
    responder = pki.arch.service_registry.summon_responder(ServiceLabel("org"), at)
    seal_cert, issuer = pki.cert("seal"), pki.cert("org")
    cert_id = ocsp.CertId(
        {
            "hash_algorithm": {"algorithm": "sha1"},
            "issuer_name_hash": seal_cert.issuer.sha1,
            "issuer_key_hash": issuer.public_key.sha1,
            "serial_number": seal_cert.serial_number,
        }
    )
    single = responder.format_single_ocsp_response(cert_id, issuer)
    response: ocsp.OCSPResponse = responder.assemble_simple_ocsp_responses([single])
    return response


def test_data_past_its_next_update_is_used_and_marked_stale_since_then(
    tmp_path: Path, pki: TestPki, seal: bytes, workspace: OpenWorkspace
) -> None:
    signed = stamp_file(pki, seal, simple_pdf(tmp_path / "in.pdf"), tmp_path / "s.pdf")
    answered = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=2)
    old = _past_ocsp(pki, answered)
    root_crl = pki.arch.service_registry.get_crl(ServiceLabel("root"), answered)
    cache = workspace_cache(workspace)
    assert cache.store([old], [root_crl], answered) == 2

    report = verify_pdf(signed, [pki.root], online=False, cache=cache)

    (sig,) = report.signatures
    assert sig.revocation is Revocation.GOOD_CACHED_STALE, sig.reasons
    # certomancer's OCSP answers are valid for ten minutes
    assert sig.revocation_stale_since == answered + dt.timedelta(minutes=10)
    assert report.verdict is Verdict.INDETERMINATE


def test_cached_data_for_other_certificates_is_not_used(
    tmp_path: Path, pki: TestPki, seal: bytes, workspace: OpenWorkspace
) -> None:
    signed = stamp_file(pki, seal, simple_pdf(tmp_path / "in.pdf"), tmp_path / "s.pdf")
    now = dt.datetime.now(dt.UTC)
    # only the root's CRL: nothing answers for the seal certificate itself
    root_crl = pki.arch.service_registry.get_crl(ServiceLabel("root"), now)
    cache = workspace_cache(workspace)
    cache.store([], [root_crl], now)

    report = verify_pdf(signed, [pki.root], online=False, cache=cache)

    assert report.signatures[0].revocation is Revocation.NOT_CHECKED
    assert report.verdict is Verdict.INDETERMINATE


def test_cli_keeps_revocation_data_in_the_workspace_and_says_when_stale(
    tmp_path: Path,
    seal: bytes,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path / "ws"
    init_workspace(root, choose_custody("keyring"), GivenPassphrase(None))

    def verify(path: Path, trust: Path, *extra: str) -> Result:
        return sealdesk(
            capsys, monkeypatch, "--workspace", str(root), *extra,
            "verify", str(path), "--trust", str(trust),
        )  # fmt: skip

    folder = tmp_path / "pki"
    folder.mkdir()
    with running_pki(folder) as pki:
        signed = stamp_file(
            pki, seal, simple_pdf(tmp_path / "in.pdf"), tmp_path / "s.pdf"
        )
        online = verify(signed, pki.root_pem, "--lang", "en")
    cached = verify(signed, pki.root_pem, "--lang", "en")
    setting = sealdesk(
        capsys, monkeypatch, "--workspace", str(root),
        "config", "set", "revocation.max_age_hours", "0",
    )  # fmt: skip
    stale = verify(signed, pki.root_pem, "--lang", "zh")

    assert online.code == 0, online.err
    assert "good (online)" in online.out
    assert cached.code == 0, cached.err
    assert "good (cached)" in cached.out
    assert setting.code == 0, setting.err
    assert stale.code == 2
    assert "有效（缓存，已过期，自 " in stale.out
    assert "已过期的缓存数据" in stale.out
