"""Token errors with messages for the officer at the desk, in English and Chinese.

Every failure of the token layer reaches callers as a :class:`TokenError`
subclass. python-pkcs11 exceptions are translated by :func:`from_pkcs11` at the
boundary (always ``raise ... from exc``). :class:`PinEntryCancelled` is not an
error: it means the person chose not to enter a PIN, and callers drop it quietly.

python-pkcs11 is imported inside :func:`from_pkcs11` only: every layer imports
these classes, and the desktop window must open without loading the token
library.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pkcs11 import exceptions as p11

__all__ = [
    "BatchClosedError",
    "KeyNotFoundError",
    "MechanismUnsupportedError",
    "ModuleInUseError",
    "ModuleLoadError",
    "NoModuleConfiguredError",
    "PinEntryCancelled",
    "PinIncorrectError",
    "PinLockedError",
    "TokenAbsentError",
    "TokenError",
    "TokenOperationError",
    "TokenTimeoutError",
    "WorkerStoppedError",
    "from_pkcs11",
]

log = logging.getLogger(__name__)


class TokenError(Exception):
    """Base of every token-layer error; ``en`` and ``zh`` are shown to the user."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh


class PinEntryCancelled(Exception):
    """The person dismissed the PIN request. Not an error: show nothing."""


class ModuleLoadError(TokenError):
    """A PKCS#11 module (vendor middleware) could not be loaded."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"The token driver {path} could not be loaded ({reason}). "
            "Check that the vendor middleware is installed.",
            f"无法加载令牌驱动 {path}（{reason}）。请确认已安装厂商中间件。",
        )
        self.path = path


class ModuleInUseError(ModuleLoadError):
    """The module is loaded in this process already; another use holds it."""

    def __init__(self, path: str) -> None:
        super().__init__(path, "already loaded in this process")


class NoModuleConfiguredError(TokenError):
    """No PKCS#11 module path was given or configured."""

    def __init__(self) -> None:
        super().__init__(
            "No token driver (PKCS#11 module) is configured.",
            "未配置令牌驱动（PKCS#11 模块）。",
        )


class TokenAbsentError(TokenError):
    """The token is not inserted, or was removed during the operation."""

    def __init__(self, label: str) -> None:
        super().__init__(
            f"The token '{label}' is not present or was removed. "
            "Insert it and try again.",
            f"未检测到令牌“{label}”，或令牌已被拔出。请插入后重试。",
        )
        self.label = label


class PinIncorrectError(TokenError):
    """The PIN was wrong; ``tries_left`` is set when the token reveals it."""

    def __init__(self, label: str, tries_left: int | None, count_low: bool) -> None:
        if tries_left is not None:
            en_hint = f" {tries_left} attempt(s) left before the PIN locks."
            zh_hint = f"再错 {tries_left} 次 PIN 将被锁定。"
        elif count_low:
            en_hint = " Few attempts are left before the PIN locks."
            zh_hint = "剩余尝试次数不多，PIN 即将被锁定。"
        else:
            en_hint = zh_hint = ""
        super().__init__(
            f"The PIN for token '{label}' is incorrect.{en_hint}",
            f"令牌“{label}”的 PIN 不正确。{zh_hint}",
        )
        self.label = label
        self.tries_left = tries_left
        self.count_low = count_low


class PinLockedError(TokenError):
    """The user PIN is locked; only the security officer can unlock it."""

    def __init__(self, label: str) -> None:
        super().__init__(
            f"The PIN for token '{label}' is locked. "
            "Ask your administrator to unlock it.",
            f"令牌“{label}”的 PIN 已被锁定，请联系管理员解锁。",
        )
        self.label = label


class KeyNotFoundError(TokenError):
    """No key (or no certificate for it) matches what was asked for."""

    def __init__(self, label: str, what: str = "") -> None:
        en_what = f" {what}" if what else ""
        super().__init__(
            f"No key{en_what} was found on token '{label}'.",
            f"在令牌“{label}”上找不到密钥{what}。",
        )
        self.label = label


class MechanismUnsupportedError(TokenError):
    """The token cannot perform the requested signature algorithm."""

    def __init__(self, label: str, mechanism: str) -> None:
        super().__init__(
            f"Token '{label}' does not support the signature algorithm {mechanism}.",
            f"令牌“{label}”不支持签名算法 {mechanism}。",
        )
        self.label = label
        self.mechanism = mechanism


class BatchClosedError(TokenError):
    """A signature was requested after its login batch had ended."""

    def __init__(self, label: str) -> None:
        super().__init__(
            f"The signing session on token '{label}' has already ended.",
            f"令牌“{label}”的签名会话已结束。",
        )
        self.label = label


class TokenTimeoutError(TokenError):
    """The token did not answer within the time the caller allowed."""

    def __init__(self, label: str, seconds: float) -> None:
        super().__init__(
            f"Token '{label}' did not respond within {seconds:g} seconds. "
            "It may be busy or faulty.",
            f"令牌“{label}”在 {seconds:g} 秒内无响应，可能正忙或出现故障。",
        )
        self.label = label


class WorkerStoppedError(TokenError):
    """A request reached a worker whose module has been unloaded."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"The token driver {name} has been closed.",
            f"令牌驱动 {name} 已关闭。",
        )


class TokenOperationError(TokenError):
    """Any other refusal or failure reported by the token."""

    def __init__(self, label: str, reason: str) -> None:
        super().__init__(
            f"Token '{label}' reported an error: {reason}.",
            f"令牌“{label}”报告错误：{reason}。",
        )
        self.label = label


def from_pkcs11(
    exc: p11.PKCS11Error,
    label: str,
    *,
    mechanism: str = "",
    tries_left: int | None = None,
    count_low: bool = False,
) -> TokenError:
    """Translate a python-pkcs11 exception into the matching :class:`TokenError`.

    The caller raises the result ``from exc``. PIN retry hints are passed in
    because they come from the token flags read after the failure.
    """
    from pkcs11 import exceptions as p11

    absent = (
        p11.TokenNotPresent,
        p11.DeviceRemoved,
        p11.SessionHandleInvalid,
        p11.SessionClosed,
        p11.NoSuchToken,
        p11.TokenNotRecognised,
        p11.SlotIDInvalid,
    )
    mechanism_errors = (
        p11.MechanismInvalid,
        p11.MechanismParamInvalid,
        p11.FunctionNotSupported,
        p11.KeyTypeInconsistent,
    )
    key_errors = (p11.NoSuchKey, p11.KeyHandleInvalid, p11.ObjectHandleInvalid)
    pin_wrong = (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange)

    if isinstance(exc, absent):
        return TokenAbsentError(label)
    if isinstance(exc, pin_wrong):
        return PinIncorrectError(label, tries_left, count_low)
    if isinstance(exc, p11.PinLocked):
        return PinLockedError(label)
    if isinstance(exc, mechanism_errors):
        return MechanismUnsupportedError(label, mechanism or type(exc).__name__)
    if isinstance(exc, key_errors):
        return KeyNotFoundError(label)
    log.debug("unmapped token error %s on %s", type(exc).__name__, label)
    return TokenOperationError(label, type(exc).__name__)
