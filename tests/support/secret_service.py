"""A private Secret Service for tests: its own D-Bus session and gnome-keyring.

Tests never touch the keyring of the person running them. Each call starts a
``dbus-daemon`` session bus and an unlocked ``gnome-keyring-daemon`` whose
keyrings live in a temporary folder, and returns the environment that points
at them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SecretService", "start_secret_service"]


@dataclass
class SecretService:
    env: dict[str, str]
    pids: list[int] = field(default_factory=list)

    def stop(self) -> None:
        for pid in self.pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


def start_secret_service(home: Path) -> SecretService:
    home.mkdir(parents=True, exist_ok=True)
    bus = subprocess.run(
        [
            "dbus-daemon",
            "--session",
            "--fork",
            "--nopidfile",
            "--print-address=1",
            "--print-pid=1",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    address, pid = bus.stdout.split()[:2]
    env = {
        **os.environ,
        "DBUS_SESSION_BUS_ADDRESS": address,
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_RUNTIME_DIR": str(home / "run"),
    }
    (home / "run").mkdir(mode=0o700, exist_ok=True)
    service = SecretService(env={}, pids=[int(pid)])
    daemon = subprocess.run(
        ["gnome-keyring-daemon", "--unlock", "--daemonize", "--components=secrets"],
        input="test-login",
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    for line in daemon.stdout.splitlines():
        key, _, value = line.partition("=")
        if key == "GNOME_KEYRING_PID":
            service.pids.append(int(value))
        if key:
            env[key] = value
    env.pop("PYTHON_KEYRING_BACKEND", None)
    service.env = env
    return service
