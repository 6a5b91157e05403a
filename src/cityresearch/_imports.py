"""Import optional heavy libraries without their import-time noise (private).

pooch, esda and giddy import ``tqdm.auto``, which in a Jupyter kernel without
ipywidgets warns "IProgress not found" on stderr. cityresearch never shows a
widget progress bar in notebooks, so that one warning is silenced at the import
(nothing else is).
"""

from __future__ import annotations

import importlib
import warnings
from types import ModuleType


def quiet_import(name: str) -> ModuleType:
    """Import module ``name`` with tqdm's "IProgress not found" warning silenced."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="IProgress not found")
        return importlib.import_module(name)
