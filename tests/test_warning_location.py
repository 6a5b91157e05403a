"""Every warning cityresearch issues names the caller's line, however many
wrappers (deprecation shims, validation helpers) lie in between."""

import warnings

import numpy as np
import pandas as pd
import pytest

from cityresearch import CityResearchDeprecationWarning, economy, growth
from cityresearch._errors import DroppedRowsWarning, user_stacklevel


def _panel():
    return pd.DataFrame(
        {
            "bps_code": ["a", "a", "b", "b", "c", "c"],
            "year": [2000, 2001] * 3,
            "grdp_pc_idr_k": [1.0, np.nan, 2.0, 3.0, 4.0, 5.0],
        }
    )


CASES = [
    # two stacked shims (@renamed over @keyword_only) and an old positional call
    (
        lambda: economy.theil(np.array([1.0, 2.0]), np.array([1.0, 1.0]), np.array(["g", "h"])),
        CityResearchDeprecationWarning,
    ),
    # a drop warning issued by the shared validation helper, under a shim
    (lambda: economy.sigma_convergence(_panel(), missing="drop"), DroppedRowsWarning),
    (
        lambda: growth.growth_rates(_panel(), "grdp_pc_idr_k", missing="drop"),
        DroppedRowsWarning,
    ),
    # an old keyword
    (
        lambda: economy.sigma_convergence(_panel().dropna(), by="bps_code"),
        CityResearchDeprecationWarning,
    ),
]


@pytest.mark.parametrize("call, category", CASES)
def test_warning_points_at_this_file(call, category):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    ours = [w for w in caught if issubclass(w.category, category)]
    assert ours, f"no {category.__name__} issued"
    assert all(w.filename == __file__ for w in ours), [(w.filename, w.lineno) for w in ours]


def test_user_stacklevel_counts_frames_out_of_the_package():
    # called from outside the package, the caller is level 1
    assert user_stacklevel() == 1


def test_too_many_positional_arguments_counts_the_deprecated_slots():
    with pytest.raises(TypeError, match=r"williamson\(\) takes 1 positional arguments \(up to 2 "):
        economy.williamson([1.0, 2.0], [1.0, 1.0], 5)
