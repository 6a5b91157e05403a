"""Region profile: everything the toolkit knows about one kabupaten/kota.

:func:`assemble` gathers, for any of the 514 regions, the sections of a
profile as tidy frames and values (no drawing): identity and codes, population
and GRDP over time with growth rates, shares of provincial and national GRDP
and ranks, comparisons with the province, with peers (same type and size
class) and with the smart-city cohort (its own, or the cohort of the nearest
participant if it never joined), its secondary-city class under each
definition, its published service-quality record with sources, the programme
timeline, and official claims checked against the data where the data can
speak. :func:`narrative` writes the text in Indonesian or English;
:func:`profile_map` draws the region in its province and in Indonesia.

Peers: same type (kabupaten/kota) and the same population size class in the
last panel year: kota under 200,000 / 200,000-500,000 / 500,000-1,000,000 /
over 1,000,000 persons; kabupaten under 250,000 / 250,000-500,000 /
500,000-1,000,000 / over 1,000,000.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cityresearch._errors import ValidationError

__all__ = ["assemble", "narrative", "profile_map", "heading", "sources_text", "CLAIMS", "SECTIONS",
           "size_class"]

SECTIONS = ["identity", "series", "shares", "comparison", "secondary_city", "service_quality",
            "timeline", "claims"]

#: Official statements about regions, checked against the data where possible.
#: measure "grdp_growth_pct" is checked against the GRDP series at constant
#: 2010 prices; other measures have no regency-level series in the toolkit.
CLAIMS = {
    "3505": [
        {"measure": "grdp_growth_pct", "year": 2016, "value": 5.09,
         "label": "economic growth", "source": "statement of the Regent of Kabupaten Blitar "
         "(as cited in the cityresearch region-profile brief)"},
        {"measure": "grdp_growth_pct", "year": 2017, "value": 5.12,
         "label": "economic growth", "source": "statement of the Regent of Kabupaten Blitar "
         "(as cited in the cityresearch region-profile brief)"},
        {"measure": "inflation_pct", "year": None, "value": 3.44, "label": "inflation",
         "source": "statement of the Regent of Kabupaten Blitar"},
        {"measure": "ict_sector_growth_pct", "year": None, "value": 3.54,
         "label": "ICT-sector growth", "source": "statement of the Regent of Kabupaten Blitar"},
    ],
}

#: MoU signings of the programme (see data/README.md for the sources).
PROGRAMME_EVENTS = [
    (2017, "2017-05-22", "first 25 kab/kota sign the MoU (Makassar)"),
    (2018, "2018-05-08", "50 kab/kota sign the MoU (Jakarta)"),
    (2019, "2019-05-15", "25 kab/kota sign the MoU (Jakarta)"),
]

_KOTA_BOUNDS = [200_000, 500_000, 1_000_000]
_KAB_BOUNDS = [250_000, 500_000, 1_000_000]


def size_class(pop: float, type_: str) -> int:
    """Population size class 1-4 within the region's type (see module docstring)."""
    bounds = _KOTA_BOUNDS if type_ == "kota" else _KAB_BOUNDS
    return int(np.searchsorted(bounds, pop, side="right") + 1)


