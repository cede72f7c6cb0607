"""Fit stancekit into the tools analysts already use.

- :mod:`~stancekit.interop.labelstudio` and :mod:`~stancekit.interop.doccano`: import
  annotations as validated stancekit records; export predictions as pre-annotations.
- :mod:`~stancekit.interop.schema`: the one labelling scheme both tools share, with the shipped
  Label Studio XML and doccano label sets.
- :mod:`~stancekit.interop.events`: statements as PLOVER event records and CAMEO-coded rows.

>>> from stancekit.interop import TOOLS, EXPORT_FORMATS
>>> TOOLS, EXPORT_FORMATS
(('labelstudio', 'doccano'), ('labelstudio', 'doccano', 'plover', 'cameo'))
"""

from __future__ import annotations

from stancekit.interop.doccano import read_doccano, to_doccano, write_doccano
from stancekit.interop.events import CROSSWALK, to_cameo_rows, to_plover, write_cameo, write_plover
from stancekit.interop.labelstudio import read_labelstudio, to_labelstudio, write_labelstudio
from stancekit.interop.schema import ImportResult, config_files, labelstudio_config

TOOLS: tuple[str, ...] = ("labelstudio", "doccano")
EXPORT_FORMATS: tuple[str, ...] = (*TOOLS, "plover", "cameo")

__all__ = [
    "CROSSWALK",
    "EXPORT_FORMATS",
    "TOOLS",
    "ImportResult",
    "config_files",
    "labelstudio_config",
    "read_doccano",
    "read_labelstudio",
    "to_cameo_rows",
    "to_doccano",
    "to_labelstudio",
    "to_plover",
    "write_cameo",
    "write_doccano",
    "write_labelstudio",
    "write_plover",
]
