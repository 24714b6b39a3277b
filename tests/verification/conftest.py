"""Fixtures of the verification tests: a served test PKI and a seal image."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stamping.documents import seal_png
from tests.stamping.pki import TestPki, running_pki


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestPki]:
    with running_pki(tmp_path_factory.mktemp("pki")) as running:
        yield running


@pytest.fixture(scope="session")
def seal() -> bytes:
    return seal_png()