class _Context:
    """Data loaded once and shared by the profiles of many regions."""

    def __init__(self):
        from cityresearch import data, economy, growth, regions, service

        self.table = regions.region_table().set_index("bps_code")
        self.panel = data.load_district_panel()
        self.pc = data.load_grdp_per_capita()
        self.shares = economy.grdp_shares(self.panel)
        self.prov = economy.aggregate_provinces(self.panel, scheme=2017)
        self.cohorts = data.load_smart_city_cohorts().set_index("bps_code")
        frame = growth.region_frame(int(self.panel["year"].max()))
        self.frame = frame.set_index("bps_code")
        self.classes = {d: growth.classify_secondary_cities(frame, definition=d).set_index("bps_code")
                        for d in growth.DEFINITIONS}
        self.service = service.load_compiled(measure=None)
        last = self.panel["year"].max()
        latest = self.panel[self.panel["year"] == last].set_index("bps_code")
        self.size = pd.Series({c: size_class(latest.at[c, "pop"], self.table.at[c, "type"])
                               for c in latest.index})
        g = self.panel.sort_values(["bps_code", "year"]).reset_index(drop=True)
        for value, col in (("grdp_idr_bn", "grdp_growth_pct"), ("grdp_pc_idr_k", "grdp_pc_growth_pct"),
                           ("pop", "pop_growth_pct")):
            g[col] = growth.growth_rates(g, value)["growth_pct"].to_numpy()
        self.growth = g
        self.cagr = growth.cagr(self.panel, "grdp_idr_bn", int(self.panel["year"].min()), int(last))
        self.prov_cagr = growth.cagr(self.prov, "grdp_idr_bn", int(self.panel["year"].min()),
                                     int(last), by="prov_bps_code")
        self.cagr_pc = growth.cagr(self.pc, "grdp_pc_idr_k", 2010, int(self.pc["year"].max()))


_CONTEXT: _Context | None = None


def _context() -> _Context:
    global _CONTEXT
    if _CONTEXT is None:
        _CONTEXT = _Context()
    return _CONTEXT


