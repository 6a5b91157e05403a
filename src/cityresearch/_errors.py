"""Named exceptions of cityresearch.

Every failure a researcher may want to catch has its own class, and every
message says what to do next. All derive from :class:`CityResearchError`.
"""

from __future__ import annotations


class CityResearchError(Exception):
    """Base class of every error raised by cityresearch."""


class EstimationError(CityResearchError, RuntimeError):
    """A model that cannot be estimated on the data it was given.

    The subclasses say why; every message names the model and what to change
    (a regressor to remove, a sample to widen, a trimming bound to relax).
    """


class SingularDesignError(EstimationError):
    """Regressors without variation or exactly collinear: coefficients are not identified.

    The message names the offending columns of the design matrix.
    """


class SeparationError(EstimationError):
    """A binary-outcome model whose outcome one regressor (or a combination) predicts perfectly.

    Maximum-likelihood estimates do not exist (they diverge); scores of 0 or 1 follow.
    """


class ConvergenceError(EstimationError):
    """An iterative estimator that did not reach its convergence criterion."""


class DatasetNotFoundError(CityResearchError, LookupError):
    """A dataset or file name that is not in the data registry."""


class HashMismatchError(CityResearchError, ValueError):
    """A downloaded or mirrored file whose SHA-256 is not the pinned one.

    The file is rejected (not kept in the cache).
    """


class DataUnavailableError(CityResearchError, OSError):
    """A file that is neither cached, nor in the mirror, nor downloadable."""


class MalformedFileError(CityResearchError, ValueError):
    """An input file that cannot be parsed; the message names file and line."""


class BPSAPIError(CityResearchError):
    """A problem reported by, or met while talking to, the BPS WebAPI.

    Messages never contain the API key (it is replaced by ``***``).
    """


class BPSKeyError(BPSAPIError, PermissionError):
    """No BPS WebAPI key, or a key the API refuses."""


class BPSRequestError(BPSAPIError, ConnectionError):
    """The BPS WebAPI could not be reached or kept failing (timeouts, 5xx, 429)
    after the retries; nothing was cached."""


class ListNotAvailableError(BPSAPIError, LookupError):
    """The BPS WebAPI answered "list-not-available" / "not-available": the
    list or table exists in no form for that domain, variable or period."""


class UnknownVariableError(BPSAPIError, LookupError):
    """A BPS variable id that the API does not publish for the domain."""


class MalformedResponseError(BPSAPIError, ValueError):
    """A BPS WebAPI response that is not the documented shape (truncated,
    not JSON, missing label lists, ``datacontent`` keys that fit no label
    combination)."""


class EmptyFileError(MalformedFileError):
    """An input file with no data rows (empty, or a header only)."""


class InputPathError(CityResearchError, OSError):
    """A path given as input that does not exist, is a folder, or cannot be read."""


class RegionNotFoundError(CityResearchError, LookupError):
    """A region name or code that matches no kabupaten/kota or province."""


class AmbiguousRegionError(CityResearchError, ValueError):
    """A region name that matches more than one region (e.g. bare "Blitar")."""

    def __init__(self, message: str, candidates: list | None = None):
        super().__init__(message)
        self.candidates = candidates or []


class ValidationError(CityResearchError, ValueError):
    """An argument or a data frame that does not meet a function's contract."""


class CityResearchWarning(UserWarning):
    """Base class of every warning issued by cityresearch."""


class DroppedRowsWarning(CityResearchWarning):
    """Rows were left out of a computation (``missing="drop"``) or excluded.

    The warning names how many and which; the result carries the same rows
    (``result.attrs["dropped"]`` for frames, ``result["dropped"]`` for dicts),
    so nothing is lost silently.
    """


class DroppedRegressorWarning(CityResearchWarning):
    """Regressors were left out of a model because they had no variation in its sample.

    The result lists them too (``result["dropped_regressors"]`` or
    ``scores.attrs["dropped_regressors"]``).
    """


class CacheWarning(CityResearchWarning):
    """The data cache could not be used as intended (read-only folder, a
    corrupt or unreadable parsed file that was rebuilt); results are still
    computed from the verified raw files."""


class CityResearchDeprecationWarning(CityResearchWarning, FutureWarning):
    """A name or calling style that still works but will be removed in the next release.

    The message names the replacement. It derives from :class:`FutureWarning` so
    that it is shown in notebooks and scripts (Python hides
    :class:`DeprecationWarning` outside ``__main__``).
    """


def user_stacklevel() -> int:
    """The ``stacklevel`` for :func:`warnings.warn` that points at the user's line.

    Call it in the argument list of ``warnings.warn`` inside cityresearch: it
    counts the frames from that call out to the first one outside the package,
    so a warning names the researcher's notebook cell or script line however
    many wrappers (deprecation shims, validation helpers) lie in between.
    """
    import os
    import sys
    import types

    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    frame: types.FrameType | None = sys._getframe(1)
    level = 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame = frame.f_back
        level += 1
    return level
