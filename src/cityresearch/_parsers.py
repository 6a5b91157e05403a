"""Moved to :mod:`cityresearch.data._parsers` (kept importable for existing code)."""

from cityresearch.data._parsers import *
from cityresearch.data._parsers import (  # noqa: F401
    _PROVINCE_EN,
    SWAPPED_CODES,
    parse_boundaries_sql,
    parse_crosswalk,
    parse_indonesia514,
    parse_quarcs_districts,
    parse_quarcs_provinces,
    repair,
)