def _resolve(region: str) -> str:
    from cityresearch import regions

    return regions.lookup(region)["bps_code"]


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
        Keys of :data:`SECTIONS`; each a DataFrame or a dict.
    """
    from cityresearch import maps

    ctx = _context()
    code = _resolve(region)
    row = ctx.table.loc[code]
    out = {"identity": {"bps_code": code, **row.drop(labels=["lat", "lng"]).to_dict(),
                        "size_class": int(ctx.size[code])}}
    g = ctx.growth[ctx.growth["bps_code"] == code].drop(columns=["district_type", "corrected"])
    pc = ctx.pc[ctx.pc["bps_code"] == code][["year", "grdp_pc_idr_k"]].rename(
        columns={"grdp_pc_idr_k": "grdp_pc_2024_series_idr_k"})
    out["series"] = g.merge(pc, on="year", how="outer").sort_values("year").reset_index(drop=True)
    sh = ctx.shares[ctx.shares["bps_code"] == code][
        ["year", "grdp_idr_bn", "share_prov_bps_code_pct", "share_national_pct", "rank_national"]]
    prov_rank = ctx.shares[ctx.shares["prov_bps_code"] == row["prov_bps_code"]].assign(
        rank_province=lambda d: d.groupby("year")["grdp_idr_bn"].rank(ascending=False, method="min"))
    sh = sh.merge(prov_rank[prov_rank["bps_code"] == code][["year", "rank_province"]], on="year")
    sh["n_province"] = int((ctx.table["prov_bps_code"] == row["prov_bps_code"]).sum())
    out["shares"] = sh.rename(columns={"share_prov_bps_code_pct": "share_province_pct"}).reset_index(drop=True)
    # comparisons: province, peers, cohort
    start, end = int(ctx.panel["year"].min()), int(ctx.panel["year"].max())
    prov = ctx.prov[ctx.prov["prov_bps_code"] == row["prov_bps_code"]].set_index("year")
    same_size = ctx.size.reindex(ctx.table.index) == ctx.size[code]
    peers = ctx.table.index[((ctx.table["type"] == row["type"]) & same_size).to_numpy()]
    peers = peers.drop(code)
    if code in ctx.cohorts.index:
        cohort_year = int(ctx.cohorts.at[code, "cohort_year"])
        cohort_note = "member"
    else:
        part = ctx.table.loc[ctx.cohorts.index]
        d = np.hypot(part["lat"] - row["lat"], (part["lng"] - row["lng"]) * np.cos(np.radians(row["lat"])))
        nearest = d.idxmin()
        cohort_year = int(ctx.cohorts.at[nearest, "cohort_year"])
        cohort_note = f"never joined; nearest participant {ctx.table.at[nearest, 'name']}"
    cohort = ctx.cohorts.index[ctx.cohorts["cohort_year"] == cohort_year].drop(code, errors="ignore")
    latest = ctx.panel[ctx.panel["year"] == end].set_index("bps_code")

    def summary(label, codes, pc_end, cagr, cagr_pc, n):
        return {"comparison": label, "n_regions": n, f"grdp_pc_{end}_idr_k": pc_end,
                f"grdp_cagr_{start}_{end}_pct": cagr, "grdp_pc_cagr_2010_2024_pct": cagr_pc}

    prov_cagr = ctx.prov_cagr[row["prov_bps_code"]]
    rows = [
        summary(row["name"], [code], latest.at[code, "grdp_pc_idr_k"], ctx.cagr[code],
                ctx.cagr_pc.get(code, np.nan), 1),
        summary(f"province {row['province_34']} (whole)", None, prov.at[end, "grdp_pc_idr_k"],
                prov_cagr, np.nan, int(prov.at[end, "n_kabkota"])),
        summary(f"peers: {row['type']}, size class {int(ctx.size[code])} (median)", peers,
                latest.loc[peers, "grdp_pc_idr_k"].median(), ctx.cagr[peers].median(),
                ctx.cagr_pc.reindex(peers).median(), len(peers)),
        summary(f"smart-city cohort {cohort_year} (median; {cohort_note})", cohort,
                latest.loc[cohort, "grdp_pc_idr_k"].median(), ctx.cagr[cohort].median(),
                ctx.cagr_pc.reindex(cohort).median(), len(cohort)),
    ]
    out["comparison"] = pd.DataFrame(rows)
    out["comparison"].attrs["peers"] = list(peers)
    sc = []
    for d, cls in ctx.classes.items():
        sc.append({"definition": d, "class": cls.at[code, "class"],
                   "pop": cls.at[code, "pop"], "in_band": bool(cls.at[code, "in_band"])})
    out["secondary_city"] = pd.DataFrame(sc)
    sq = ctx.service[ctx.service["bps_code"] == code][
        ["year", "measure", "method", "score", "zone", "conflict", "year_uncertain", "source_url",
         "source_date"]].sort_values(["year", "measure"]).reset_index(drop=True)
    out["service_quality"] = sq
    tl = [{"date": date, "event": text, "this_region": code in ctx.cohorts.index and
           int(ctx.cohorts.at[code, "cohort_year"]) == y} for y, date, text in PROGRAMME_EVENTS]
    if code in ctx.cohorts.index:
        tl.append({"date": str(int(ctx.cohorts.at[code, "cohort_year"])),
                   "event": f"{row['name']} signs the MoU (source: {ctx.cohorts.at[code, 'source_url']})",
                   "this_region": True})
    for r in sq.itertuples():
        tl.append({"date": str(r.year), "event": f"{r.measure}: {r.score if pd.notna(r.score) else ''}"
                   f" {r.zone if isinstance(r.zone, str) else ''}".strip(), "this_region": True})
    out["timeline"] = pd.DataFrame(tl).sort_values("date", kind="stable").reset_index(drop=True)
    claims = []
    for c in CLAIMS.get(code, []):
        if c["measure"] == "grdp_growth_pct":
            val = g.set_index("year")["grdp_growth_pct"].get(c["year"], np.nan)
            claims.append({**c, "data_value": round(float(val), 2),
                           "difference_pp": round(float(val) - c["value"], 2),
                           "status": "checked against GRDP at constant 2010 prices (QuaRCS/BPS)"})
        else:
            claims.append({**c, "data_value": np.nan, "difference_pp": np.nan,
                           "status": "no regency-level data in the toolkit; not checked"})
    out["claims"] = pd.DataFrame(claims, columns=["label", "year", "value", "data_value",
                                                  "difference_pp", "status", "source", "measure"])
    out["format"] = maps.format_number
    return out


_T = {
    "en": {
        "intro": "{name} ({type_word}, BPS {bps}, Kemendagri {kem}) is in {province} province "
                 "({island}). In {end} it had {pop} inhabitants and a GRDP of IDR {grdp} billion "
                 "at constant 2010 prices, IDR {pc} thousand per person.",
        "growth": "Its GRDP grew {cagr}% a year from {start} to {end} (peers: {peer}%; its province: {prov}%).",
        "share": "It produced {sp}% of its province's GRDP (rank {rp} of {np}) and {sn}% of Indonesia's (rank {rn} of 514).",
        "cohort_member": "It signed the Gerakan Menuju 100 Smart City MoU in {year}.",
        "cohort_none": "It did not join Gerakan Menuju 100 Smart City; the comparison uses the {year} cohort of its nearest participant.",
        "secondary": "Secondary-city class: {classes}.",
        "service_none": "No published Ombudsman or SPBE figure was found for it.",
        "service": "Published service-quality figures: {n} ({years}); sources are listed below.",
        "claim_ok": "Reported {label} {year}: {value}%; the GRDP series gives {data}% (difference {diff} points).",
        "claim_none": "Reported {label}: {value}%; the toolkit has no regency-level data to check it.",
        "kabupaten": "kabupaten (regency)", "kota": "kota (city)",
    },
    "id": {
        "intro": "{name} ({type_word}, kode BPS {bps}, Kemendagri {kem}) terletak di provinsi {province} "
                 "({island}). Pada {end} penduduknya {pop} jiwa dan PDRB-nya Rp {grdp} miliar "
                 "atas dasar harga konstan 2010, atau Rp {pc} ribu per orang.",
        "growth": "PDRB-nya tumbuh {cagr}% per tahun dari {start} hingga {end} (daerah sebanding: {peer}%; provinsinya: {prov}%).",
        "share": "Daerah ini menghasilkan {sp}% PDRB provinsinya (peringkat {rp} dari {np}) dan {sn}% PDB Indonesia (peringkat {rn} dari 514).",
        "cohort_member": "Daerah ini menandatangani MoU Gerakan Menuju 100 Smart City pada {year}.",
        "cohort_none": "Daerah ini tidak mengikuti Gerakan Menuju 100 Smart City; perbandingan memakai kohort {year} dari peserta terdekat.",
        "secondary": "Kelas kota sekunder: {classes}.",
        "service_none": "Tidak ditemukan angka Ombudsman atau SPBE yang dipublikasikan untuk daerah ini.",
        "service": "Angka kualitas pelayanan yang dipublikasikan: {n} ({years}); sumbernya tercantum di bawah.",
        "claim_ok": "{label} {year} yang dilaporkan: {value}%; deret PDRB menghasilkan {data}% (selisih {diff} poin).",
        "claim_none": "{label} yang dilaporkan: {value}%; toolkit tidak memiliki data tingkat kabupaten untuk memeriksanya.",
        "kabupaten": "kabupaten", "kota": "kota",
    },
}
_LABEL_ID = {"economic growth": "Pertumbuhan ekonomi", "inflation": "Inflasi",
             "ICT-sector growth": "Pertumbuhan sektor TIK"}


def narrative(sections: dict, *, lang: str = "en") -> list[str]:
    """The profile's text, one paragraph per item, in ``"en"`` or ``"id"``."""
    if lang not in _T:
        raise ValidationError(f"lang must be 'en' or 'id', not {lang!r}")
    t, f = _T[lang], sections["format"]
    ident, series, shares, comp = (sections[k] for k in ("identity", "series", "shares", "comparison"))

    def num(x, d=0):
        return f(x, lang=lang, decimals=d) if pd.notna(x) else "–"

    last = series.dropna(subset=["grdp_idr_bn"]).iloc[-1]
    start = int(series.dropna(subset=["grdp_idr_bn"])["year"].iloc[0])
    end = int(last["year"])
    sh = shares[shares["year"] == end].iloc[0]
    cagr_col = f"grdp_cagr_{start}_{end}_pct"
    paras = [
        t["intro"].format(name=ident["name"], type_word=t[ident["type"]], bps=ident["bps_code"],
                          kem=ident["kemendagri_code"], province=ident["province"],
                          island=ident["island_group"], end=end, pop=num(last["pop"]),
                          grdp=num(last["grdp_idr_bn"]), pc=num(last["grdp_pc_idr_k"])),
        t["growth"].format(cagr=num(comp.at[0, cagr_col], 2), start=start, end=end,
                           peer=num(comp.at[2, cagr_col], 2), prov=num(comp.at[1, cagr_col], 2)),
        t["share"].format(sp=num(sh["share_province_pct"], 2), rp=int(sh["rank_province"]),
                          np=int(sh["n_province"]), sn=num(sh["share_national_pct"], 3),
                          rn=int(sh["rank_national"])),
    ]
    tl = sections["timeline"]
    own = [r for r in tl.itertuples() if r.this_region and "MoU" in r.event]
    cohort_label = comp.at[3, "comparison"]
    year = cohort_label.split()[2]
    paras.append(t["cohort_member"].format(year=year) if own else t["cohort_none"].format(year=year))
    sc = sections["secondary_city"]
    paras.append(t["secondary"].format(classes="; ".join(f"{r.definition} → {r._2}" for r in sc.itertuples())))
    sq = sections["service_quality"]
    paras.append(t["service"].format(n=len(sq), years=", ".join(map(str, sorted(sq["year"].unique()))))
                 if len(sq) else t["service_none"])
    for c in sections["claims"].itertuples():
        label = _LABEL_ID.get(c.label, c.label) if lang == "id" else c.label
        if pd.notna(c.data_value):
            paras.append(t["claim_ok"].format(label=label, year=int(c.year), value=num(c.value, 2),
                                              data=num(c.data_value, 2), diff=num(c.difference_pp, 2)))
        else:
            paras.append(t["claim_none"].format(label=label, value=num(c.value, 2)))
    return paras


