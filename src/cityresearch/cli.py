"""Command line of cityresearch.

``cityresearch data fetch``   download (or copy from the mirror) and verify every file
``cityresearch data status``  what is cached, verified or missing, with licences
``cityresearch check``        load every dataset and print a summary
``cityresearch report``       execute every notebook, write the HTML report under reports/
``cityresearch run NB -p name value``  one notebook with parameters, into reports/runs/
``cityresearch profile REGION [--lang id|en]``  a region's profile, into reports/profiles/
"""

from __future__ import annotations

import argparse
import sys


def _data_fetch(args) -> int:
    from cityresearch import data, settings

    paths = data.fetch_all(progressbar=not args.quiet)
    print(f"{len(paths)} files verified (cache: {settings.get_cache_folder()})")
    return 0


def _data_status(args) -> int:  # noqa: ARG001
    from cityresearch import data, settings

    st = data.status()
    print(f"cache: {settings.get_cache_folder()}")
    mirror = settings.get_data_mirror()
    print(
        f"mirror: {mirror if mirror else '(none; downloads from ' + settings.get_base_url() + ')'}"
    )
    by_source = (
        st.groupby(["kind", "repo", "license"])
        .agg(
            files=("path", "size"),
            cached=("cached", "sum"),
            verified=("verified", "sum"),
            mib=("bytes", lambda b: round(b.sum() / 2**20, 2)),
        )
        .reset_index()
    )
    print(by_source.to_string(index=False))
    missing = st[~st["verified"]]
    if len(missing):
        print(f"\n{len(missing)} files missing or unverified; run `cityresearch data fetch`:")
        for r in missing.head(10).itertuples():
            print(f"  {r.repo}/{r.path} ({r.kind}, {r.license})")
        if len(missing) > 10:
            print(f"  ... and {len(missing) - 10} more")
    return 0


def _dataset_line(name: str, loaded: object) -> str:
    """One line about a loaded dataset: rows, regions, years (or files)."""
    import pandas as pd

    if not isinstance(loaded, pd.DataFrame):
        n = len(loaded)  # type: ignore[arg-type]
        return f"{name}: {n} file{'s' if n != 1 else ''}, verified"
    parts = [f"{len(loaded):,} rows"]
    for unit in ("bps_code", "prov_bps_code", "kemendagri_code", "wb_code"):
        if unit in loaded.columns:
            parts.append(f"{loaded[unit].nunique()} {unit}")
            break
    year = loaded["year"] if "year" in loaded.columns else None
    if year is not None and pd.api.types.is_numeric_dtype(year) and year.notna().any():
        parts.append(f"years {loaded['year'].min()}-{loaded['year'].max()}")
    return f"{name}: " + ", ".join(parts)


def _check(args) -> int:  # noqa: ARG001
    """Load every dataset of the specs and print one line each, after the registry check."""
    from cityresearch import data, regions

    reg = regions.region_table()
    prov = regions.province_table()
    print(
        f"regions: {len(reg)} kabupaten/kota ({(reg['type'] == 'kota').sum()} kota), "
        f"{len(prov)} provinces; unmatched across codes/boundaries: "
        f"{len(regions.unmatched_regions())}"
    )
    kab = data.load_boundaries("kabkota")
    pv = data.load_boundaries("provinsi")
    print(
        f"boundaries: {len(kab)} kab/kota shapes ({kab.geometry.isna().sum()} missing, "
        f"{(~kab.geometry.is_valid).sum()} invalid), {len(pv)} provinces, "
        f"CRS {kab.crs.to_string() if kab.crs is not None else 'not set'}"
    )
    print("\ndatasets (from the specs; data.datasets() lists them):")
    for name in data.datasets()["name"]:
        print(f"  {_dataset_line(name, data.load(name))}")
    print("\nsources:")
    for s in data.sources().itertuples():
        print(f"  {s.kind}: {s.citation} [{s.license}]")
    return 0


def _report(args) -> int:
    """The main job: execute every notebook and write the HTML report."""
    from cityresearch import report

    index = report.build_report(args.notebooks, args.out, progressbar=not args.quiet)
    print(f"report written: {index}")
    return 0


def _run(args) -> int:
    from cityresearch import report

    params = dict(args.parameter or [])
    html_path = report.run_notebook(args.notebook, params, out=args.out)
    print(f"executed copy and HTML written: {html_path}")
    return 0


def _profile(args) -> int:
    from cityresearch import regions, report
    from cityresearch._errors import AmbiguousRegionError

    try:
        row = regions.lookup(args.region)
    except AmbiguousRegionError as exc:
        raise AmbiguousRegionError(
            f"{exc} On the command line, give the full name (e.g. 'Kabupaten Blitar') or a "
            f"code ({', '.join(exc.candidates)}).",
            exc.candidates,
        ) from None
    html_path = report.run_notebook(
        args.notebook,
        {"REGION": row["bps_code"], "LANG": args.lang},
        out=args.out,
        subdir="profiles",
        stem=f"profile-{row['bps_code']}-{args.lang}",
    )
    print(f"profile of {row['name']} ({row['bps_code']}) written: {html_path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cityresearch", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("data", help="get and inspect the external data")
    dsub = d.add_subparsers(dest="data_command", required=True)
    f = dsub.add_parser("fetch", help="download/copy and verify every registered file")
    f.add_argument("--quiet", action="store_true", help="no progress bar")
    f.set_defaults(func=_data_fetch)
    dsub.add_parser("status", help="cached, verified, missing files with licences").set_defaults(
        func=_data_status
    )
    sub.add_parser("check", help="load every dataset and print a summary").set_defaults(func=_check)
    r = sub.add_parser("report", help="execute every notebook and write the HTML report")
    r.add_argument(
        "--notebooks", default="notebooks", help="folder of notebooks (default notebooks)"
    )
    r.add_argument("--out", default="reports", help="output folder (default reports)")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=_report)
    run = sub.add_parser("run", help="execute one notebook with parameters into reports/runs/")
    run.add_argument("notebook")
    run.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="a parameter of the notebook's 'parameters' cell (repeatable)",
    )
    run.add_argument("--out", default="reports")
    run.set_defaults(func=_run)
    pr = sub.add_parser(
        "profile", help="profile of one kabupaten/kota as HTML in reports/profiles/"
    )
    pr.add_argument("region", help="BPS code, Kemendagri code or an unambiguous name")
    pr.add_argument("--lang", choices=["id", "en"], default="en")
    pr.add_argument("--notebook", default="notebooks/05_region_profile.ipynb")
    pr.add_argument("--out", default="reports")
    pr.set_defaults(func=_profile)
    return parser


def main(argv: list[str] | None = None) -> int:
    from cityresearch._errors import CityResearchError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CityResearchError as exc:
        print(f"cityresearch: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "cityresearch: interrupted; nothing half-written was left (an earlier report or "
            "run is unchanged)",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    sys.exit(main())
