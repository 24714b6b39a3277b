"""Removed tokens, wrong and locked PINs, slow tokens: each gets its own message."""

from __future__ import annotations

import queue
import threading

import pytest
from pkcs11 import exceptions as p11

from hsm.errors import (
    ModuleLoadError,
    NoModuleConfiguredError,
    PinEntryCancelled,
    PinIncorrectError,
    PinLockedError,
    TokenAbsentError,
    TokenError,
    from_pkcs11,
)
from hsm.faults import LockingPin, RemovableToken, SlowToken, with_faults
from hsm.manager import TokenManager
from hsm.pin import PinRequest, PinWarning
from hsm.session import TokenTimeoutError
from hsm.tokens import TokenEvent, TokenEventKind
from tests.hsm.conftest import PIN
from tests.support.softhsm import FixedPinHandler

pytestmark = pytest.mark.hsm


def test_token_removed_mid_batch(
    module_path: str, pin_handler: FixedPinHandler
) -> None:
    removal = RemovableToken("SEAL-FAULT", after_signatures=5)
    events: queue.SimpleQueue[TokenEvent] = queue.SimpleQueue()
    with TokenManager(
        [module_path], wrap_calls=with_faults(removal), poll_interval=None
    ) as m:
        m.add_listener(events.put)
        token = m.find_token(label="SEAL-FAULT")
        with m.session(token, pin_handler) as batch:
            key = batch.find_key(label="p256")
            signatures = [batch.sign(key, b"page %d" % n) for n in range(5)]
            with pytest.raises(TokenAbsentError) as info:
                batch.sign(key, b"page 6")

        assert len(signatures) == removal.signatures == 5
        assert isinstance(info.value.__cause__, p11.DeviceRemoved)
        assert "removed" in info.value.en
        assert "拔出" in info.value.zh

        assert "SEAL-FAULT" not in [t.label for t in m.tokens()]
        event = events.get_nowait()
        assert (event.kind, event.token.label) == (TokenEventKind.REMOVED, "SEAL-FAULT")

        removal.plug()
        assert "SEAL-FAULT" in [t.label for t in m.tokens()]
        assert events.get_nowait().kind is TokenEventKind.INSERTED


def test_worker_polls_slots_and_reports_removal(module_path: str) -> None:
    removal = RemovableToken("SEAL-FAULT")
    seen = threading.Event()

    def listener(event: TokenEvent) -> None:
        if event.kind is TokenEventKind.REMOVED and event.token.label == "SEAL-FAULT":
            seen.set()

    with TokenManager(
        [module_path], wrap_calls=with_faults(removal), poll_interval=0.05
    ) as m:
        m.add_listener(listener)
        removal.unplug()
        assert seen.wait(timeout=10)


def test_login_on_removed_token(module_path: str, pin_handler: FixedPinHandler) -> None:
    removal = RemovableToken("SEAL-FAULT")
    with TokenManager(
        [module_path], wrap_calls=with_faults(removal), poll_interval=None
    ) as m:
        token = m.find_token(label="SEAL-FAULT")
        removal.unplug()
        with pytest.raises(TokenAbsentError), m.session(token, pin_handler):
            pass
        assert pin_handler.requests == []


def _login_ok(m: TokenManager, label: str) -> None:
    with m.session(m.find_token(label=label), FixedPinHandler(PIN)):
        pass


def test_wrong_pin_then_count_low_warning(manager: TokenManager) -> None:
    _login_ok(manager, "SEAL-FAULT")  # SoftHSM resets its counter on success
    token = manager.find_token(label="SEAL-FAULT")
    wrong = FixedPinHandler("000000")

    with pytest.raises(PinIncorrectError) as info, manager.session(token, wrong):
        pass

    assert isinstance(info.value.__cause__, p11.PinIncorrect)
    assert "incorrect" in info.value.en
    assert "不正确" in info.value.zh
    assert info.value.count_low  # SoftHSM raises COUNT_LOW after a failure
    assert wrong.requests[0].warning is PinWarning.NONE

    retry = FixedPinHandler(PIN)
    with manager.session(token, retry):
        pass
    assert retry.requests[0].warning is PinWarning.COUNT_LOW


