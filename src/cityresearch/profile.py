"""Region profile: everything the toolkit knows about one kabupaten/kota.

:func:`assemble` gathers, for any of the 514 regions, the sections of a
profile as tidy frames and values (no drawing): identity and codes, population
and GRDP over time with growth rates, shares of provincial and national GRDP
and ranks, comparisons with the province, with peers (same type and size
class) and with the smart-city cohort (its own, or the cohort of the nearest
participant if it never joined), its secondary-city class under each
definition, its published service-quality record with sources, the programme
timeline, and official claims checked against the data where the data can
speak. :func:`narrative` writes the text in Indonesian or English,
:func:`table` gives each section as a reader-facing table in either language
and :func:`profile_map` draws the region in its province and in Indonesia.

Province scheme
    Every statement about "its province" uses the 38 provinces in force since
    the 2022 Papua split (Kemendagri 2025 codes). The GRDP data (BPS, 2000-2019)
    were published for the 34 provinces of their time; the 2025 provinces are
    built by summing their kab/kota (:func:`cityresearch.economy.aggregate_provinces`
    with ``scheme=2025``), so a rank "of 8" in Papua Tengah is a rank among
    Papua Tengah's 8 kab/kota.
Formation year
    About 170 regions were created after 2000 (*pemekaran*). The source gives
    them GRDP for every year from 2000, back-cast from their parent. The BPS
    code history (``historic_kabupaten.csv`` of the ``codes`` dataset) tells in
    which code list a region first appears under its own code and name; the
    profile starts such a region's growth comparison in that year (for it, its
    peers and its province alike) and says so.
Peers
    Same type (kabupaten/kota) and the same population size class in the
    last panel year: kota under 200,000 / 200,000-500,000 / 500,000-1,000,000 /
    over 1,000,000 persons; kabupaten under 250,000 / 250,000-500,000 /
    500,000-1,000,000 / over 1,000,000.
Claims
    Official statements are kept in curated, sourced tables in the
    repository's ``data/`` folder (``claims_blitar_2018.csv``: the news report
    of the Pemerintah Kabupaten Blitar smart-city technical guidance, 2-3 July
    2018, byline Tim/VDZ, with each speaker's own words), never in code.
    :func:`check_claims` checks what the toolkit's data can check.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cityresearch._deprecate import keyword_only
from cityresearch._errors import DataUnavailableError, ValidationError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from cityresearch.maps import Map

__all__ = [
    "assemble",
    "narrative",
    "table",
    "profile_map",
    "series_figure",
    "heading",
    "sources_text",
    "load_claims",
    "check_claims",
    "formation_years",
    "SECTIONS",
    "size_class",
    "LANGS",
]

LANGS = ("en", "id")
SECTIONS = [
    "identity",
    "series",
    "shares",
    "comparison",
    "secondary_city",
    "service_quality",
    "timeline",
    "claims",
]

#: Curated claims tables in the repository's ``data/`` folder.
CLAIMS_FILES = ["claims_blitar_2018.csv"]

#: MoU signings of the programme (see data/README.md for the sources).
PROGRAMME_EVENTS = [
    (
        2017,
        "2017-05-22",
        {
            "en": "first 25 kab/kota sign the Gerakan Menuju 100 Smart City MoU (Makassar)",
            "id": "25 kab/kota pertama menandatangani MoU Gerakan Menuju 100 Smart City (Makassar)",
        },
    ),
    (
        2018,
        "2018-05-08",
        {
            "en": "50 kab/kota sign the MoU (Jakarta)",
            "id": "50 kab/kota menandatangani MoU (Jakarta)",
        },
    ),
    (
        2019,
        "2019-05-15",
        {
            "en": "25 kab/kota sign the MoU (Jakarta)",
            "id": "25 kab/kota menandatangani MoU (Jakarta)",
        },
    ),
]

_KOTA_BOUNDS = [200_000, 500_000, 1_000_000]
_KAB_BOUNDS = [250_000, 500_000, 1_000_000]


def size_class(pop: float, type_: str) -> int:
    """Population size class 1-4 within the region's type (see module docstring).

    Parameters
    ----------
    pop : float
        Population, persons.
    type_ : {"kota", "kabupaten"}
        Type of region.

    Returns
    -------
    int
        1 (smallest) to 4.

    Raises
    ------
    ValidationError
        ``type_`` is not ``"kota"`` or ``"kabupaten"``.

    Examples
    --------
    >>> size_class(150_000, "kota"), size_class(150_000, "kabupaten"), size_class(2e6, "kota")
    (1, 1, 4)
    """
    if type_ not in ("kota", "kabupaten"):
        raise ValidationError(f"type_ must be 'kota' or 'kabupaten', not {type_!r}")
    bounds = _KOTA_BOUNDS if type_ == "kota" else _KAB_BOUNDS
    return int(np.searchsorted(bounds, pop, side="right") + 1)


def _snapshot_year(label: str) -> int:
    return int(label[:4])


def _snapshot_label(label: str) -> str:
    """``"2000"`` (a census) or ``"2012-2"`` (second semester of 2012)."""
    return label if len(label) == 4 else f"{label[:4]}-{label[4:]}"


def _snapshot_text(label: str, lang: str) -> str:
    if "-" not in str(label):
        return str(label) if lang == "en" else f"tahun {label}"
    y, s = str(label).split("-")
    return (
        f"the {'first' if s == '1' else 'second'} half of {y}"
        if lang == "en"
        else f"semester {s} tahun {y}"
    )


def formation_years(history: pd.DataFrame, *, after: int = 2000) -> pd.DataFrame:
    """When each region first appears under its own code in the BPS code history.

    Parameters
    ----------
    history : DataFrame
        ``historic_kabupaten.csv`` of the ``codes`` dataset: columns
        ``kode_<snapshot>`` and ``nama_<snapshot>`` for the censuses 1961-2000
        and every semester 2010-2018 (``20102`` = 2010, second semester), one
        row per region of the last snapshot.
    after : int
        Regions present as their own unit in the snapshot of this year (or
        earlier) get no formation year.

    Returns
    -------
    DataFrame
        ``bps_code`` (code in the last snapshot), ``first_listed`` (year of the
        first snapshot in which the region exists under its own code, from
        which on it exists in every snapshot; missing when it existed in
        ``after``), ``previous_snapshot`` (year of the snapshot before, in which
        it did not exist yet), ``parent_name`` (the name it was listed under
        then).

    Raises
    ------
    ValidationError
        ``history`` has no ``kode_<snapshot>`` columns, or one without its
        ``nama_<snapshot>`` column.

    Notes
    -----
    A region "exists" in a snapshot when its code there is held by no other
    region of the last snapshot, or when it is shared (a later split) and its
    name there is its name in the last snapshot (it is the parent). A region
    renamed at the time of its split (Yapen Waropen -> Kepulauan Yapen) is
    therefore counted as new from the snapshot where its current name appears:
    for a profile's growth window this errs on the side of caution.

    Examples
    --------
    >>> h = pd.DataFrame({"kode_2000": ["3219", "3219"], "nama_2000": ["TANGERANG", "TANGERANG"],
    ...                   "kode_20102": ["3603", "3674"],
    ...                   "nama_20102": ["TANGERANG", "TANGERANG SELATAN"]})
    >>> formation_years(h)[["bps_code", "first_listed", "previous_snapshot"]].to_dict("records")
    [{'bps_code': '3603', 'first_listed': nan, 'previous_snapshot': nan}, \
{'bps_code': '3674', 'first_listed': 2010.0, 'previous_snapshot': 2000.0}]
    """
    snaps = [c[5:] for c in history.columns if c.startswith("kode_")]
    if not snaps or any(f"nama_{s}" not in history.columns for s in snaps):
        raise ValidationError(
            "history needs kode_<snapshot> and nama_<snapshot> columns "
            "(historic_kabupaten.csv of the 'codes' dataset)"
        )
    last = snaps[-1]

    def norm(x):
        return re.sub(r"[^A-Z]", "", str(x).upper())

    codes = {s: history[f"kode_{s}"].astype(str) for s in snaps}
    counts = {s: codes[s].map(codes[s].value_counts()) for s in snaps}
    rows = []
    for i in range(len(history)):
        first: Any = None
        before: Any = None
        parent: Any = None
        current = norm(history[f"nama_{last}"].iloc[i])
        for s in reversed(snaps):
            exists = counts[s].iloc[i] == 1 or norm(history[f"nama_{s}"].iloc[i]) == current
            if not exists:
                before, parent = s, history[f"nama_{s}"].iloc[i]
                break
            first = s
        year = _snapshot_year(first) if before is not None else None
        if year is not None and year <= after:
            year, before, parent = None, None, None
        rows.append(
            {
                "bps_code": str(history[f"kode_{last}"].iloc[i]),
                "first_listed": np.nan if year is None else float(year),
                "previous_snapshot": np.nan if before is None else float(_snapshot_year(before)),
                "first_snapshot": None if year is None else _snapshot_label(first),
                "before_snapshot": None if before is None else _snapshot_label(before),
                "parent_name": parent,
            }
        )
    return pd.DataFrame(rows)


def load_claims() -> pd.DataFrame:
    """The curated claims tables of the repository's ``data/`` folder.

    Returns
    -------
    DataFrame
        One row per statement: ``claim_id``, ``bps_code`` (the region the
        statement is about, empty when it is about Indonesia or ASEAN),
        ``speaker``, ``speaker_role``, ``quote`` (the source's own words),
        ``measure``, ``value`` (as stated; several values separated by ``;``),
        ``unit``, ``year`` (the year the figure refers to), ``year_stated``
        (``"stated"`` in the quote, ``"context"`` from the article's context,
        ``"none"``), ``scope``, ``check`` (how :func:`check_claims` checks it),
        ``note``, ``event_date`` and ``source`` (citation).

    Raises
    ------
    DataUnavailableError
        A curated file is missing from ``data/``.

    Examples
    --------
    >>> c = load_claims()
    >>> c.loc[c["claim_id"] == "growth_2016", ["bps_code", "value", "year", "check"]]
      bps_code value  year        check
    0     3505  5.09  2016  grdp_growth
    """
    from cityresearch.data import CURATED_DIR

    frames = []
    for name in CLAIMS_FILES:
        path = CURATED_DIR / name
        if not path.is_file():
            raise DataUnavailableError(
                f"{path} is missing; it ships inside the cityresearch package (data/curated/); "
                "reinstall cityresearch"
            )
        frames.append(pd.read_csv(path, dtype=str, keep_default_na=False))
    return pd.concat(frames, ignore_index=True)


def _growth_bounds(prev: float, cur: float, half: float = 0.5) -> tuple[float, float]:
    """Growth range (percent) when both levels are rounded to +/- ``half``."""
    return (100 * ((cur - half) / (prev + half) - 1), 100 * ((cur + half) / (prev - half) - 1))


#: The kinds of check a claim can ask for (column ``check`` of the claims table).
CLAIM_CHECKS = (
    "grdp_growth",
    "cohort_count_province",
    "cohort_count_year",
    "secondary_city_count",
    "none",
)


def check_claims(
    claims: pd.DataFrame,
    *,
    panel: pd.DataFrame,
    cohorts: pd.DataFrame,
    table: pd.DataFrame,
    secondary_counts: dict | None = None,
) -> pd.DataFrame:
    """Check official statements against the toolkit's data.

    Parameters
    ----------
    claims : DataFrame
        As returned by :func:`load_claims`.
    panel : DataFrame
        District panel (``bps_code``, ``year``, ``grdp_idr_bn`` at constant 2010
        prices, rounded by the source to IDR 1 billion).
    cohorts : DataFrame
        Smart-city cohorts (``bps_code``, ``province``, ``listed_years``).
    table : DataFrame
        Region table (``bps_code``, ``province``).
    secondary_counts : dict, optional
        Definition -> number of secondary cities in Indonesia (notebook 01);
        needed to check ``secondary_city_count`` claims.

    Returns
    -------
    DataFrame
        ``claims`` plus ``data_value`` (float), ``data_text`` (the values
        joined by ``;`` when the claim has several), ``difference`` (data
        minus claim, in the claim's unit),
        ``rounding_lo``/``rounding_hi`` (for growth: the range the data allow
        when the published GRDP is rounded to IDR 1 billion) and ``status``:
        ``"agrees"`` (equal at the claim's precision), ``"differs"``,
        ``"not_checked"`` (no data in the toolkit) or ``"no_definition"``
        (a count for which the claim gives no definition; ``data_text``
        lists ``definition=count`` for each definition).

    Raises
    ------
    ValidationError
        A frame without the columns its claims need (named), a ``check`` not
        in :data:`CLAIM_CHECKS`, a checked claim whose ``value`` or ``year`` is
        not a number, or a province count for a region not in ``table``; the
        claim is named.

    Notes
    -----
    A growth claim agrees when the data's growth, rounded to the claim's
    decimals, equals it. The published GRDP is rounded to IDR 1 billion, so
    growth from a previous year's ``a`` to ``b`` can lie anywhere between
    ``100 * ((b - 0.5) / (a + 0.5) - 1)`` and ``100 * ((b + 0.5) / (a - 0.5) - 1)``
    percent (``rounding_lo``, ``rounding_hi``).

    Examples
    --------
    GRDP of 1,000 then 1,050 (IDR billion) is growth of 5.0%; a claim of
    5.0% agrees:

    >>> claims = pd.DataFrame({"claim_id": ["g"], "bps_code": ["3505"], "value": ["5.0"],
    ...                        "year": ["2016"], "check": ["grdp_growth"]})
    >>> panel = pd.DataFrame({"bps_code": ["3505", "3505"], "year": [2015, 2016],
    ...                       "grdp_idr_bn": [1000.0, 1050.0]})
    >>> none = pd.DataFrame(columns=["bps_code", "province", "listed_years"])
    >>> r = check_claims(claims, panel=panel, cohorts=none, table=none)
    >>> r[["data_value", "difference", "status"]]
       data_value  difference  status
    0         5.0         0.0  agrees
    >>> float(round(r.at[0, "rounding_lo"], 3)), float(round(r.at[0, "rounding_hi"], 3))
    (4.898, 5.103)
    """
    from cityresearch import _validate as _v

    func = "check_claims"
    _v.require_columns(
        claims, ["claim_id", "bps_code", "value", "year", "check"], func=func, name="claims"
    )
    unknown = claims.loc[~claims["check"].isin(CLAIM_CHECKS), ["claim_id", "check"]]
    if len(unknown):
        raise ValidationError(
            f"{func}: claim {unknown['claim_id'].iloc[0]!r} has check "
            f"{unknown['check'].iloc[0]!r}; use one of {', '.join(CLAIM_CHECKS)}"
        )
    needed = set(claims["check"])
    if "grdp_growth" in needed:
        _v.require_columns(
            panel,
            {"bps_code": "any", "year": "integer", "grdp_idr_bn": "numeric"},
            func=func,
            name="panel",
        )
    if needed & {"cohort_count_province", "cohort_count_year"}:
        _v.require_columns(
            cohorts, ["bps_code", "province", "listed_years"], func=func, name="cohorts"
        )
    if "cohort_count_province" in needed:
        _v.require_columns(table, ["bps_code", "province"], func=func, name="table")
        missing = claims.loc[
            (claims["check"] == "cohort_count_province")
            & ~claims["bps_code"].isin(table["bps_code"])
        ]
        if len(missing):
            raise ValidationError(
                f"{func}: claim {missing['claim_id'].iloc[0]!r} names region "
                f"{missing['bps_code'].iloc[0]!r}, which is not in table['bps_code']"
            )
    for _, c in claims.iterrows():
        values = str(c["value"]).split(";") if c["check"] == "cohort_count_year" else [c["value"]]
        if c["check"] in ("grdp_growth", "cohort_count_province", "cohort_count_year"):
            try:
                [float(v) for v in values]
                [int(y) for y in str(c["year"]).split(";")]
            except ValueError:
                raise ValidationError(
                    f"{func}: claim {c['claim_id']!r} has value {c['value']!r} and year "
                    f"{c['year']!r}; a checked claim needs numbers (several joined by ';')"
                ) from None
    out = claims.copy()
    out["data_value"], out["difference"] = np.nan, np.nan
    out["data_text"] = pd.Series([""] * len(out), index=out.index, dtype=object)
    out["rounding_lo"], out["rounding_hi"] = np.nan, np.nan
    out["status"] = "not_checked"
    for i, c in out.iterrows():
        if c["check"] == "grdp_growth":
            year = int(c["year"])
            s = panel[panel["bps_code"] == c["bps_code"]].set_index("year")["grdp_idr_bn"]
            if year in s.index and year - 1 in s.index:
                g = 100 * (s[year] / s[year - 1] - 1)
                claim = float(c["value"])
                decimals = len(c["value"].split(".")[1]) if "." in c["value"] else 0
                lo, hi = _growth_bounds(s[year - 1], s[year])
                out.loc[i, ["data_value", "difference", "rounding_lo", "rounding_hi"]] = [
                    round(g, 4),
                    round(g - claim, 4),
                    lo,
                    hi,
                ]
                out.loc[i, "status"] = "agrees" if round(g, decimals) == claim else "differs"
        elif c["check"] == "cohort_count_province":
            year = c["year"]
            region_prov = table.set_index("bps_code").loc[c["bps_code"], "province"]
            listed = cohorts["listed_years"].astype(str).str.split(";").map(lambda ys: year in ys)
            n = int((listed & (cohorts["province"] == region_prov)).sum())
            out.loc[i, ["data_value", "difference"]] = [float(n), n - float(c["value"])]
            out.loc[i, "status"] = "agrees" if n == float(c["value"]) else "differs"
        elif c["check"] == "cohort_count_year":
            years = c["year"].split(";")
            listed = cohorts["listed_years"].astype(str).str.split(";")
            ns = [int(listed.map(lambda ys, y=y: y in ys).sum()) for y in years]
            out.loc[i, "data_text"] = ";".join(map(str, ns))
            out.loc[i, "status"] = (
                "agrees" if ns == [int(v) for v in c["value"].split(";")] else "differs"
            )
        elif c["check"] == "secondary_city_count" and secondary_counts:
            out.loc[i, "data_text"] = ";".join(f"{d}={n}" for d, n in secondary_counts.items())
            out.loc[i, "status"] = "no_definition"
    return out


class _Context:
    """Data loaded once and shared by the profiles of many regions."""

    def __init__(self):
        from cityresearch import data, economy, growth, panels, regions, service

        self.table = regions.region_table().set_index("bps_code")
        self.panel = data.load_district_panel()
        self.pc = data.load_grdp_per_capita()
        with_prov = panels.attach_province(self.panel)
        self.shares = economy.grdp_shares(with_prov)
        # 2025 provinces built from their kab/kota
        self.prov = economy.aggregate_provinces(with_prov, scheme=2025)
        p = self.panel[["bps_code", "year", "grdp_idr_bn"]].merge(
            self.table[["prov_kemendagri_code"]], left_on="bps_code", right_index=True
        )
        grp = p.groupby(["prov_kemendagri_code", "year"])["grdp_idr_bn"]
        p["share_province_pct"] = 100 * p["grdp_idr_bn"] / grp.transform("sum")
        p["rank_province"] = grp.rank(ascending=False, method="min").astype(int)
        p["n_province"] = grp.transform("size").astype(int)
        self.prov_shares = p
        self.n_national = (
            self.panel.groupby("year")["bps_code"].nunique().rename("n_national").reset_index()
        )
        self.cohorts_all = data.load_smart_city_cohorts()
        self.cohorts = self.cohorts_all.set_index("bps_code")
        frame = panels.region_frame(int(self.panel["year"].max()))
        self.frame = frame.set_index("bps_code")
        self.classes = {
            d: growth.classify_secondary_cities(frame, definition=d).set_index("bps_code")
            for d in growth.DEFINITIONS
        }
        self.service = service.load_compiled(measure=None)
        self.last = int(self.panel["year"].max())
        self.first = int(self.panel["year"].min())
        latest = self.panel[self.panel["year"] == self.last].set_index("bps_code")
        self.latest = latest
        self.size = pd.Series(
            {c: size_class(latest.at[c, "pop"], self.table.at[c, "type"]) for c in latest.index}
        )
        g = self.panel.sort_values(["bps_code", "year"]).reset_index(drop=True)
        for value, col in (
            ("grdp_idr_bn", "grdp_growth_pct"),
            ("grdp_pc_idr_k", "grdp_pc_growth_pct"),
            ("pop", "pop_growth_pct"),
        ):
            g[col] = growth.growth_rates(g, value)["growth_pct"].to_numpy()
        self.growth = g
        self._cagr: dict[int, tuple[pd.Series, pd.Series]] = {}
        self.cagr_pc = growth.cagr(self.pc, "grdp_pc_idr_k", 2010, int(self.pc["year"].max()))
        hist = pd.read_csv(data.fetch("historic_kabupaten.csv")[0], dtype=str)
        self.formation = formation_years(hist).set_index("bps_code")
        self.claims = check_claims(
            load_claims(),
            panel=self.panel,
            cohorts=self.cohorts_all,
            table=self.table.reset_index(),
        )
        # provisional years: the latest two of each BPS release (see cityresearch.data)
        self.provisional = set(sorted(self.panel["year"].unique())[-2:])
        self.provisional_pc = set(sorted(self.pc["year"].unique())[-2:])

    def cagr(self, start: int) -> tuple[pd.Series, pd.Series]:
        """Regions' and 2025 provinces' GRDP CAGR from ``start`` to the last year."""
        from cityresearch import growth

        if start not in self._cagr:
            self._cagr[start] = (
                growth.cagr(self.panel, "grdp_idr_bn", start, self.last),
                growth.cagr(
                    self.prov, "grdp_idr_bn", start, self.last, unit="prov_kemendagri_code"
                ),
            )
        return self._cagr[start]


_CONTEXT: _Context | None = None


def _context() -> _Context:
    global _CONTEXT
    if _CONTEXT is None:
        _CONTEXT = _Context()
    return _CONTEXT


def _resolve(region: str) -> str:
    from cityresearch import regions

    return regions.lookup(region)["bps_code"]


def _date_key(text: str) -> str:
    """Sortable key of a date written as YYYY, YYYY-MM or YYYY-MM-DD (possibly
    followed by a note); an unknown month/day sorts at the end of the period."""
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(text))
    if not m:
        m2 = re.search(r"(\d{4})", str(text))
        return f"{m2.group(1) if m2 else '9999'}-99-99"
    return f"{m.group(1)}-{m.group(2) or '99'}-{m.group(3) or '99'}"


def _split_date(text) -> tuple[str, str]:
    """``"2023 (reprint of Kompas)"`` -> ``("2023", "reprint of Kompas")``: the date and
    the source's note about it (kept with the source, not the date)."""
    text = str(text).strip()
    m = re.match(r"(\d{4}(?:-\d{2}){0,2}(?:/\d{4}(?:-\d{2}){0,2})?)\s*(.*)$", text)
    date, note = (m.group(1), m.group(2).strip()) if m else ("", text)
    if note.startswith("(") and note.endswith(")"):
        note = note[1:-1]
    return date, note


def assemble(region: str) -> dict:
    """Assemble every section of the profile of one region (no drawing).

    Parameters
    ----------
    region : str
        BPS code, Kemendagri code, or an unambiguous name ("Kabupaten Blitar";
        bare "Blitar" raises :class:`AmbiguousRegionError`).

    Returns
    -------
    dict
        Keys of :data:`SECTIONS` (each a DataFrame or a dict), ``"window"``
        (dict: ``start`` and ``end`` of the growth comparison, ``first_listed``
        and ``parent_name`` for regions formed after 2000, ``provisional``
        years) and ``"format"`` (the number formatter).

    Raises
    ------
    RegionNotFoundError, AmbiguousRegionError
        The region cannot be identified.

    Examples
    --------
    The profile reads the data files (``cityresearch.data``):

    >>> p = assemble("Kota Blitar")  # doctest: +SKIP
    >>> p["identity"]["bps_code"], p["window"]["start"], p["window"]["end"]  # doctest: +SKIP
    ('3572', 2000, 2019)
    >>> p["series"][["year", "grdp_idr_bn"]].tail(1)  # doctest: +SKIP
        year  grdp_idr_bn
    19  2019       4833.0
    """
    from cityresearch import maps

    ctx = _context()
    code = _resolve(region)
    row = ctx.table.loc[code]
    out: dict[str, Any] = {
        "identity": {
            "bps_code": code,
            **row.drop(labels=["lat", "lng"]).to_dict(),
            "size_class": int(ctx.size[code]),
        }
    }
    form: Any = ctx.formation.loc[code] if code in ctx.formation.index else None
    first_listed = (
        int(form["first_listed"]) if form is not None and pd.notna(form["first_listed"]) else None
    )
    start, end = (max(ctx.first, first_listed) if first_listed else ctx.first), ctx.last
    out["window"] = {
        "start": start,
        "end": end,
        "first_listed": first_listed,
        "previous_snapshot": (int(form["previous_snapshot"]) if first_listed else None),
        "first_snapshot": form["first_snapshot"] if first_listed else None,
        "before_snapshot": form["before_snapshot"] if first_listed else None,
        "parent_name": form["parent_name"] if first_listed else None,
        "provisional": sorted(ctx.provisional),
        "provisional_pc": sorted(ctx.provisional_pc),
    }
    g = ctx.growth[ctx.growth["bps_code"] == code].drop(columns=["district_type", "corrected"])
    pc = ctx.pc[ctx.pc["bps_code"] == code][["year", "grdp_pc_idr_k"]].rename(
        columns={"grdp_pc_idr_k": "grdp_pc_2024_series_idr_k"}
    )
    series = g.merge(pc, on="year", how="outer").sort_values("year").reset_index(drop=True)
    series["bps_code"] = code
    series["provisional"] = series["year"].isin(ctx.provisional) | (
        series["year"].isin(ctx.provisional_pc) & series["grdp_idr_bn"].isna()
    )
    series["before_formation"] = series["year"] < start if first_listed else False
    out["series"] = series
    sh = ctx.shares[ctx.shares["bps_code"] == code][
        ["year", "grdp_idr_bn", "share_national_pct", "rank_national"]
    ].merge(ctx.n_national, on="year")
    ps = ctx.prov_shares[ctx.prov_shares["bps_code"] == code][
        ["year", "share_province_pct", "rank_province", "n_province"]
    ]
    out["shares"] = (
        sh.merge(ps, on="year")
        .assign(province=row["province"], province_scheme="2025 (38 provinces)")[
            [
                "year",
                "grdp_idr_bn",
                "province",
                "share_province_pct",
                "rank_province",
                "n_province",
                "share_national_pct",
                "rank_national",
                "n_national",
                "province_scheme",
            ]
        ]
        .reset_index(drop=True)
    )
    # comparisons: province (2025 scheme), peers, cohort, over the region's window
    cagr, prov_cagr = ctx.cagr(start)
    prov = ctx.prov[ctx.prov["prov_kemendagri_code"] == row["prov_kemendagri_code"]].set_index(
        "year"
    )
    same_size = ctx.size.reindex(ctx.table.index) == ctx.size[code]
    peers = ctx.table.index[((ctx.table["type"] == row["type"]) & same_size).to_numpy()].drop(code)
    if code in ctx.cohorts.index:
        cohort_year = int(ctx.cohorts.at[code, "cohort_year"])
        nearest = None
    else:
        part = ctx.table.loc[ctx.cohorts.index]
        d = np.hypot(
            part["lat"] - row["lat"], (part["lng"] - row["lng"]) * np.cos(np.radians(row["lat"]))
        )
        nearest = d.idxmin()
        cohort_year = int(ctx.cohorts.at[nearest, "cohort_year"])
    cohort_note = (
        "member"
        if nearest is None
        else f"never joined; nearest participant {ctx.table.at[nearest, 'name']}"
    )
    cohort = ctx.cohorts.index[ctx.cohorts["cohort_year"] == cohort_year].drop(
        code, errors="ignore"
    )
    latest = ctx.latest
    cagr_col = f"grdp_cagr_{start}_{end}_pct"
    pc_col = f"grdp_pc_cagr_2010_{int(ctx.pc['year'].max())}_pct"

    def summary(what, label, pc_end, c, c_pc, n):
        return {
            "what": what,
            "comparison": label,
            "n_regions": n,
            f"grdp_pc_{end}_idr_k": pc_end,
            cagr_col: c,
            pc_col: c_pc,
        }

    rows = [
        summary(
            "region",
            row["name"],
            latest.at[code, "grdp_pc_idr_k"],
            cagr[code],
            ctx.cagr_pc.get(code, np.nan),
            1,
        ),
        summary(
            "province",
            f"province {row['province']} (whole)",
            prov.at[end, "grdp_pc_idr_k"],
            prov_cagr[row["prov_kemendagri_code"]],
            np.nan,
            int(prov.at[end, "n_kabkota"]),
        ),
        summary(
            "peers",
            f"peers: {row['type']}, size class {int(ctx.size[code])} (median)",
            latest.loc[peers, "grdp_pc_idr_k"].median(),
            cagr[peers].median(),
            ctx.cagr_pc.reindex(peers).median(),
            len(peers),
        ),
        summary(
            "cohort",
            f"smart-city cohort {cohort_year} (median; {cohort_note})",
            latest.loc[cohort, "grdp_pc_idr_k"].median(),
            cagr[cohort].median(),
            ctx.cagr_pc.reindex(cohort).median(),
            len(cohort),
        ),
    ]
    out["comparison"] = pd.DataFrame(rows)
    out["comparison"].attrs.update(
        peers=list(peers),
        cohort_year=cohort_year,
        nearest=None if nearest is None else ctx.table.at[nearest, "name"],
        cagr_col=cagr_col,
    )
    sc = []
    for d, cls in ctx.classes.items():
        sc.append(
            {
                "definition": d,
                "class": cls.at[code, "class"],
                "pop": cls.at[code, "pop"],
                "in_band": bool(cls.at[code, "in_band"]),
            }
        )
    out["secondary_city"] = pd.DataFrame(sc)
    sq = (
        ctx.service[ctx.service["bps_code"] == code][
            [
                "year",
                "measure",
                "method",
                "score",
                "zone",
                "conflict",
                "year_uncertain",
                "source_url",
                "source_date",
            ]
        ]
        .sort_values(["year", "measure"])
        .reset_index(drop=True)
    )
    out["service_quality"] = sq
    tl = []
    for y, date, text in PROGRAMME_EVENTS:
        mine = nearest is None and cohort_year == y
        listed = (
            ctx.cohorts_all["listed_years"]
            .astype(str)
            .str.split(";")
            .map(lambda ys, y=y: str(y) in ys)
        )
        src = (
            ctx.cohorts.at[code, "source_url"]
            if mine
            else ctx.cohorts_all.loc[listed, "source_url"].mode().iloc[0]
        )
        tl.append(
            {
                "date": date,
                "event": text["en"] + (f"; {row['name']} among them" if mine else ""),
                "event_indonesian": text["id"] + (f"; termasuk {row['name']}" if mine else ""),
                "this_region": mine,
                "source": src,
            }
        )
    for r in sq.itertuples():
        en, idn = _service_event(r)
        date, note = _split_date(r.source_date)
        tl.append(
            {
                "date": date or f"{int(r.year)}?",
                "event": en,
                "event_indonesian": idn,
                "this_region": True,
                "source": r.source_url + (f" ({note})" if note else ""),
            }
        )
    tlf = pd.DataFrame(tl)
    tlf["_key"] = tlf["date"].map(_date_key)
    out["timeline"] = (
        tlf.sort_values("_key", kind="stable").drop(columns="_key").reset_index(drop=True)
    )
    cl = ctx.claims[ctx.claims["bps_code"] == code]
    out["claims"] = cl.reset_index(drop=True)
    out["format"] = maps.format_number
    return out


_MEASURE = {
    "ombudsman_kepatuhan": {
        "en": "Ombudsman compliance assessment",
        "id": "penilaian kepatuhan Ombudsman",
    },
    "spbe_index": {"en": "SPBE e-government index", "id": "indeks SPBE"},
}
_METHOD = {
    "kepatuhan_2015_2019_sample_survey": {
        "en": "2015-2019 method (sample survey)",
        "id": "metode 2015-2019 (survei sampel)",
    },
    "kepatuhan_2021_all_pemda": {
        "en": "2021 method (all local governments)",
        "id": "metode 2021 (semua pemda)",
    },
    "kepatuhan_2022_2024_four_dimensions": {
        "en": "2022-2024 method (four dimensions)",
        "id": "metode 2022-2024 (empat dimensi)",
    },
    "opini_ombudsman_2025_not_comparable": {
        "en": "2025 Ombudsman opinion (not comparable)",
        "id": "opini Ombudsman 2025 (tidak sebanding)",
    },
    "spbe_index": {"en": "SPBE index (1-5)", "id": "indeks SPBE (1-5)"},
}
_ZONE = {
    "hijau": {"en": "green (hijau)", "id": "hijau"},
    "kuning": {"en": "yellow (kuning)", "id": "kuning"},
    "merah": {"en": "red (merah)", "id": "merah"},
    "Baik": {"en": "good (baik)", "id": "baik"},
    "Cukup": {"en": "fair (cukup)", "id": "cukup"},
    "Kurang": {"en": "poor (kurang)", "id": "kurang"},
    "not hijau (kuning or merah, unspecified)": {
        "en": "not green (yellow or red, unspecified)",
        "id": "bukan hijau (kuning atau merah, tidak disebut)",
    },
}


def _tr(mapping: dict, value, lang: str) -> str:
    if not isinstance(value, str):
        return ""
    return mapping.get(value, {}).get(lang, value)


def _service_event(r) -> tuple[str, str]:
    out = []
    for lang in LANGS:
        f = _fmt(lang)
        parts = []
        if pd.notna(r.score):
            parts.append(("score " if lang == "en" else "nilai ") + f(r.score, 2))
        if isinstance(r.zone, str):
            parts.append(("zone " if lang == "en" else "zona ") + _tr(_ZONE, r.zone, lang))
        if bool(r.conflict):
            parts.append(
                "another source gives a different figure"
                if lang == "en"
                else "sumber lain memberi angka berbeda"
            )
        text = (
            f"{_tr(_MEASURE, r.measure, lang)} {int(r.year)}, {_tr(_METHOD, r.method, lang)}, "
            + ("published" if lang == "en" else "dipublikasikan")
        )
        out.append(text + (": " + ", ".join(parts) if parts else ""))
    return out[0], out[1]


def _fmt(lang):
    from cityresearch import maps

    def num(x, d=0):
        return maps.format_number(x, lang=lang, decimals=d) if pd.notna(x) else "–"

    return num


_DEF = {
    "kota_band": {
        "en": "kota of 100,000-1,000,000 inhabitants",
        "id": "kota berpenduduk 100.000-1.000.000 jiwa",
    },
    "kota_all": {"en": "every kota", "id": "semua kota"},
    "kota_plus_urban_kabupaten": {
        "en": "kota or dense kabupaten of 100,000-1,000,000 inhabitants",
        "id": "kota atau kabupaten padat berpenduduk 100.000-1.000.000 jiwa",
    },
}
_CLASS = {
    "metro_core": {"en": "metropolitan core", "id": "inti metropolitan"},
    "secondary": {"en": "secondary city", "id": "kota sekunder"},
    "other_kota": {"en": "other kota", "id": "kota lain"},
    "kabupaten": {"en": "kabupaten (not a city)", "id": "kabupaten (bukan kota)"},
}
_CLAIM_MEASURE = {
    "economic_growth": {"en": "economic growth", "id": "pertumbuhan ekonomi"},
    "inflation": {"en": "inflation", "id": "inflasi"},
    "ict_sector_growth": {
        "en": "growth of the information and communication sector",
        "id": "pertumbuhan sektor informasi dan komunikasi",
    },
    "selection_candidates": {
        "en": "kab/kota among which the smart-city participants were chosen",
        "id": "kab/kota yang diseleksi untuk program smart city",
    },
    "selected_in_province": {
        "en": "kab/kota of the province selected for the smart-city programme",
        "id": "kab/kota di provinsi ini yang lolos seleksi program smart city",
    },
}
_UNIT = {"percent": "%", "kab/kota": " kab/kota"}

_T = {
    "en": {
        "intro": "{name} ({type_word}, BPS code {bps}, Kemendagri code {kem}) is in {province} "
        "province{prov_note} ({island}). In {end} it had {pop} inhabitants and a GRDP of "
        "IDR {grdp} billion at constant 2010 prices, IDR {pc} thousand per person.",
        "prov_note": ", part of {old} province until 2022",
        "growth": (
            "Its GRDP grew {cagr}% a year from {start} to {end} (median of its {npeer} "
            "peers, "
            "{peer_desc}: {peer}%; {province} as a whole: {prov}%)."
        ),
        "shrink": (
            "Its GRDP shrank {cagr}% a year from {start} to {end} (median of its {npeer} "
            "peers, "
            "{peer_desc}: {peer}%; {province} as a whole: {prov}%)."
        ),
        "formed": "It first appears under its own code and name in the BPS code list of {first} "
        "(in {before} it was part of {parent}); the source's figures for earlier years "
        "are back-cast, so growth is compared from {start}.",
        "share": (
            "In {end} it produced {sp}% of the GRDP of {province} (rank {rp} of its {np} "
            "kab/kota; "
            "provinces as delimited in 2025) and {sn}% of Indonesia's (rank {rn} of {nn})."
        ),
        "provisional": "Figures for {years} are provisional BPS estimates.",
        "cohort_member": "It signed the Gerakan Menuju 100 Smart City MoU in {year}.",
        "cohort_none": "It did not join Gerakan Menuju 100 Smart City; the cohort comparison uses "
        "the {year} cohort of its nearest participant, {nearest}.",
        "secondary": "Secondary-city class under the three definitions of notebook 01: {classes}.",
        "service_none": "No published Ombudsman or SPBE figure was found for it.",
        "service": "Published service-quality figures: {n} ({years}); sources are listed below.",
        "claims_intro": "Statements of {speakers} reported by the {source}:",
        "claim_agrees": "{label} {year}: {value}; the data give {data} (agrees).",
        "claim_growth": "{label} {year}: {value}%; the GRDP series at constant 2010 prices gives "
        "{data}%, {absdiff} points {direction}. Rounding of the published GRDP to "
        "IDR 1 billion allows only {lo}-{hi}%, so the difference is real; a different "
        "BPS release (vintage) or a later revision are plausible reasons.",
        "claim_growth_ok": "{label} {year}: {value}%; the GRDP series at constant 2010 prices "
        "gives {data}% (agrees).",
        "claim_differs": "{label} {year}: {value}; the data give {data} (differs).",
        "claim_none": "{label}{year}: {value}; the toolkit has no data to check it.",
        "no_year": " (no year given)",
        "higher": "higher",
        "lower": "lower",
        "kabupaten": "kabupaten (regency)",
        "kota": "kota (city)",
        "peer_desc": "{type} of size class {size}",
    },
    "id": {
        "intro": "{name} ({type_word}, kode BPS {bps}, kode Kemendagri {kem}) terletak di provinsi "
        "{province}{prov_note} ({island}). Pada {end} penduduknya {pop} jiwa dan PDRB-nya "
        "Rp {grdp} miliar atas dasar harga konstan 2010, atau Rp {pc} ribu per orang.",
        "prov_note": ", bagian dari provinsi {old} hingga 2022",
        "growth": (
            "PDRB-nya tumbuh {cagr}% per tahun dari {start} hingga {end} (median {npeer} "
            "daerah "
            "sebanding, {peer_desc}: {peer}%; provinsi {province} secara keseluruhan: {prov}%)."
        ),
        "shrink": (
            "PDRB-nya turun {cagr}% per tahun dari {start} hingga {end} (median {npeer} "
            "daerah "
            "sebanding, {peer_desc}: {peer}%; provinsi {province} secara keseluruhan: {prov}%)."
        ),
        "formed": (
            "Daerah ini pertama kali tercantum dengan kode dan namanya sendiri dalam daftar "
            "kode "
            "BPS {first} (pada {before} masih bagian dari {parent}); angka sumber untuk "
            "tahun-tahun sebelumnya adalah estimasi mundur, sehingga pertumbuhan dibandingkan "
            "sejak {start}."
        ),
        "share": (
            "Pada {end} daerah ini menghasilkan {sp}% PDRB provinsi {province} (peringkat "
            "{rp} dari "
            "{np} kab/kota; batas provinsi tahun 2025) dan {sn}% PDB Indonesia (peringkat {rn} "
            "dari {nn})."
        ),
        "provisional": "Angka tahun {years} adalah angka sementara BPS.",
        "cohort_member": "Daerah ini menandatangani MoU Gerakan Menuju 100 Smart City pada {year}.",
        "cohort_none": (
            "Daerah ini tidak mengikuti Gerakan Menuju 100 Smart City; perbandingan "
            "kohort "
            "memakai kohort {year} dari peserta terdekat, {nearest}."
        ),
        "secondary": "Kelas kota sekunder menurut tiga definisi di notebook 01: {classes}.",
        "service_none": (
            "Tidak ditemukan angka Ombudsman atau SPBE yang dipublikasikan untuk daerah ini."
        ),
        "service": (
            "Angka kualitas pelayanan yang dipublikasikan: {n} ({years}); sumbernya "
            "tercantum di bawah."
        ),
        "claims_intro": "Pernyataan {speakers} yang dilaporkan dalam {source}:",
        "claim_agrees": "{label} {year}: {value}; data menunjukkan {data} (sesuai).",
        "claim_growth": "{label} {year}: {value}%; deret PDRB atas dasar harga konstan 2010 "
        "menghasilkan {data}%, {absdiff} poin lebih {direction}. Pembulatan PDRB yang "
        "dipublikasikan ke Rp 1 miliar hanya memungkinkan {lo}-{hi}%, jadi selisihnya "
        "nyata; rilis BPS yang berbeda (vintage) atau revisi kemudian adalah penjelasan "
        "yang masuk akal.",
        "claim_growth_ok": "{label} {year}: {value}%; deret PDRB atas dasar harga konstan 2010 "
        "menghasilkan {data}% (sesuai).",
        "claim_differs": "{label} {year}: {value}; data menunjukkan {data} (berbeda).",
        "claim_none": "{label}{year}: {value}; toolkit tidak memiliki data untuk memeriksanya.",
        "no_year": " (tahun tidak disebut)",
        "higher": "tinggi",
        "lower": "rendah",
        "kabupaten": "kabupaten",
        "kota": "kota",
        "peer_desc": "{type} kelas ukuran {size}",
    },
}
_SOURCE_SHORT = {
    "en": "news report of the Pemerintah Kabupaten Blitar smart-city technical guidance, "
    "2-3 July 2018 (Tim/VDZ)",
    "id": "berita bimbingan teknis Gerakan Menuju 100 Smart City Pemerintah Kabupaten Blitar, "
    "2-3 Juli 2018 (Tim/VDZ)",
}


def _check_lang(lang):
    if lang not in LANGS:
        raise ValidationError(f"lang must be 'en' or 'id', not {lang!r}")


def _claim_value(c, num) -> str:
    if not c.value:
        return "–"
    vals = c.value.split(";")
    unit = _UNIT.get(c.unit, "")
    try:
        return ", ".join(num(float(v), 2 if "." in v else 0) + unit for v in vals)
    except ValueError:
        return c.value + unit


def narrative(sections: dict, *, lang: str = "en") -> list[str]:
    """The profile's text, one paragraph per item.

    Parameters
    ----------
    sections : dict
        As returned by :func:`assemble`.
    lang : {"en", "id"}
        English or Bahasa Indonesia.

    Returns
    -------
    list of str
        Paragraphs (Markdown); every number in them comes from ``sections``.

    Raises
    ------
    ValidationError
        Unknown ``lang``.

    Examples
    --------
    >>> p = assemble("Kota Blitar")  # doctest: +SKIP
    >>> narrative(p, lang="id")[0][:60]  # doctest: +SKIP
    'Kota Blitar (kota, kode BPS 3572, kode Kemendagri 35.72) ter'
    """
    _check_lang(lang)
    t, num = _T[lang], _fmt(lang)
    ident, series, shares, comp = (
        sections[k] for k in ("identity", "series", "shares", "comparison")
    )
    win = sections["window"]
    start, end = win["start"], win["end"]
    last = series[series["year"] == end].iloc[0]
    sh = shares[shares["year"] == end].iloc[0]
    cagr_col = comp.attrs["cagr_col"]
    prov_note = (
        t["prov_note"].format(old=ident["province_34"])
        if ident["province_34"] != ident["province"]
        else ""
    )
    paras = [
        t["intro"].format(
            name=ident["name"],
            type_word=t[ident["type"]],
            bps=ident["bps_code"],
            kem=ident["kemendagri_code"],
            province=ident["province"],
            prov_note=prov_note,
            island=ident["island_group"],
            end=end,
            pop=num(last["pop"]),
            grdp=num(last["grdp_idr_bn"]),
            pc=num(last["grdp_pc_idr_k"]),
        ),
    ]
    if win["first_listed"]:
        paras.append(
            t["formed"].format(
                first=_snapshot_text(win["first_snapshot"], lang),
                before=_snapshot_text(win["before_snapshot"], lang),
                start=win["start"],
                parent=str(win["parent_name"]).title(),
            )
        )
    peer_desc = t["peer_desc"].format(type=ident["type"], size=ident["size_class"])
    paras += [
        (t["growth"] if comp.at[0, cagr_col] >= 0 else t["shrink"]).format(
            cagr=num(abs(comp.at[0, cagr_col]), 2),
            start=start,
            end=end,
            npeer=int(comp.at[2, "n_regions"]),
            peer_desc=peer_desc,
            peer=num(comp.at[2, cagr_col], 2),
            province=ident["province"],
            prov=num(comp.at[1, cagr_col], 2),
        ),
        t["share"].format(
            end=end,
            sp=num(sh["share_province_pct"], 2),
            province=ident["province"],
            rp=int(sh["rank_province"]),
            np=int(sh["n_province"]),
            sn=num(sh["share_national_pct"], 3),
            rn=int(sh["rank_national"]),
            nn=int(sh["n_national"]),
        ),
        t["provisional"].format(
            years=(" dan " if lang == "id" else " and ").join(map(str, win["provisional"]))
        ),
    ]
    attrs = comp.attrs
    paras.append(
        t["cohort_member"].format(year=attrs["cohort_year"])
        if attrs["nearest"] is None
        else t["cohort_none"].format(year=attrs["cohort_year"], nearest=attrs["nearest"])
    )
    sc = sections["secondary_city"]
    paras.append(
        t["secondary"].format(
            classes="; ".join(
                f"{_tr(_DEF, r.definition, lang)}: {_tr(_CLASS, r._2, lang)}"
                for r in sc.itertuples()
            )
        )
    )
    sq = sections["service_quality"]
    paras.append(
        t["service"].format(n=len(sq), years=", ".join(map(str, sorted(sq["year"].unique()))))
        if len(sq)
        else t["service_none"]
    )
    claims = sections["claims"]
    if len(claims):
        speakers = sorted({f"{c.speaker} ({c.speaker_role})" for c in claims.itertuples()})
        paras.append(
            t["claims_intro"].format(speakers=", ".join(speakers), source=_SOURCE_SHORT[lang])
        )
    for c in claims.itertuples():
        label = _tr(_CLAIM_MEASURE, c.measure, lang)
        label = label[:1].upper() + label[1:]
        year = c.year if c.year else ""
        value = _claim_value(c, num)
        if c.check == "grdp_growth" and c.status in ("agrees", "differs"):
            if c.status == "agrees":
                paras.append(
                    t["claim_growth_ok"].format(
                        label=label,
                        year=year,
                        value=num(float(c.value), 2),
                        data=num(c.data_value, 2),
                    )
                )
            else:
                paras.append(
                    t["claim_growth"].format(
                        label=label,
                        year=year,
                        value=num(float(c.value), 2),
                        data=num(c.data_value, 2),
                        absdiff=num(abs(float(c.value) - round(c.data_value, 2)), 2),
                        direction=t["lower"] if c.difference < 0 else t["higher"],
                        lo=num(c.rounding_lo, 3),
                        hi=num(c.rounding_hi, 3),
                    )
                )
        elif c.status in ("agrees", "differs"):
            data = _claim_value(c._replace(value=c.data_text or f"{c.data_value:g}"), num)
            paras.append(
                t["claim_" + c.status].format(label=label, year=year, value=value, data=data)
            )
        else:
            paras.append(
                t["claim_none"].format(
                    label=label, value=value, year=f" {year}" if year else t["no_year"]
                )
            )
    return paras


class Table:
    """A reader-facing table: shown in full (no column cut), links clickable.

    ``frame`` holds the values; ``str(table)`` and the notebook's plain-text
    output give every column in full, the HTML output renders URLs as links.
    """

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    def __repr__(self) -> str:
        with pd.option_context(
            "display.max_colwidth",
            None,
            "display.width",
            10_000,
            "display.max_columns",
            None,
            "display.max_rows",
            None,
        ):
            return self.frame.to_string(index=False)

    def _repr_html_(self) -> str:
        return self.frame.to_html(index=False, render_links=True, escape=True, na_rep="–")


class Message:
    """A sentence shown instead of an empty table."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text


_COLS = {
    "year": ("year", "tahun"),
    "pop": ("population (persons)", "penduduk (jiwa)"),
    "grdp_idr_bn": ("GRDP (IDR billion, 2010 prices)", "PDRB (miliar Rp, harga konstan 2010)"),
    "grdp_pc_idr_k": (
        "GRDP per capita (IDR thousand, 2010 prices)",
        "PDRB per kapita (ribu Rp, harga konstan 2010)",
    ),
    "grdp_growth_pct": ("GRDP growth (%)", "pertumbuhan PDRB (%)"),
    "grdp_pc_growth_pct": ("GRDP per capita growth (%)", "pertumbuhan PDRB per kapita (%)"),
    "grdp_pc_2024_series_idr_k": (
        "GRDP per capita, 2000-2024 series (IDR thousand)",
        "PDRB per kapita, deret 2000-2024 (ribu Rp)",
    ),
    "note": ("note", "catatan"),
    "province": ("province (2025)", "provinsi (2025)"),
    "share_province_pct": ("share of province GRDP (%)", "pangsa PDRB provinsi (%)"),
    "rank_province": ("rank in province", "peringkat di provinsi"),
    "n_province": ("kab/kota in province", "kab/kota di provinsi"),
    "share_national_pct": ("share of national GRDP (%)", "pangsa PDB nasional (%)"),
    "rank_national": ("rank in Indonesia", "peringkat nasional"),
    "comparison": ("comparison", "pembanding"),
    "n_regions": ("regions", "jumlah daerah"),
    "definition": ("definition", "definisi"),
    "class": ("class", "kelas"),
    "in_band": ("population within the band", "penduduk dalam rentang"),
    "measure": ("measure", "ukuran"),
    "method": ("method", "metode"),
    "score": ("score", "nilai"),
    "zone": ("zone", "zona"),
    "conflict": ("sources disagree", "sumber berbeda"),
    "year_uncertain": ("year uncertain", "tahun tidak pasti"),
    "source_url": ("source", "sumber"),
    "source_date": ("source date", "tanggal sumber"),
    "date": ("date", "tanggal"),
    "event": ("event", "peristiwa"),
    "source": ("source", "sumber"),
    "speaker": ("speaker", "pembicara"),
    "quote": ("words of the source", "kutipan sumber"),
    "value": ("stated value", "nilai yang disebut"),
    "data_value": ("data value", "nilai data"),
    "status": ("check", "hasil pemeriksaan"),
    "claim": ("statement", "pernyataan"),
}
_STATUS = {
    "agrees": ("agrees", "sesuai"),
    "differs": ("differs", "berbeda"),
    "not_checked": ("no data to check it", "tidak ada data untuk memeriksa"),
    "no_definition": ("no definition given", "definisi tidak disebut"),
}
_YES = {True: ("yes", "ya"), False: ("no", "tidak")}
_EMPTY = {
    "service_quality": (
        "No published Ombudsman or SPBE figure was found for this region.",
        "Tidak ditemukan angka Ombudsman atau SPBE yang dipublikasikan untuk daerah ini.",
    ),
    "claims": (
        "No official statement about this region is in the toolkit's curated tables.",
        "Tidak ada pernyataan resmi tentang daerah ini dalam tabel kurasi toolkit.",
    ),
    "timeline": ("No event.", "Tidak ada peristiwa."),
}
#: Value columns of the series table (decimals shown).
_SERIES_COLUMNS = (
    ("pop", 0),
    ("grdp_idr_bn", 0),
    ("grdp_pc_idr_k", 0),
    ("grdp_growth_pct", 2),
    ("grdp_pc_growth_pct", 2),
    ("grdp_pc_2024_series_idr_k", 0),
)


def table(sections: dict, key: str, *, lang: str = "en") -> Table | Message:
    """One section of the profile as a reader-facing table in the chosen language.

    Parameters
    ----------
    sections : dict
        As returned by :func:`assemble`.
    key : str
        One of ``series``, ``shares``, ``comparison``, ``secondary_city``,
        ``service_quality``, ``timeline``, ``claims``.
    lang : {"en", "id"}
        Language of headers and values; numbers use the language's separators.

    Returns
    -------
    Table or Message
        A :class:`Table` (translated headers, no identifiers, full source
        links), or a :class:`Message` sentence when the section is empty.
        The ``series`` table has a row for every year with a value (a region
        formed after 2000 is noted as back-cast in its early years).

    Raises
    ------
    ValidationError
        Unknown ``key`` or ``lang``.

    Examples
    --------
    >>> p = assemble("Kota Blitar")  # doctest: +SKIP
    >>> table(p, "shares", lang="en").frame.iloc[:, :3]  # doctest: +SKIP
       year GRDP (IDR billion, 2010 prices) province (2025)
    0  2000                           1,612      Jawa Timur
    1  2010                           2,844      Jawa Timur
    2  2019                           4,833      Jawa Timur
    """
    _check_lang(lang)
    li = LANGS.index(lang)
    num = _fmt(lang)
    if key not in SECTIONS or key == "identity":
        raise ValidationError(f"key must be one of {SECTIONS[1:]}, not {key!r}")
    df = sections[key]
    if len(df) == 0:
        return Message(_EMPTY[key][li])
    if key == "series":
        # every year with a value in any column (a year without any is not a row)
        df = df[df[[c for c, _ in _SERIES_COLUMNS]].notna().any(axis=1)]
        out = pd.DataFrame({"year": df["year"].astype(int).astype(str)})
        for col, d in _SERIES_COLUMNS:
            out[col] = [num(v, d) for v in df[col]]
        notes = []
        for r in df.itertuples():
            n = []
            if r.before_formation:
                n.append(
                    (
                        "before the region existed: back-cast by the source",
                        "sebelum daerah terbentuk: estimasi mundur oleh sumber",
                    )[li]
                )
            if r.provisional:
                n.append(("provisional", "angka sementara")[li])
            notes.append("; ".join(n))
        out["note"] = notes
    elif key == "shares":
        df = df[df["year"].isin([2000, 2010, sections["window"]["end"]])]
        out = pd.DataFrame(
            {
                "year": df["year"].astype(str),
                "grdp_idr_bn": [num(v) for v in df["grdp_idr_bn"]],
                "province": df["province"],
                "share_province_pct": [num(v, 2) for v in df["share_province_pct"]],
                "rank_province": [
                    f"{int(r)} / {int(n)}"
                    for r, n in zip(df["rank_province"], df["n_province"], strict=True)
                ],
                "share_national_pct": [num(v, 3) for v in df["share_national_pct"]],
                "rank_national": [
                    f"{int(r)} / {int(n)}"
                    for r, n in zip(df["rank_national"], df["n_national"], strict=True)
                ],
            }
        )
    elif key == "comparison":
        ident, a = sections["identity"], df.attrs
        labels = {
            "region": ident["name"],
            "province": (
                f"{ident['province']} province, whole (2025 boundaries)",
                f"provinsi {ident['province']}, keseluruhan (batas 2025)",
            )[li],
            "peers": (
                f"peers: {ident['type']} of size class {ident['size_class']} (median)",
                f"daerah sebanding: {ident['type']} kelas ukuran {ident['size_class']} (median)",
            )[li],
            "cohort": (
                (
                    f"smart-city cohort {a['cohort_year']} (median)",
                    f"kohort smart city {a['cohort_year']} (median)",
                )[li]
                if a["nearest"] is None
                else (
                    f"smart-city cohort {a['cohort_year']} of the nearest participant, "
                    f"{a['nearest']} (median)",
                    f"kohort smart city {a['cohort_year']} dari peserta terdekat, "
                    f"{a['nearest']} (median)",
                )[li]
            ),
        }
        out = pd.DataFrame(
            {"comparison": df["what"].map(labels), "n_regions": df["n_regions"].astype(str)}
        )
        for col in df.columns[3:]:
            m = re.match(r"grdp_(pc_)?(cagr_(\d+)_(\d+)|(\d+))_(pct|idr_k)", col)
            assert m is not None, f"comparison column {col!r} has an unknown name"
            pcap = bool(m.group(1))
            if m.group(3):
                head = (
                    f"{'GRDP per capita' if pcap else 'GRDP'} growth {m.group(3)}-{m.group(4)} "
                    f"(% a year)",
                    f"pertumbuhan {'PDRB per kapita' if pcap else 'PDRB'} "
                    f"{m.group(3)}-{m.group(4)} "
                    f"(% per tahun)",
                )[li]
                out[head] = [num(v, 2) for v in df[col]]
            else:
                head = (
                    f"GRDP per capita {m.group(5)} (IDR thousand)",
                    f"PDRB per kapita {m.group(5)} (ribu Rp)",
                )[li]
                out[head] = [num(v) for v in df[col]]
    elif key == "secondary_city":
        out = pd.DataFrame(
            {
                "definition": [_tr(_DEF, d, lang) for d in df["definition"]],
                "class": [_tr(_CLASS, c, lang) for c in df["class"]],
                "pop": [num(v) for v in df["pop"]],
                "in_band": [_YES[bool(b)][li] for b in df["in_band"]],
            }
        )
    elif key == "service_quality":
        out = pd.DataFrame(
            {
                "year": df["year"].astype(int).astype(str),
                "measure": [_tr(_MEASURE, m, lang) for m in df["measure"]],
                "method": [_tr(_METHOD, m, lang) for m in df["method"]],
                "score": [num(v, 2) for v in df["score"]],
                "zone": [_tr(_ZONE, z, lang) or "–" for z in df["zone"]],
                "conflict": [_YES[bool(b)][li] for b in df["conflict"]],
                "year_uncertain": [_YES[bool(b)][li] for b in df["year_uncertain"]],
                "source_date": [_split_date(d)[0] for d in df["source_date"]],
                "source_url": [
                    u + (f" ({n})" if n else "")
                    for u, n in zip(
                        df["source_url"],
                        (_split_date(d)[1] for d in df["source_date"]),
                        strict=True,
                    )
                ],
            }
        )
    elif key == "timeline":
        out = pd.DataFrame(
            {
                "date": df["date"],
                "event": df["event"] if lang == "en" else df["event_indonesian"],
                "source": df["source"].fillna(""),
            }
        )
    else:  # claims
        rows = []
        for c in df.itertuples():
            label = _tr(_CLAIM_MEASURE, c.measure, lang)
            if c.year:
                label += f" {c.year}"
            if c.status in ("agrees", "differs") and c.check == "grdp_growth":
                data = num(c.data_value, 2) + "%"
            elif c.status in ("agrees", "differs"):
                data = _claim_value(c._replace(value=c.data_text or f"{c.data_value:g}"), num)
            else:
                data = "–"
            source = _SOURCE_SHORT[lang] if c.source == _SOURCE_SHORT["en"] else c.source
            rows.append(
                {
                    "claim": label,
                    "value": _claim_value(c, num),
                    "data_value": data,
                    "status": _STATUS[c.status][li],
                    "speaker": f"{c.speaker}, {c.speaker_role}",
                    "quote": f"“{c.quote}”",
                    "source": source,
                }
            )
        out = pd.DataFrame(rows)
    return Table(out.rename(columns={k: v[li] for k, v in _COLS.items()}).reset_index(drop=True))


def series_figure(sections: dict, *, lang: str = "en") -> Figure:
    """Growth of GRDP and GRDP per capita, and GRDP per capita 2000-2024, with
    titles, axes and caption in the chosen language; provisional years and the
    years before the region existed are marked.

    Parameters
    ----------
    sections : dict
        As returned by :func:`assemble`.
    lang : {"en", "id"}
        Language of the labels.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels: annual growth of GRDP and GRDP per capita (% per year),
        and GRDP per capita of the 2000-2024 series (IDR thousand); the
        caption states the marks and the sources.

    Raises
    ------
    ValidationError
        ``lang`` is not ``"en"`` or ``"id"``. ``sections`` is not checked: a
        dict not made by :func:`assemble` fails with a ``KeyError``.

    Examples
    --------
    >>> p = assemble("Kota Blitar")  # doctest: +SKIP
    >>> fig = series_figure(p, lang="en")  # doctest: +SKIP
    >>> [a.get_title(loc="left") for a in fig.axes]  # doctest: +SKIP
    ['Annual growth', 'GRDP per capita, 2000-2024 series']
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    _check_lang(lang)
    li = LANGS.index(lang)
    s, w = sections["series"], sections["window"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
    ax = axes[0]
    ax.plot(s["year"], s["grdp_growth_pct"], marker="o", ms=3, label=("GRDP", "PDRB")[li])
    ax.plot(
        s["year"],
        s["grdp_pc_growth_pct"],
        marker=".",
        label=("GRDP per capita", "PDRB per kapita")[li],
    )
    ax.axhline(0, color="grey", linewidth=0.6)
    ax.set_title(("Annual growth", "Pertumbuhan tahunan")[li], loc="left")
    ax.set_ylabel(("% per year", "% per tahun")[li])
    ax2 = axes[1]
    ax2.plot(s["year"], s["grdp_pc_2024_series_idr_k"], color="tab:green")
    ax2.set_title(
        ("GRDP per capita, 2000-2024 series", "PDRB per kapita, deret 2000-2024")[li], loc="left"
    )
    ax2.set_ylabel(("IDR thousand (2010 prices)", "ribu Rp (harga konstan 2010)")[li])
    sep = (",", ".")[li]
    ax2.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}".replace(",", sep)))
    marks = []
    for a, prov in ((ax, w["provisional"]), (ax2, w["provisional_pc"])):
        a.axvspan(min(prov) - 0.5, max(prov) + 0.5, color="0.9", zorder=0)
        if w["first_listed"]:
            span = a.axvspan(
                s["year"].min() - 0.5,
                w["start"] - 0.5,
                facecolor="none",
                hatch="///",
                edgecolor="0.5",
                linewidth=0,
                zorder=0,
            )
            span.set_hatch_linewidth(0.9)  # seen at 150 dpi, behind the lines
        a.xaxis.set_major_locator(MaxNLocator(integer=True))
        a.set_xlabel(("year", "tahun")[li])
    ax.legend(frameon=False, fontsize=8)
    marks.append(("grey band: provisional years", "pita abu-abu: angka sementara")[li])
    if w["first_listed"]:
        marks.append(
            (
                "hatched: before the region first appears in the BPS code list "
                f"({w['first_listed']}), "
                "back-cast by the source",
                f"arsir: sebelum daerah tercantum dalam daftar kode BPS ({w['first_listed']}), "
                "estimasi mundur oleh sumber",
            )[li]
        )
    fig.suptitle(sections["identity"]["name"], x=0.01, ha="left", fontsize=11)
    fig.text(
        0.01,
        -0.04,
        "; ".join(marks)
        + ". "
        + (
            "Data: QuaRCS lab, doi:10.5281/zenodo.4428102 (CC BY 4.0); QuaRCS lab indonesia514 "
            "(MIT); from BPS.",
            "Data: QuaRCS lab, doi:10.5281/zenodo.4428102 (CC BY 4.0); QuaRCS lab indonesia514 "
            "(MIT); dari BPS.",
        )[li],
        fontsize=7,
        wrap=True,
    )
    fig.tight_layout()
    return fig


def profile_map(region: str, *, lang: str = "en") -> Map:
    """The region highlighted in its province (zoom, full detail) with a locator
    inset of Indonesia; a region small on its province's scale (most kota) is
    drawn with its neighbourhood so that it is a visible shape
    (:func:`cityresearch.maps.region_map`).

    Parameters
    ----------
    region : str
        BPS code, Kemendagri code or an unambiguous name.
    lang : {"en", "id"}
        Language of the legend.

    Returns
    -------
    cityresearch.maps.Map
        The map; ``drawn["class"]`` marks this region, the other regions of
        its province and the other provinces.

    Raises
    ------
    RegionNotFoundError, AmbiguousRegionError
        ``region`` matches no region, or more than one (from
        :func:`cityresearch.regions.lookup`).
    ValidationError
        ``lang`` is not ``"en"`` or ``"id"``.
    DataUnavailableError, HashMismatchError
        The boundaries cannot be loaded (as
        :func:`cityresearch.data.load_boundaries`).

    Examples
    --------
    >>> m = profile_map("3101", lang="id")  # doctest: +SKIP
    >>> m.caption  # doctest: +SKIP
    'Batas wilayah: Cahya DSN, wilayah_boundaries (MIT), proyeksi azimutal sama-luas Lambert.'
    """
    from cityresearch import maps

    return maps.region_map(region, lang=lang)


HEADINGS = {
    "en": {
        "map": "Where it is",
        "summary": "Summary",
        "series": "Population and GRDP over time",
        "shares": "Share of provincial and national GRDP",
        "comparison": "Comparisons",
        "secondary_city": "Secondary-city class under each definition",
        "service_quality": "Service quality as published (with sources)",
        "timeline": "Programme timeline",
        "claims": "Official figures checked against the data",
        "sources": "Sources",
    },
    "id": {
        "map": "Lokasi",
        "summary": "Ringkasan",
        "series": "Penduduk dan PDRB dari waktu ke waktu",
        "shares": "Pangsa terhadap PDRB provinsi dan nasional",
        "comparison": "Perbandingan",
        "secondary_city": "Kelas kota sekunder menurut tiap definisi",
        "service_quality": "Kualitas pelayanan yang dipublikasikan (dengan sumber)",
        "timeline": "Linimasa program",
        "claims": "Angka resmi dibandingkan dengan data",
        "sources": "Sumber",
    },
}


@keyword_only("lang")
def heading(key: str, *, lang: str = "en") -> str:
    """A section heading of the profile in the chosen language (Markdown).

    Parameters
    ----------
    key : str
        A key of ``HEADINGS[lang]`` (``"summary"``, ``"map"``, a section name,
        ``"sources"``).
    lang : {"en", "id"}
        Language of the heading (by name since 0.2).

    Returns
    -------
    str
        ``"## <heading>"``.

    Raises
    ------
    ValidationError
        ``lang`` is not ``"en"`` or ``"id"``, or ``key`` is not a key of
        ``HEADINGS[lang]`` (the keys are listed).

    Examples
    --------
    >>> heading("summary", lang="id")
    '## Ringkasan'
    """
    from cityresearch import _validate as _v

    _check_lang(lang)
    _v.check_choice(key, tuple(HEADINGS[lang]), "key", func="heading")
    return f"## {HEADINGS[lang][key]}"


@keyword_only("lang")
def sources_text(*, lang: str = "en") -> str:
    """Data sources and licences of the profile, as a Markdown list.

    Parameters
    ----------
    lang : {"en", "id"}
        Language of the list (citations stay as published).

    Returns
    -------
    str
        ``"Data:"`` and one ``- citation (licence)`` line per source: GRDP,
        GRDP per capita, boundaries, BPS codes, the curated cohort and
        service-quality tables and the claims table.

    Raises
    ------
    ValidationError
        ``lang`` is not ``"en"`` or ``"id"``.

    Examples
    --------
    >>> print(sources_text(lang="id").splitlines()[-1])  # doctest: +ELLIPSIS
    - Pernyataan resmi: ... (claims_blitar_2018.csv, disertakan dalam cityresearch).
    """
    from cityresearch import data

    _check_lang(lang)
    items = [
        f"- {s.citation} ({s.license})"
        for s in data.sources(["grdp", "grdp_pc", "boundaries", "codes"]).itertuples()
    ]
    items.append(
        {
            "en": "- Smart-city cohorts and service-quality figures: curated from the news "
            "and Ombudsman pages named per row in the curated tables shipped with "
            "cityresearch (smart_city_cohorts.csv, service_quality.csv).",
            "id": "- Kohort smart city dan angka kualitas pelayanan: dihimpun dari berita dan "
            "laman Ombudsman yang disebut per baris dalam tabel kurasi yang disertakan "
            "dalam cityresearch (smart_city_cohorts.csv, service_quality.csv).",
        }[lang]
    )
    items.append(
        {
            "en": "- Official statements: "
            + _SOURCE_SHORT["en"]
            + " (claims_blitar_2018.csv, shipped with cityresearch).",
            "id": "- Pernyataan resmi: "
            + _SOURCE_SHORT["id"]
            + " (claims_blitar_2018.csv, disertakan dalam cityresearch).",
        }[lang]
    )
    return "\n".join(["Data:", *items])
