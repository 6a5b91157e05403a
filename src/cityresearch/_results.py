"""A common base for results that hold more than one number or table.

Every estimator that used to return a ``dict`` returns a frozen dataclass derived
from :class:`Result`:

* fields are attributes (``res.estimate``), documented in the class docstring;
* ``res.tidy()`` returns one :class:`pandas.DataFrame` with a row per estimate
  (columns named with their units), as pyfixest's and broom's ``tidy`` do, in
  the schema below;
* ``res.summary()`` returns the text a reader sees (also the ``repr``), with ``-``
  for values that do not apply;
* dict-style access (``res["estimate"]``, ``dict(res)``, ``"ci" in res``) keeps
  working, because code written against the former ``dict`` returns must not break.

The ``tidy()`` schema
---------------------
Every ``tidy()`` frame starts with the columns of :data:`TIDY_COLUMNS`, in this
order, leaving out those that do not apply to the result:

``term``
    What the row is (a string): a short name for one-row results (``"pearson r"``,
    ``"ATT"``, ``"Moran's I"``, ``"Theil total"``), else the row's label
    (``"ATT(2004,2006)"``, ``"club 1"``, a class label).
``estimate``
    The point estimate, in the unit the class's docstring gives.
``std_error``
    Its standard error (absent when the method gives none).
``statistic``
    The test statistic (t, z), absent when there is no test.
``p_value``
    The p-value of that test, or of a permutation test (absent when none).
``conf_low``, ``conf_high``
    The confidence interval; always present, missing (NaN) when not computed,
    as each class's ``tidy()`` docstring says.

Result-specific columns follow: other p-values (``p_value_norm``,
``p_value_t``), the expectation under the null (``expected``), the sample size
(``n_obs``, and e.g. ``n_periods``), the interval's level (``conf_level``), the
draws (``n_boot``, ``n_perm``), counts of rows dropped (``n_dropped``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

#: The leading columns of every ``tidy()`` frame, in order (those that do not
#: apply are left out, except ``conf_low``/``conf_high``, which are NaN then).
TIDY_COLUMNS: tuple[str, ...] = (
    "term",
    "estimate",
    "std_error",
    "statistic",
    "p_value",
    "conf_low",
    "conf_high",
)


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class Result(Mapping):
    """Base class: attribute and mapping access, ``tidy()`` and ``summary()``.

    ``tidy()`` follows the schema of :data:`TIDY_COLUMNS` (see the module
    docstring). Equality is identity: ``a == b`` only when ``a is b``, because
    fields hold arrays and frames whose ``==`` is elementwise. To compare two
    results, compare their fields (``a.estimate == b.estimate``) or their
    ``tidy()`` frames (``pandas.testing.assert_frame_equal(a.tidy(), b.tidy())``).
    Subclasses are declared ``@dataclass(frozen=True, repr=False, eq=False)``
    so that they keep this equality.

    >>> import dataclasses
    >>> @dataclasses.dataclass(frozen=True, repr=False, eq=False)
    ... class Mean(Result):
    ...     estimate: float
    ...     n: int
    ...     def tidy(self):
    ...         return pd.DataFrame({"term": ["mean"], "estimate": [self.estimate],
    ...                              "conf_low": [float("nan")],
    ...                              "conf_high": [float("nan")], "n_obs": [self.n]})
    >>> r = Mean(2.5, 4)
    >>> r["estimate"], r.n, sorted(r)
    (2.5, 4, ['estimate', 'n'])
    >>> r == Mean(2.5, 4), r == r
    (False, True)
    >>> print(r.summary())
    Mean
       term  estimate  conf_low  conf_high  n_obs
    0  mean       2.5         -          -      4
    """

    def _names(self) -> list[str]:
        return [f.name for f in dataclasses.fields(self) if not f.name.startswith("_")]

    def __getitem__(self, key: str) -> Any:
        if key in self._names():
            return getattr(self, key)
        raise KeyError(
            f"{type(self).__name__} has no field {key!r}; fields: {', '.join(self._names())}"
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def __eq__(self, other: object) -> bool:  # dataclass equality breaks on arrays/frames
        return self is other

    __hash__ = object.__hash__

    def tidy(self) -> pd.DataFrame:
        """One row per estimate, columns with units; subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__}.tidy() is not defined")

    def summary(self) -> str:
        """The result as text: its name and its tidy table."""
        return f"{type(self).__name__}\n{self.tidy().to_string(na_rep='-')}"

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return f"<p><b>{type(self).__name__}</b></p>" + self.tidy().to_html()
