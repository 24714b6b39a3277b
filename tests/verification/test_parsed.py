"""The per-thread memo of parsed certificates, responses and CRLs."""

from __future__ import annotations

import threading

import pytest
from asn1crypto import x509

from app.verification import parsed as memo
from tests.stamping.pki import TestPki


@pytest.fixture(autouse=True)
def _empty_memo() -> None:
    """Earlier verifications in this thread have filled the memo."""
    memo._memo.entries.clear()
    memo._memo.size = 0


def _sequence(size: int, filler: int) -> bytes:
    """A DER SEQUENCE of ``size`` content bytes (parsed lazily, never read)."""
    return b"\x30\x83" + size.to_bytes(3, "big") + bytes([filler]) * size


def test_the_same_bytes_give_the_same_object_in_one_thread(pki: TestPki) -> None:
    der = pki.root.dump()

    first = memo.parsed(x509.Certificate, der)
    again = memo.parsed(x509.Certificate, bytes(der))

    assert again is first
    assert first.dump() == der


def test_each_thread_parses_for_itself(pki: TestPki) -> None:
    der = pki.cert("org").dump()
    here = memo.parsed(x509.Certificate, der)
    there: list[x509.Certificate] = []

    worker = threading.Thread(
        target=lambda: there.append(memo.parsed(x509.Certificate, der))
    )
    worker.start()
    worker.join()

    assert there[0] is not here
    assert there[0].dump() == here.dump()


def test_a_copy_offered_for_the_same_bytes_is_taken(pki: TestPki) -> None:
    der = pki.cert("seal").dump()
    offered = x509.Certificate.load(der)

    got = memo.parsed(x509.Certificate, der, lambda _: offered)

    assert got is offered


def test_large_items_are_not_kept_and_the_budget_holds() -> None:
    large = _sequence(memo._LARGEST + 1, 1)
    assert memo.parsed(x509.Certificate, large) is not memo.parsed(
        x509.Certificate, large
    )

    first = _sequence(memo._LARGEST - 10, 2)
    kept = memo.parsed(x509.Certificate, first)
    for filler in range(3, 3 + memo._BUDGET // memo._LARGEST + 1):
        memo.parsed(x509.Certificate, _sequence(memo._LARGEST - 10, filler))

    assert memo._memo.size <= memo._BUDGET
    assert memo.parsed(x509.Certificate, first) is not kept  # evicted
