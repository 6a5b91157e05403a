"""Code tables shared by the data layer and the region registry (private, neutral).

Nothing here loads data: these are facts about Indonesian region codes that
both :mod:`cityresearch.data` (parsers) and :mod:`cityresearch.regions` (the
registry) need, kept in one place so that neither imports the other.

BPS code
    The statistics bureau's 4-digit kab/kota code (2 digits province, 2 digits
    region). By BPS convention regions numbered 71 and above within their
    province are kota (cities), below 71 kabupaten (regencies):
    :func:`bps_type`.
Kemendagri code
    The Ministry of Home Affairs code ``NN.NN`` (province ``NN``).
2022 Papua split
    Papua (Kemendagri 91 in 2017) and Papua Barat (92) became six provinces:
    91, 93, 94, 95 and 92, 96 (:data:`PAPUA_SPLIT_2022`). No kab/kota was split.
"""

from __future__ import annotations

#: Island groups by province code (Kemendagri 2025; the 34 BPS province codes
#: are the same numbers outside Papua).
ISLAND_GROUPS: dict[str, tuple[str, ...]] = {
    "Sumatera": ("11", "12", "13", "14", "15", "16", "17", "18", "19", "21"),
    "Jawa": ("31", "32", "33", "34", "35", "36"),
    "Bali-Nusa Tenggara": ("51", "52", "53"),
    "Kalimantan": ("61", "62", "63", "64", "65"),
    "Sulawesi": ("71", "72", "73", "74", "75", "76"),
    "Maluku": ("81", "82"),
    "Papua": ("91", "92", "93", "94", "95", "96"),
}
#: Province code -> island group.
ISLAND_OF: dict[str, str] = {p: g for g, ps in ISLAND_GROUPS.items() for p in ps}

#: Kemendagri 2017 province -> the 2025 provinces its regencies may now be in.
PAPUA_SPLIT_2022: dict[str, tuple[str, ...]] = {"91": ("91", "93", "94", "95"), "92": ("92", "96")}
#: The four provinces created by the 2022 split (Kemendagri 2025 codes).
PROVINCES_NEW_2022: tuple[str, ...] = ("93", "94", "95", "96")

#: English province names (as in QuaRCS and World Bank tables) -> BPS (34-province) code.
PROVINCE_EN: dict[str, str] = {
    "ACEH": "11",
    "NORTH SUMATERA": "12",
    "WEST SUMATERA": "13",
    "RIAU": "14",
    "JAMBI": "15",
    "SOUTH SUMATERA": "16",
    "BENGKULU": "17",
    "LAMPUNG": "18",
    "BANGKA BELITUNG ISLANDS": "19",
    "RIAU ISLANDS": "21",
    "JAKARTA": "31",
    "WEST JAVA": "32",
    "CENTRAL JAVA": "33",
    "YOGYAKARTA": "34",
    "EAST JAVA": "35",
    "BANTEN": "36",
    "BALI": "51",
    "WEST NUSA TENGGARA": "52",
    "EAST NUSA TENGGARA": "53",
    "WEST KALIMANTAN": "61",
    "CENTRAL KALIMANTAN": "62",
    "SOUTH KALIMANTAN": "63",
    "EAST KALIMANTAN": "64",
    "NORTH KALIMANTAN": "65",
    "NORTH SULAWESI": "71",
    "CENTRAL SULAWESI": "72",
    "SOUTH SULAWESI": "73",
    "SOUTHEAST SULAWESI": "74",
    "GORONTALO": "75",
    "WEST SULAWESI": "76",
    "MALUKU": "81",
    "NORTH MALUKU": "82",
    "WEST PAPUA": "91",
    "PAPUA": "94",
}

#: First region number of kota within a province in BPS codes.
KOTA_FROM = 71


def bps_type(code: str) -> str:
    """Return ``"kota"`` or ``"kabupaten"`` for a 4-digit BPS code.

    Parameters
    ----------
    code : str
        A BPS kab/kota code such as ``"3572"``.

    Returns
    -------
    str
        ``"kota"`` when the region number (last two digits) is 71 or more.

    Raises
    ------
    ValueError
        When ``code`` is not four digits.

    Examples
    --------
    >>> bps_type("3572"), bps_type("3505")
    ('kota', 'kabupaten')
    """
    s = str(code)
    if len(s) != 4 or not s.isdigit():
        raise ValueError(f"{code!r} is not a 4-digit BPS code")
    return "kota" if int(s[2:]) >= KOTA_FROM else "kabupaten"
