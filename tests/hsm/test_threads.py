"""Many threads, two modules, one login per batch - on real SoftHSM2 tokens."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from hsm.keys import KeyInfo
from hsm.manager import TokenManager
from hsm.session import TokenSession
from tests.support.softhsm import FixedPinHandler

pytestmark = pytest.mark.hsm

THREADS = 8
PER_THREAD = 50


def _verify(key: KeyInfo, data: bytes, signature: bytes) -> None:
    cert = key.x509_certificate()
    assert cert is not None
    public = cert.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    else:
        assert isinstance(public, rsa.RSAPublicKey)
        public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())


def _sign_many(batch: TokenSession, key: KeyInfo, worker: int) -> list[bytes]:
    for n in range(PER_THREAD):
        data = f"document {worker}-{n}".encode()
        _verify(key, data, batch.sign(key, data))
    return [b"ok"] * PER_THREAD


def test_eight_threads_share_one_login(
    manager: TokenManager, pin_handler: FixedPinHandler
) -> None:
    token = manager.find_token(label="SEAL-EC")
    before = manager.login_count(token)
    start = threading.Barrier(THREADS)

    with manager.session(token, pin_handler) as batch:
        key = batch.find_key(label="p256")

        def run(worker: int) -> list[bytes]:
            start.wait()
            return _sign_many(batch, key, worker)

        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(run, range(THREADS)))

    assert sum(len(r) for r in results) == THREADS * PER_THREAD
    assert manager.login_count(token) - before == 1
    assert len(pin_handler.requests) == 1


def test_each_batch_logs_in_once_and_batches_take_turns(
    manager: TokenManager, pin_handler: FixedPinHandler
) -> None:
    token = manager.find_token(label="SEAL-RSA")
    before = manager.login_count(token)

    def batch_of_ten(worker: int) -> int:
        with manager.session(token, pin_handler) as batch:
            key = batch.find_key(label="rsa2048")
            for n in range(10):
                data = f"{worker}/{n}".encode()
                _verify(key, data, batch.sign(key, data))
        return worker

    with ThreadPoolExecutor(4) as pool:
        assert sorted(pool.map(batch_of_ten, range(4))) == [0, 1, 2, 3]

    assert manager.login_count(token) - before == 4


def test_two_tokens_in_two_modules_at_once(
    module_path: str, second_module_path: str, pin_handler: FixedPinHandler
) -> None:
    with TokenManager([module_path, second_module_path], poll_interval=None) as m:
        rsa_token = next(
            t
            for t in m.tokens()
            if t.label == "SEAL-RSA" and t.module_path == module_path
        )
        ec_token = next(
            t
            for t in m.tokens()
            if t.label == "SEAL-EC" and t.module_path == second_module_path
        )
        with (
            m.session(rsa_token, pin_handler) as rsa_batch,
            m.session(ec_token, pin_handler) as ec_batch,
        ):
            rsa_key = rsa_batch.find_key(label="rsa2048")
            ec_key = ec_batch.find_key(label="p256")
            with ThreadPoolExecutor(4) as pool:
                jobs = [
                    pool.submit(_sign_many, rsa_batch, rsa_key, 1),
                    pool.submit(_sign_many, ec_batch, ec_key, 2),
                    pool.submit(_sign_many, rsa_batch, rsa_key, 3),
                    pool.submit(_sign_many, ec_batch, ec_key, 4),
                ]
                assert all(len(j.result()) == PER_THREAD for j in jobs)

        assert {module.worker.name for module in m.modules} == {
            module_path,
            second_module_path,
        }
        assert m.login_count(rsa_token) == 1
        assert m.login_count(ec_token) == 1
