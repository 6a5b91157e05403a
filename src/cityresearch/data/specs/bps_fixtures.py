"""Format fixtures of BPS data: WebAPI responses and website downloads (files only).

``bps_webapi_fixture``: JSON responses in the shapes of the BPS WebAPI
(ryanaidilp/stadata_flutter_sdk test fixtures, MIT); trimmed examples.
``bps_export_fixture``: real downloads from the BPS website (legacy HTML
"xls", new-site CSV, xlsx with multi-row headers), for testing importers; the
repositories holding them carry no licence, BPS terms of use apply (reuse
with attribution).
"""

from __future__ import annotations

from cityresearch.data._spec import Dataset

DATASETS = [
    Dataset(
        name="bps_webapi_fixture",
        title="BPS WebAPI response fixtures (JSON)",
        kind="bps_webapi_fixture",
        files=(
            "ryanaidilp/stadata_flutter_sdk/*/packages/stadata_flutter_sdk/test/fixtures/*.json",
        ),
        coverage="list/view responses: variables, vertical variables, periods, dynamic and "
        "static tables, domains, errors",
        caveats="trimmed examples (a few rows each); datacontent keys concatenate ids with no "
        "separator",
    ),
    Dataset(
        name="bps_export_fixture",
        title="BPS website downloads (format fixtures)",
        kind="bps_export_fixture",
        files=("*",),
        coverage="poverty depth/severity by kab/kota 2015-2023, adjusted per-capita "
        "expenditure 2016-2020, province poverty 2017 and 2024, CPI 2010",
        caveats="format fixtures for importers; BPS terms of use (reuse with attribution)",
    ),
]
