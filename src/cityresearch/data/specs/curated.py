"""Curated tables shipped in the package (``cityresearch/data/curated``), hash-listed.

Compiled by hand with a source for every row, rebuilt by the scripts in the
repository's ``data/`` folder (``curate_cohorts.py``,
``curate_service_quality.py``), which also re-pin their SHA-256 in
``_resources/curated.csv`` (which holds only file, SHA-256 and size). Each
spec carries the table's description, licence and citation: adding a curated
table is its csv, its spec here (and the curate script that pins it).
See ``data/README.md`` for how they were compiled.
"""

from __future__ import annotations

from cityresearch.data._spec import Column, Dataset


def _csv(paths, deps):
    import pandas as pd

    return pd.read_csv(paths[0], dtype={"bps_code": str, "kemendagri_code": str})


def _text(paths, deps):
    import pandas as pd

    return pd.read_csv(paths[0], dtype=str, keep_default_na=False)


_CLAIM_COLUMNS = (
    "claim_id",
    "bps_code",
    "speaker",
    "speaker_role",
    "quote",
    "measure",
    "value",
    "unit",
    "year",
    "year_stated",
    "scope",
    "check",
    "note",
    "event_date",
    "source",
)

DATASETS = [
    Dataset(
        name="claims_blitar_2018",
        title="Official statements at the Blitar smart-city technical guidance, 2-3 July 2018",
        kind="curated",
        files=("claims_blitar_2018.csv",),
        description=(
            "Official statements with the speakers' own words: news report of the Pemerintah "
            "Kabupaten Blitar smart-city technical guidance, 2-3 July 2018 (Tim/VDZ) (column "
            "source)."
        ),
        licence=(
            "MIT (compiled by the cityresearch developers; quotes from the news report cited "
            "per row)"
        ),
        citation=(
            "News report of the Pemerintah Kabupaten Blitar smart-city technical guidance, "
            "2-3 July 2018 (Tim/VDZ); statements compiled by the cityresearch developers"
        ),
        parse=_text,
        version=1,
        cache=False,
        schema=tuple(
            Column(c, "str", "", d)
            for c, d in zip(
                _CLAIM_COLUMNS,
                (
                    "",
                    "BPS code of the region the claim is about",
                    "",
                    "",
                    "the speaker's own words",
                    "",
                    "as stated; several values separated by ';'",
                    "as stated",
                    ("year the figure refers to"),
                    "stated / context / none",
                    "",
                    "how profile.check_claims checks it",
                    "",
                    "",
                    "citation",
                ),
                strict=True,
            )
        ),
        coverage="14 checkable statements of one news report (Bupati of Blitar, a Kominfo "
        "mentor, the Minister)",
        caveats="text columns as written (no missing-value parsing); the web address of the "
        "report is not on file; checked against the data by cityresearch.profile",
    ),
    Dataset(
        name="smart_city_cohorts",
        title="Gerakan Menuju 100 Smart City participants 2017-2019",
        kind="curated",
        files=("smart_city_cohorts.csv",),
        description=(
            "Gerakan Menuju 100 Smart City MoU cohorts 2017-2019; compiled by "
            "hand from news reports of the three signings, one source URL per row (columns "
            "source_url, other_sources)."
        ),
        licence=(
            "MIT (compiled by the cityresearch developers; facts from the news pages cited per row)"
        ),
        citation=(
            "cityresearch developers, Gerakan Menuju 100 Smart City cohorts 2017-2019, "
            "compiled from news reports of the MoU signings (source URL per row)"
        ),
        parse=_csv,
        version=1,
        cache=False,
        schema=(
            Column("bps_code", "str", "", "BPS code"),
            Column("kemendagri_code", "str", "", "Kemendagri 2025 code"),
            Column("name", "str"),
            Column("type", "str", "", "kabupaten / kota"),
            Column("province", "str", "", "2025 scheme"),
            Column("cohort_year", "int", "year", "year of the first MoU actually signed"),
            Column("listed_years", "str", "", "every cohort list naming the region, ';'-separated"),
            Column("source_url", "str"),
            Column("other_sources", "str"),
            Column("note", "str"),
        ),
        coverage="98 kab/kota: 25 (2017), 49 (2018), 24 (2019) by cohort_year; 25/50/25 by listing",
        caveats="Kota Depok and Kabupaten Banyumas are listed in 2018 and 2019; cohort_year is "
        "the first MoU signed (Depok 2019, Banyumas 2018)",
    ),
    Dataset(
        name="service_quality",
        title="Public-service quality figures per kab/kota 2015-2025",
        kind="curated",
        files=("service_quality.csv",),
        description=(
            "Ombudsman RI compliance assessments (penilaian kepatuhan) and SPBE index figures"
            " per kab/kota as published in news and Ombudsman regional pages, one row per "
            "published figure with its source URL, date and quote (columns source_url, "
            "source_date, quote); partial coverage."
        ),
        licence=(
            "MIT (compiled by the cityresearch developers; figures from the Ombudsman RI and "
            "news pages cited per row)"
        ),
        citation=(
            "cityresearch developers, public-service quality figures per kab/kota 2015-2025 "
            "(Ombudsman RI compliance assessments, SPBE index), compiled from the pages cited"
            " per row"
        ),
        parse=_csv,
        version=1,
        cache=False,
        schema=(
            Column("row_id", "int"),
            Column("year", "int", "year", "assessment year"),
            Column("measure", "str"),
            Column("method", "str"),
            Column("region_name_source", "str"),
            Column("province_source", "str"),
            Column("bps_code", "str"),
            Column("kemendagri_code", "str"),
            Column("name", "str"),
            Column("match_status", "str"),
            Column("candidates", "str"),
            Column("score", "float", "points 0-100 (Ombudsman)"),
            Column("zone", "str", "", "merah / kuning / hijau"),
            Column("conflict", "bool"),
            Column("year_uncertain", "bool"),
            Column("notes", "str"),
            Column("source_url", "str"),
            Column("source_date", "str"),
            Column("quote", "str"),
        ),
        coverage="about 377 kab/kota with at least one figure; Ombudsman 2015-2025, SPBE",
        caveats="partial and uneven coverage; methods change in 2021, 2022 and 2025 "
        "(scores not comparable across them); conflicting sources kept as rows",
    ),
]
