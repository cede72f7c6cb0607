"""Typed settings: dataclasses checked when made, with a dict round trip that rejects unknown keys.

>>> from dataclasses import dataclass
>>> @dataclass
... class Run(Settings):
...     epochs: int = 1
...     def __post_init__(self) -> None:
...         check([(self.epochs > 0, "epochs must be > 0")], "E400")
>>> Run.from_dict({"epochs": 2}).to_dict()
{'epochs': 2}
>>> Run(epochs=0)
Traceback (most recent call last):
...
stancekit.errors.ConfigError: [E400] invalid training configuration: epochs must be > 0. Fix: fix the value named in the message.
"""  # noqa: E501

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from stancekit.errors import ConfigError, did_you_mean


def check(rules: Iterable[tuple[bool, str]], code: str) -> None:
    """Raise :class:`ConfigError` ``code`` with the message of the first rule that does not hold."""
    for ok, message in rules:
        if not ok:
            raise ConfigError(code, message)


class Settings:
    """Mixin for settings dataclasses: :meth:`to_dict` and a strict :meth:`from_dict`."""

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready), for config files and resuming."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        """Inverse of :meth:`to_dict`; rejects unknown keys (E404) with a suggestion."""
        names = [f.name for f in dataclasses.fields(cls)]
        for key in data:
            if key not in names:
                raise ConfigError("E404", f"{key!r}{did_you_mean(key, names)}")
        return cls(**data)
