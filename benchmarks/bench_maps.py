"""National kab/kota choropleth with province outlines and the Java inset,
saved as PNG at 150 dpi, against a plain GeoDataFrame.plot.

    python benchmarks/bench_maps.py

Prints the best-of-N time of ``cityresearch.maps.choropleth`` + ``save``
(target < 1.5 s on a 2-core machine, warm data cache) beside a plain
``GeoDataFrame.plot`` of the full-resolution source boundaries (no outlines,
no inset, no legend) saved the same way, and their ratio (target <= 1.0).
"""

import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def main(repeat: int = 5) -> None:
    from cityresearch import data, maps

    panel = data.load_district_panel()
    d2019 = panel[panel["year"] == 2019]
    kab = data.load_boundaries("kabkota")
    kw = {
        "value_unit": "IDR thousand per person",
        "price_basis": "constant 2010 prices",
        "title": "GRDP per capita 2019",
        "source": "QuaRCS lab (CC BY 4.0)",
    }
    maps.choropleth(d2019, "grdp_pc_idr_k", **kw).save(Path(tempfile.mkdtemp()) / "w.png")
    plt.close("all")  # the map layers are now cached (disk and memory)
    out = Path(tempfile.mkdtemp())
    ours, plain = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        m = maps.choropleth(d2019, "grdp_pc_idr_k", **kw)
        m.save(out / "ours.png", dpi=150)
        ours.append(time.perf_counter() - t0)
        assert m.artists.get("inset") is not None
        plt.close("all")
        t0 = time.perf_counter()
        merged = kab.merge(d2019, on="bps_code")
        ax = merged.plot(column="grdp_pc_idr_k", scheme="quantiles", k=5, figsize=(11, 5.5))
        ax.figure.savefig(out / "plain.png", dpi=150)
        plain.append(time.perf_counter() - t0)
        plt.close("all")
    print(
        f"cityresearch choropleth + province outlines + Java inset, PNG 150 dpi: "
        f"{min(ours):.3f} s (best of {repeat}; target < 1.5 s)"
    )
    print(
        f"plain GeoDataFrame.plot, full-resolution source, no outlines:        {min(plain):.3f} s"
    )
    print(f"ratio ours / plain: {min(ours) / min(plain):.2f} (target <= 1.00)")


if __name__ == "__main__":
    main()
