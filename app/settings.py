"""The settings a workspace knows, what each means, and what it accepts.

Values are stored as text in the workspace database. Each known key has a
checker that normalises the value or refuses it with a message for the person.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from app.admin.journal import recorded
from app.admin.roles import Actor, Role, require_role
from app.errors import SettingError
from storage.database import Database
from storage.settings import all_settings, write_setting
from storage.usage_log import JsonValue, append

__all__ = ["SETTINGS", "Setting", "check_setting", "known_setting"]


@dataclass(frozen=True)
class Setting:
    key: str
    en: str
    zh: str
    check: Callable[[str], str]


def _url(value: str) -> str:
    parsed = urlparse(value.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError("an http:// or https:// address is expected")
    return value.strip()


def _module_paths(value: str) -> str:
    paths = [p.strip() for p in value.split(os.pathsep) if p.strip()]
    if not paths:
        raise ValueError("at least one PKCS#11 module path is expected")
    for path in paths:
        if not os.path.isabs(path):
            raise ValueError(f"{path} is not an absolute path")
    return os.pathsep.join(paths)


def _absolute_path(value: str) -> str:
    if not os.path.isabs(value.strip()):
        raise ValueError(f"{value} is not an absolute path")
    return value.strip()


def _file_paths(value: str) -> str:
    paths = [p.strip() for p in value.split(os.pathsep) if p.strip()]
    if not paths:
        raise ValueError("at least one file path is expected")
    for path in paths:
        if not os.path.isabs(path):
            raise ValueError(f"{path} is not an absolute path")
    return os.pathsep.join(paths)


def _positive_int(value: str) -> str:
    number = int(value)
    if number < 1:
        raise ValueError("a whole number of 1 or more is expected")
    return str(number)


def _whole_hours(value: str) -> str:
    number = int(value)
    if number < 0:
        raise ValueError("a whole number of hours, 0 or more, is expected")
    return str(number)


def _address(value: str) -> str:
    if not re.fullmatch(r"0x[0-9a-fA-F]{40}", value.strip()):
        raise ValueError("a 0x-prefixed 20-byte address is expected")
    return value.strip()


def _language(value: str) -> str:
    if value not in ("zh", "en"):
        raise ValueError("zh or en is expected")
    return value


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting(
            "pkcs11.modules",
            "PKCS#11 module paths (USB-key middleware, HSM client), "
            "separated by the path separator",
            "PKCS#11 模块路径（USB Key 中间件、密码机客户端），以路径分隔符分隔",
            _module_paths,
        ),
        Setting(
            "pkcs11.softhsm2_conf",
            "SoftHSM2 configuration for the demo and test tokens",
            "演示和测试用 SoftHSM2 令牌的配置文件",
            _absolute_path,
        ),
        Setting(
            "trust.roots",
            "Trusted CA certificates for verification (PEM or DER files), "
            "separated by the path separator",
            "验章信任的 CA 证书（PEM 或 DER 文件），以路径分隔符分隔",
            _file_paths,
        ),
        Setting(
            "trust.crls",
            "CRL files the CAs publish, for desks that cannot fetch them "
            "(PEM or DER), separated by the path separator",
            "CA 发布的证书吊销列表文件（PEM 或 DER），供无法在线获取的终端使用，"
            "以路径分隔符分隔",
            _file_paths,
        ),
        Setting("tsa.url", "RFC 3161 timestamp authority URL", "时间戳服务地址", _url),
        Setting(
            "chain.rpc_url",
            "Ethereum JSON-RPC endpoint of the evidence chain",
            "存证区块链 JSON-RPC 地址",
            _url,
        ),
        Setting(
            "chain.id", "Chain id of the evidence chain", "存证链的链 ID", _positive_int
        ),
        Setting(
            "chain.confirmations",
            "Blocks on top of an anchor before it counts as confirmed (default 1)",
            "锚定交易需要的确认区块数（默认 1）",
            _positive_int,
        ),
        Setting(
            "chain.contract",
            "Address that receives evidence anchors",
            "接收存证锚定的合约地址",
            _address,
        ),
        Setting(
            "evidence.batch_size",
            "Evidence leaves per anchored batch",
            "每批锚定的存证数量",
            _positive_int,
        ),
        Setting(
            "evidence.batch_age_seconds",
            "Oldest age of a pending leaf before its batch is anchored",
            "待锚定存证的最长等待时间（秒）",
            _positive_int,
        ),
        Setting(
            "revocation.max_age_hours",
            "Hours a cached OCSP response or CRL counts as fresh when verifying "
            "(default 24; 0 always asks online first)",
            "验章时缓存的 OCSP 响应或 CRL 视为有效的小时数"
            "（默认 24；0 表示总是先在线查询）",
            _whole_hours,
        ),
        Setting(
            "ui.language",
            "Language of the desk: zh or en",
            "界面语言：zh 或 en",
            _language,
        ),
    )
}


def known_setting(key: str) -> Setting:
    """The setting called ``key``, or :class:`SettingError` listing the known."""
    setting = SETTINGS.get(key)
    if setting is None:
        known = ", ".join(sorted(SETTINGS))
        raise SettingError(
            f"Unknown setting {key!r}; known settings: {known}.",
            f"未知设置项 {key!r}；可用设置项：{known}。",
        )
    return setting


def check_setting(key: str, value: str) -> str:
    """Return the normalised value, or raise :class:`SettingError`."""
    setting = known_setting(key)
    try:
        return setting.check(value)
    except ValueError as exc:
        raise SettingError(
            f"Setting {key}: {value!r} is not accepted ({exc}).",
            f"设置项 {key}：不接受取值 {value!r}（{exc}）。",
        ) from exc


def change_settings(
    db: Database, actor: Actor, changes: Mapping[str, str | None]
) -> dict[str, str | None]:
    """Set several settings at once, as an administrator; all or none.

    An empty or ``None`` value removes the setting. Every value is checked
    first; the change is one transaction with one usage-log entry naming the
    keys and their new values (settings hold no secrets). Returns the values
    as stored.

    :raises SettingError: a key is unknown or a value is not accepted.
    :raises NotAdministratorError: ``actor`` is no administrator (logged).
    """
    checked: dict[str, str | None] = {}
    for key, value in changes.items():
        known_setting(key)
        checked[key] = check_setting(key, value) if value else None
    details: dict[str, JsonValue] = {"changed": dict(checked)}
    with recorded(db, "settings.change", actor.person_id, details=details) as conn:
        require_role(conn, actor, Role.ADMINISTRATOR)
        for key, value in checked.items():
            write_setting(conn, key, value)
        append(conn, "settings.change", actor=actor.person_id, details=details)
    return checked


def current_settings(db: Database) -> dict[str, str]:
    """Every setting that has a value, by key."""
    return all_settings(db)
