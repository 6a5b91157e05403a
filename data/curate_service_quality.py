"""Rebuild src/cityresearch/data/curated/service_quality.csv from the hand-compiled
service-quality figures.

Usage: python data/curate_service_quality.py PATH/TO/service_quality/

Every source row is kept (one row per published figure, with its source URL,
date and quote). Names are matched to the region registry within the row's
province; a name that fits two regions (bare "Sorong" in Papua Barat) is kept
with match_status "ambiguous" and its candidates, not guessed, unless the same
list names the other candidate explicitly ("matched_by_elimination"); unmatched names
are kept with match_status "unmatched". Conflicting figures stay as separate
rows (conflict = True), uncertain years are flagged (year_uncertain = True),
and each row carries the assessment method of its year.
"""

import sys
import warnings
from pathlib import Path

import pandas as pd

from cityresearch import regions
from cityresearch._errors import AmbiguousRegionError
from cityresearch.data._spec import curated_path, pin_curated

# Ombudsman method by assessment year (README of the compiled figures):
METHODS = {
    **{y: "kepatuhan_2015_2019_sample_survey" for y in range(2015, 2020)},
    2021: "kepatuhan_2021_all_pemda",
    **{y: "kepatuhan_2022_2024_four_dimensions" for y in range(2022, 2025)},
    2025: "opini_ombudsman_2025_not_comparable",
}
ZONES = {"hijau": "hijau", "kuning": "kuning", "merah": "merah"}


def main(folder: str) -> None:
    folder = Path(folder)
    frames = []
    for name in ("ombudsman_scores.csv", "spbe_scores.csv"):
        df = pd.read_csv(folder / name, dtype=str)
        df["source_file"] = name
        frames.append(df)
    src = pd.concat(frames, ignore_index=True)
    out = []
    for i, r in src.iterrows():
        status, code, cands = "matched", None, ""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m = regions.match_regions([r["region_name"]], province=r["province"])
            if m.at[0, "matched"]:
                code = m.at[0, "bps_code"]
            else:
                status = "unmatched"
        except AmbiguousRegionError as exc:
            status, cands = "ambiguous", ";".join(exc.candidates)
        notes = r["notes"] if isinstance(r["notes"], str) else ""
        year = int(r["year"])
        measure = r["measure"]
        zone_raw = (r["zone_or_predikat"] or "") if isinstance(r["zone_or_predikat"], str) else ""
        out.append(
            {
                "row_id": i + 1,
                "year": year,
                "measure": measure,
                "method": METHODS.get(year, "unknown")
                if measure == "ombudsman_kepatuhan"
                else measure,
                "region_name_source": r["region_name"],
                "province_source": r["province"],
                "bps_code": code,
                "match_status": status,
                "candidates": cands,
                "score": pd.to_numeric(r["score"], errors="coerce"),
                "zone": ZONES.get(zone_raw.strip().lower(), zone_raw.strip() or None),
                "conflict": "CONFLICT" in notes.upper(),
                "year_uncertain": "verify" in notes.lower(),
                "notes": notes,
                "source_url": r["source_url"],
                "source_date": r["source_date"],
                "quote": r["quote"],
            }
        )
    cur = pd.DataFrame(out)
    # A bare ambiguous name in a list that names the other candidate explicitly
    # (e.g. "Sorong" beside "Kota Sorong" in one Papua Barat 2021 list) is the
    # remaining candidate: matched_by_elimination, flagged as such.
    for i in cur.index[cur["match_status"] == "ambiguous"]:
        same = cur[
            (cur["source_url"] == cur.at[i, "source_url"]) & (cur["year"] == cur.at[i, "year"])
        ]
        left = set(cur.at[i, "candidates"].split(";")) - set(same["bps_code"].dropna())
        if len(left) == 1:
            cur.at[i, "bps_code"] = left.pop()
            cur.at[i, "match_status"] = "matched_by_elimination"
    table = regions.region_table().set_index("bps_code")
    cur.insert(7, "kemendagri_code", cur["bps_code"].map(table["kemendagri_code"]))
    cur.insert(8, "name", cur["bps_code"].map(table["name"]))
    cur.to_csv(curated_path("service_quality.csv"), index=False)
    pin_curated("service_quality.csv")  # re-pin its SHA-256 in _resources/curated.csv
    print(cur["match_status"].value_counts().to_dict(), len(cur))
    print(
        cur.loc[
            cur["match_status"] != "matched",
            ["region_name_source", "province_source", "match_status", "candidates"],
        ]
    )


if __name__ == "__main__":
    main(sys.argv[1])
