"""Reference data for the difference-in-differences estimator: d2cml-ai/csdid (MIT).

``mpdta`` (Callaway and Sant'Anna 2021 county panel) and the ATT(g,t),
aggregations and pre-test statistics computed by R ``did`` 2.5.0 for several
scenarios (``bstrap = FALSE``, analytic standard errors), with the R scripts
that produced them. Used only to validate :mod:`cityresearch.did`.
"""

from __future__ import annotations

from cityresearch.data._spec import Column, Dataset

_R = "d2cml-ai/csdid/*/csdid/"
_CAVEATS = "reference values for validating estimators; not Indonesian data"


def _csv(paths, deps):
    import pandas as pd

    return pd.read_csv(paths[0])


DATASETS = [
    Dataset(
        name="mpdta",
        title="mpdta county panel (Callaway and Sant'Anna 2021)",
        kind="reference",
        files=(_R + "data/mpdta.csv",),
        parse=_csv,
        version=1,
        schema=(
            Column("year", "int", "year"),
            Column("countyreal", "int", "", "county id"),
            Column("lpop", "float", "log persons", "log county population"),
            Column("lemp", "float", "log persons", "log teen employment"),
            Column("first.treat", "int", "year", "first treated year, 0 = never"),
            Column("treat", "int", "", "ever treated (0/1)"),
        ),
        coverage="500 counties x 2003-2007",
        caveats=_CAVEATS,
    ),
    Dataset(
        name="did_reference_attgt",
        title="R did 2.5.0 ATT(g,t) on mpdta and simulations",
        kind="reference",
        files=(_R + "test_csdid/r_ref/ref_attgt.csv",),
        parse=_csv,
        version=1,
        schema=(
            Column("scenario", "str"),
            Column("group", "int", "year"),
            Column("t", "int", "year"),
            Column("att", "float", "outcome units"),
            Column("se", "float", "outcome units"),
        ),
        coverage="scenarios mpdta_nev_dr, mpdta_nyt_dr, mpdta_nev_reg_cov, mpdta_nev_ipw, "
        "sim_nev_dr",
        caveats=_CAVEATS,
    ),
    Dataset(
        name="did_reference_aggte",
        title="R did 2.5.0 aggregations (simple, dynamic, group, calendar)",
        kind="reference",
        files=(_R + "test_csdid/r_ref/ref_aggte.csv",),
        parse=_csv,
        version=1,
        schema=(
            Column("scenario", "str"),
            Column("type", "str"),
            Column("egt", "float", "year or event time"),
            Column("att_egt", "float", "outcome units"),
            Column("se_egt", "float", "outcome units"),
            Column("overall_att", "float", "outcome units"),
            Column("overall_se", "float", "outcome units"),
        ),
        coverage="as did_reference_attgt",
        caveats=_CAVEATS,
    ),
    Dataset(
        name="did_reference_pretest",
        title="R did 2.5.0 pre-test Wald statistics",
        kind="reference",
        files=(_R + "test_csdid/r_ref/ref_pretest.csv",),
        parse=_csv,
        version=1,
        schema=(
            Column("scenario", "str"),
            Column("W", "float", "chi-squared statistic"),
            Column("Wpval", "float", "p-value"),
        ),
        coverage="as did_reference_attgt",
        caveats=_CAVEATS,
    ),
    Dataset(
        name="did_reference_files",
        title="csdid reference scenarios and R scripts",
        kind="reference",
        files=(_R + "data/*", _R + "test_csdid/r_ref/*"),
        coverage="mpdta, sim_data; R did 2.5.0 references: repeated cross-sections, universal "
        "base period, anticipation, weights, clustered SEs, not-yet-treated, covariates",
        caveats=_CAVEATS,
    ),
]
