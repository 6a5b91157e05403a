"""cityresearch: policy research on Indonesian regions with real, verified data.

Modules (import the one you need; ``import cityresearch`` stays light):

- :mod:`cityresearch.data` -- download, verify, cache and parse the datasets (one
  declarative spec each: ``data.load(name)``, ``data.datasets()``);
- :mod:`cityresearch.regions` -- the registry of 514 kabupaten/kota and 38 provinces,
  BPS and Kemendagri codes, name matching, boundaries joined to the registry;
- :mod:`cityresearch.panels` -- analysis frames assembled from datasets and the registry;
- :mod:`cityresearch.settings` -- cache folder, offline mirror, offline mode.

Terms: *kabupaten* (regency) and *kota* (city) are the second-level regions,
514 of them; *provinsi* the 38 provinces (34 before the 2022 Papua split);
*PDRB/GRDP* gross regional domestic product; *pemekaran* the splitting of a
region into new ones.
"""

from cityresearch._errors import (
    AmbiguousRegionError,
    CacheWarning,
    CityResearchDeprecationWarning,
    CityResearchError,
    DatasetNotFoundError,
    DataUnavailableError,
    HashMismatchError,
    MalformedFileError,
    RegionNotFoundError,
    ValidationError,
)


def _version() -> str:
    """The installed distribution's version (defined once, in pyproject.toml)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cityresearch")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


__version__ = _version()

__all__ = [
    "AmbiguousRegionError",
    "CacheWarning",
    "CityResearchDeprecationWarning",
    "CityResearchError",
    "DataUnavailableError",
    "DatasetNotFoundError",
    "HashMismatchError",
    "MalformedFileError",
    "RegionNotFoundError",
    "ValidationError",
    "__version__",
]
