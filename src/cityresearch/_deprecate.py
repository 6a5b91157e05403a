"""One place for renamed keywords and positional-to-keyword transitions.

The vocabulary settled in release 0.2 (see ``docs/conventions.md``):

========================  ===========  ==============================================
concept                   name         replaces
========================  ===========  ==============================================
region identifier column  ``unit``     ``by=``, ``index=``, ``on=`` (maps)
grouping column / labels  ``group``    ``within=``, ``groups=``
treatment cohort (DiD)    ``cohort``   ``group=`` in :func:`cityresearch.did.att_gt`
bootstrap draws           ``n_boot``   ``B=``, ``draws=``
permutation draws         ``n_perm``   ``permutations=``
========================  ===========  ==============================================

Old names keep working for one release with a
:class:`~cityresearch._errors.CityResearchDeprecationWarning` that names the new
one. Options after the data are keyword-only; a call that still passes them
positionally works for one release with the same warning.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from cityresearch._errors import user_stacklevel

from ._errors import CityResearchDeprecationWarning, ValidationError

F = TypeVar("F", bound=Callable[..., Any])

#: Release in which the old names stop working.
REMOVED_IN = "0.3"


def _warn(message: str) -> None:
    # stacklevel 3: the user's call, past this helper and the wrapper
    warnings.warn(message, CityResearchDeprecationWarning, stacklevel=user_stacklevel())


def renamed(**old_to_new: str) -> Callable[[F], F]:
    """Accept each old keyword for one release, warning and passing it on as the new one.

    >>> @renamed(by="unit")
    ... def f(*, unit="bps_code"):
    ...     return unit
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     f(by="code")
    'code'
    >>> str(w[0].message)
    'f(by=...) is deprecated and will be removed in cityresearch 0.3; use f(unit=...).'
    """

    def decorate(func: F) -> F:
        name = func.__name__

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs:
                        raise ValidationError(
                            f"{name}() got both {old}= (the old name) and {new}=; pass only {new}=."
                        )
                    _warn(
                        f"{name}({old}=...) is deprecated and will be removed in "
                        f"cityresearch {REMOVED_IN}; use {name}({new}=...)."
                    )
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        wrapper.__deprecated_names__ = dict(old_to_new)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def keyword_only(*old_positional: str) -> Callable[[F], F]:
    """Let options that used to be positional still be passed so for one release.

    ``old_positional`` names, in their former order, the parameters that followed
    the ones still positional. The decorated function declares them after ``*``.

    >>> @keyword_only("pop")
    ... def williamson(grdp_pc, *, pop):
    ...     return grdp_pc, pop
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     williamson([1], [2])
    ([1], [2])
    >>> str(w[0].message).startswith("williamson(): passing pop positionally is deprecated")
    True
    """

    def decorate(func: F) -> F:
        name = func.__name__
        params = inspect.signature(func).parameters
        n_pos = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params.values())
        unknown = [p for p in old_positional if p not in params]
        if unknown:  # pragma: no cover - a programming error caught at import
            raise TypeError(f"{name}: keyword_only names unknown parameters {unknown}")

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            extra = args[n_pos:]
            if extra:
                if len(extra) > len(old_positional):
                    raise TypeError(
                        f"{name}() takes {n_pos} positional arguments (up to "
                        f"{n_pos + len(old_positional)} with the deprecated positional "
                        f"{', '.join(old_positional)}) but {len(args)} were given"
                    )
                moved = old_positional[: len(extra)]
                for pname, value in zip(moved, extra, strict=True):
                    if pname in kwargs:
                        raise TypeError(f"{name}() got multiple values for argument {pname!r}")
                    kwargs[pname] = value
                _warn(
                    f"{name}(): passing {', '.join(moved)} positionally is deprecated and "
                    f"will be removed in cityresearch {REMOVED_IN}; pass "
                    f"{', '.join(p + '=...' for p in moved)} by name."
                )
                args = args[:n_pos]
            return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def moved(module: str, names: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for functions that moved to another module.

    ``names`` maps each old attribute to its new home (``"cityresearch.panels"``).
    The old spelling keeps working for one release, warns, and imports the new
    module only when used (so the old module does not depend on it at import).

    >>> __getattr__ = moved("cityresearch.growth", {"region_frame": "cityresearch.panels"})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     f = __getattr__("region_frame")
    >>> f.__module__, str(w[0].message).split(";")[1].strip()
    ('cityresearch.panels', 'use cityresearch.panels.region_frame.')
    """

    def __getattr__(name: str) -> Any:
        if name in names:
            import importlib

            _warn(
                f"{module}.{name} moved to {names[name]}.{name} and will be removed from "
                f"{module} in cityresearch {REMOVED_IN}; use {names[name]}.{name}."
            )
            return getattr(importlib.import_module(names[name]), name)
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
