"""Atomic folders get the permissions a plain ``mkdir`` would give them."""

from __future__ import annotations

import os
import stat

from stancekit.atomic import atomic_directory


def test_atomic_directory_is_not_private(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_directory(tmp_path / "model") as tmp:
            (tmp / "config.json").write_text("{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "model").stat().st_mode) == 0o755
    assert (tmp_path / "model/config.json").read_text() == "{}"
