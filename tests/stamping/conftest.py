"""Fixtures of the stamping tests: a served test PKI, an NSS store, a seal."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stamping.documents import seal_png
from tests.stamping.pdfsig import make_nss_db
from tests.stamping.pki import TestPki, running_pki


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestPki]:
    with running_pki(tmp_path_factory.mktemp("pki")) as running:
        yield running


@pytest.fixture(scope="session")
def nss(pki: TestPki, tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_nss_db(tmp_path_factory.mktemp("nss"), pki.root_pem)


@pytest.fixture(scope="session")
def seal() -> bytes:
    return seal_png()