def profile_map(region: str, *, lang: str = "en"):
    """The region highlighted in its province (zoom, full detail) with a locator
    inset of Indonesia. Returns a :class:`cityresearch.maps.Map`."""
    from cityresearch import maps

    return maps.region_map(region, lang=lang)


HEADINGS = {
    "en": {"map": "Where it is", "summary": "Summary", "series": "Population and GRDP over time",
           "shares": "Share of provincial and national GRDP", "comparison": "Comparisons",
           "secondary_city": "Secondary-city class under each definition",
           "service_quality": "Service quality as published (with sources)",
           "timeline": "Programme timeline", "claims": "Official figures checked against the data",
           "sources": "Sources"},
    "id": {"map": "Lokasi", "summary": "Ringkasan", "series": "Penduduk dan PDRB dari waktu ke waktu",
           "shares": "Pangsa terhadap PDRB provinsi dan nasional", "comparison": "Perbandingan",
           "secondary_city": "Kelas kota sekunder menurut tiap definisi",
           "service_quality": "Kualitas pelayanan yang dipublikasikan (dengan sumber)",
           "timeline": "Linimasa program", "claims": "Angka resmi dibandingkan dengan data",
           "sources": "Sumber"},
}


def heading(key: str, lang: str = "en") -> str:
    """A section heading of the profile in the chosen language (Markdown)."""
    if lang not in HEADINGS:
        raise ValidationError(f"lang must be 'en' or 'id', not {lang!r}")
    return f"## {HEADINGS[lang][key]}"


def sources_text(lang: str = "en") -> str:
    """Data sources and licences of the profile, as a Markdown list."""
    from cityresearch import data

    intro = {"en": "Data:", "id": "Data:"}[lang]
    items = [f"- {s.citation} ({s.license})" for s in data.sources(
        ["grdp", "grdp_pc", "boundaries", "codes"]).itertuples()]
    items.append({"en": "- Smart-city cohorts and service-quality figures: curated from the news "
                        "and Ombudsman pages named per row in the repository's data/ folder.",
                  "id": "- Kohort smart city dan angka kualitas pelayanan: dihimpun dari berita dan "
                        "laman Ombudsman yang disebut per baris di folder data/ repositori."}[lang])
    return "\n".join([intro, *items])
