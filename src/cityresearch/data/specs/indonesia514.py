"""GRDP per capita 2000-2024: quarcs-lab/indonesia514 (MIT).

Numbers are text with thousands separators (``" 18,272 "``). In the 37 rows
of the (old) Papua and Papua Barat provinces the file's codes and names are
shifted against its values: the row labelled "9601 Mimika" holds the series
of Pegunungan Bintang (BPS 9417). Each row is therefore keyed by its values:
its 2000-2016 series must equal one district's series in the QuaRCS district
panel (mean relative difference under 0.2%, the next closest at least ten
times further); the file's own code is kept in ``bps_code_source``.
"""

from __future__ import annotations

from cityresearch._errors import ValidationError
from cityresearch.data._parsers import parse_indonesia514
from cityresearch.data._spec import Column, Dataset


def rekey(raw, panel):
    """Key each indonesia514 row by the district panel series it equals.

    Parameters
    ----------
    raw : pandas.DataFrame
        Output of :func:`~cityresearch.data._parsers.parse_indonesia514`.
    panel : pandas.DataFrame
        The QuaRCS district panel (``district_panel``).

    Returns
    -------
    pandas.DataFrame
        ``bps_code``, ``bps_code_source``, ``year``, ``grdp_pc_idr_k``.

    Raises
    ------
    ValidationError
        A row matches no district clearly, or two rows match the same district.
    """
    import numpy as np

    ref = panel.pivot(index="bps_code", columns="year", values="grdp_pc_idr_k").loc[:, 2000:2016]
    mine = raw.pivot(index="bps_code", columns="year", values="grdp_pc_idr_k")[ref.columns]
    mapping = {}
    for code, series in mine.iterrows():
        dist = np.nanmean(np.abs(ref.to_numpy() / series.to_numpy() - 1), axis=1)
        best, second = np.sort(dist)[:2]
        closest = ref.index[np.argmin(dist)]
        if closest != code and not (best < 0.002 and second > 10 * best):
            raise ValidationError(
                f"indonesia514 row {code} is closest to district {closest} ({best:.2%}) "
                "but not clearly enough to re-key it; report this data problem"
            )
        mapping[code] = closest
    if len(set(mapping.values())) != len(mapping):
        raise ValidationError("indonesia514 rows map to the same district twice")
    out = raw.assign(bps_code_source=raw["bps_code"], bps_code=raw["bps_code"].map(mapping))
    return out[["bps_code", "bps_code_source", "year", "grdp_pc_idr_k"]].sort_values(
        ["bps_code", "year"], ignore_index=True
    )


def _parse(paths, deps):
    return rekey(parse_indonesia514(paths[0]), deps["district_panel"])


DATASETS = [
    Dataset(
        name="grdp_per_capita",
        title="District GRDP per capita 2000-2024",
        kind="grdp_pc",
        files=("quarcs-lab/indonesia514/*/gdp/gdp_pc.csv",),
        parse=_parse,
        version=1,
        depends_on=("district_panel",),
        schema=(
            Column("bps_code", "str", "", "BPS code (2017-2018), keyed by value"),
            Column(
                "bps_code_source",
                "str",
                "",
                "the code in the file (post-2022 BPS "
                "codes for the new Papua provinces; shifted labels in Papua)",
            ),
            Column("year", "int", "year"),
            Column("grdp_pc_idr_k", "float", "IDR thousand per person, constant 2010 prices"),
        ),
        coverage="514 kab/kota x 2000-2024",
        caveats="2023-2024 provisional; Papua rows' labels shifted in the source, re-keyed by "
        "value against the QuaRCS panel",
    ),
]
