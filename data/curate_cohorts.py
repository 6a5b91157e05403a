"""Rebuild src/cityresearch/data/curated/smart_city_cohorts.csv from the hand-compiled cohort list.

Usage: python data/curate_cohorts.py PATH/TO/smart_city_cohorts_2017_2019.csv

Each BPS code of the source list is checked against the region registry by
name (the script stops on any disagreement), Kemendagri codes and names are
added, and the regions listed twice (Kota Depok, Kabupaten Banyumas) are
reduced to one row by the rule documented in data/README.md.
"""

import sys
import warnings

import pandas as pd

from cityresearch import regions
from cityresearch.data._spec import curated_path, pin_curated

# The cohort year is the first MoU actually signed; see data/README.md.
COHORT_YEAR_OVERRIDES = {
    "3276": (2019, "2018 selection cancelled before signing (biznisku.id); signed the MoU in 2019"),
}


def main(path: str) -> None:
    src = pd.read_csv(path, dtype={"bps_code": str})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = regions.match_regions(src["name"], type=None)
    bad = src[m["bps_code"].to_numpy() != src["bps_code"].to_numpy()]
    if len(bad):
        raise SystemExit(f"BPS codes disagree with names:\n{bad}")
    table = regions.region_table().set_index("bps_code")
    rows = []
    for code, group in src.groupby("bps_code", sort=False):
        group = group.sort_values("cohort_year")
        first = group.iloc[0]
        year, rule = COHORT_YEAR_OVERRIDES.get(code, (int(first["cohort_year"]), ""))
        used = group[group["cohort_year"] == year].iloc[0]
        notes = "; ".join(n for n in group["note"].fillna("").unique() if n)
        rows.append(
            {
                "bps_code": code,
                "kemendagri_code": table.at[code, "kemendagri_code"],
                "name": table.at[code, "name"],
                "type": table.at[code, "type"],
                "province": table.at[code, "province"],
                "cohort_year": year,
                "listed_years": ";".join(str(y) for y in group["cohort_year"]),
                "source_url": used["source_url"],
                "other_sources": " | ".join(group.loc[group.index != used.name, "source_url"]),
                "note": "; ".join(x for x in (rule, notes) if x),
            }
        )
    out = pd.DataFrame(rows).sort_values(["cohort_year", "bps_code"])
    out.to_csv(curated_path("smart_city_cohorts.csv"), index=False)
    pin_curated("smart_city_cohorts.csv")  # re-pin its SHA-256 in _resources/curated.csv
    print(out["cohort_year"].value_counts().sort_index().to_dict(), len(out))


if __name__ == "__main__":
    main(sys.argv[1])
