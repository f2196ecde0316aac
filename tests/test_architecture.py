"""House rules that import-linter cannot state: modules stay small enough to read in one sitting.

(The import rules themselves are contracts in pyproject.toml, run by `lint-imports` in the README's
test command before pytest.)
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400


def test_no_module_is_over_400_lines() -> None:
    sizes = {path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for folder in ("core", "gui") for path in (ROOT / folder).rglob("*.py")}
    too_long = {name: lines for name, lines in sizes.items() if lines > MAX_LINES}
    assert not too_long, f"split these modules (over {MAX_LINES} lines): {too_long}"
