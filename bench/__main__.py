"""Run every benchmark in bench/ and print its figures next to its baselines.

Each ``bench_*.py`` runs as its own process so one cannot warm caches or hold
tokens for another. Benchmarks are not tests: they print, they do not assert.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    selected = sys.argv[1:]
    failures = 0
    for script in sorted(here.glob("bench_*.py")):
        if selected and script.stem.removeprefix("bench_") not in selected:
            continue
        print(f"== {script.stem}", flush=True)
        done = subprocess.run([sys.executable, str(script)], check=False)
        failures += done.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