def test_pin_locks_after_three_wrong_tries(module_path: str) -> None:
    locking = LockingPin("SEAL-FAULT", max_wrong=3)
    with TokenManager(
        [module_path], wrap_calls=with_faults(locking), poll_interval=None
    ) as m:
        token = m.find_token(label="SEAL-FAULT")
        wrong = FixedPinHandler("999999")
        errors: list[TokenError] = []
        for _ in range(3):
            with pytest.raises(TokenError) as info, m.session(token, wrong):
                pass
            errors.append(info.value)

        right = FixedPinHandler(PIN)
        with pytest.raises(PinLockedError) as locked, m.session(token, right):
            pass

    assert [type(e) for e in errors] == [
        PinIncorrectError,
        PinIncorrectError,
        PinLockedError,
    ]
    assert [r.warning for r in wrong.requests] == [
        PinWarning.NONE,
        PinWarning.COUNT_LOW,
        PinWarning.FINAL_TRY,
    ]
    second = errors[1]
    assert isinstance(second, PinIncorrectError)
    assert second.tries_left == 1
    assert "1 attempt(s) left" in second.en
    assert "locked" in locked.value.en
    assert "锁定" in locked.value.zh
    assert right.requests == []  # a locked token is not asked for a PIN
    _login_ok_after_fault(module_path)


def _login_ok_after_fault(module_path: str) -> None:
    with TokenManager([module_path], poll_interval=None) as m:
        _login_ok(m, "SEAL-FAULT")


def test_slow_token_times_out_with_its_own_message(
    module_path: str, pin_handler: FixedPinHandler
) -> None:
    slow = SlowToken("SEAL-FAULT", delay=0.3)
    with TokenManager(
        [module_path], wrap_calls=with_faults(slow), poll_interval=None
    ) as m:
        token = m.find_token(label="SEAL-FAULT")
        with m.session(token, pin_handler) as batch:
            key = batch.find_key(label="p256")
            with pytest.raises(TokenTimeoutError) as info:
                batch.sign(key, b"late", timeout=0.05)
            assert batch.sign(key, b"patient") != b""

    assert "did not respond" in info.value.en
    assert "无响应" in info.value.zh


def test_slow_token_does_not_hold_up_another_module(
    module_path: str, second_module_path: str, pin_handler: FixedPinHandler
) -> None:
    slow = SlowToken("SEAL-FAULT", delay=1.0)
    with TokenManager(
        [module_path, second_module_path],
        wrap_calls=with_faults(slow),
        poll_interval=None,
    ) as m:
        slow_token = next(
            t
            for t in m.tokens()
            if t.label == "SEAL-FAULT" and t.module_path == module_path
        )
        fast_token = next(
            t
            for t in m.tokens()
            if t.label == "SEAL-EC" and t.module_path == second_module_path
        )
        with (
            m.session(slow_token, pin_handler) as slow_batch,
            m.session(fast_token, pin_handler) as fast_batch,
        ):
            pending = slow_batch.sign_async(slow_batch.find_key(label="p256"), b"a")
            fast_batch.sign(fast_batch.find_key(label="p256"), b"b")
            assert not pending.done()
            assert pending.result() != b""


class _Cancel:
    def request_pin(self, request: PinRequest) -> str:
        raise PinEntryCancelled()


def test_cancelled_pin_entry_is_not_an_error(manager: TokenManager) -> None:
    token = manager.find_token(label="SEAL-FAULT")
    before = manager.login_count(token)
    with pytest.raises(PinEntryCancelled), manager.session(token, _Cancel()):
        pass
    assert not issubclass(PinEntryCancelled, TokenError)
    assert manager.login_count(token) == before


def test_module_that_cannot_load(tmp_path: object) -> None:
    with pytest.raises(ModuleLoadError) as info:
        TokenManager(["/nonexistent/libvendor.so"])
    assert "/nonexistent/libvendor.so" in info.value.en
    assert "厂商中间件" in info.value.zh
    with pytest.raises(NoModuleConfiguredError):
        TokenManager([])


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (p11.PinIncorrect(), PinIncorrectError),
        (p11.PinLocked(), PinLockedError),
        (p11.TokenNotPresent(), TokenAbsentError),
        (p11.DeviceRemoved(), TokenAbsentError),
        (p11.SessionHandleInvalid(), TokenAbsentError),
    ],
)
def test_pkcs11_errors_map_to_domain_errors(
    exc: p11.PKCS11Error, expected: type[TokenError]
) -> None:
    error = from_pkcs11(exc, "SEAL")
    assert type(error) is expected
    assert error.en
    assert error.zh
