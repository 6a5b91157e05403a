"""Chart helpers shared by notebooks and profiles (private; exported by maps).

Integer year ticks, thousands separators in the reader's language, axis
labels with units, provisional years marked, and one axis per scale.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cityresearch._deprecate import keyword_only
from cityresearch._errors import ValidationError
from cityresearch._mapstyle import check_lang, format_number

PROVISIONAL = {"en": "provisional", "id": "sementara"}


class _NumberFormatter:
    """Tick labels with thousands separators and as many decimals as the tick
    spacing needs (0.425 is never shown as 0.43), at least ``decimals``."""

    def __new__(cls, lang, decimals):
        from matplotlib.ticker import Formatter

        class F(Formatter):
            ticks = ()

            def set_locs(self, locs):
                self.ticks = list(locs)

            def __call__(self, x, pos=None):
                locs = np.asarray(self.ticks if len(self.ticks) else [x], dtype=float)
                need = decimals
                for d in range(decimals, 7):
                    if np.allclose(
                        np.round(locs, d), locs, rtol=0, atol=1e-9 * max(1, abs(locs).max())
                    ):
                        need = d
                        break
                return format_number(x, lang=lang, decimals=need)

        return F()


def notebook_setup(dpi: int = 150) -> None:
    """Make a notebook store its figures as PNG at ``dpi`` (default 150).

    Like ``%config InlineBackend.figure_formats = ["png"]`` with
    ``plt.rcParams["figure.dpi"] = dpi``, and stores each figure as a
    256-colour optimised PNG (:func:`figure_png`): a national map at 11
    inches is then 1,650 pixels wide and about 120-150 kB.

    Parameters
    ----------
    dpi : int
        Dots per inch of the stored images, at least 150.

    Raises
    ------
    ValidationError
        ``dpi`` below 150.

    Examples
    --------
    >>> from cityresearch import maps
    >>> maps.notebook_setup()  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    if isinstance(dpi, bool) or not isinstance(dpi, (int, np.integer)) or dpi < 150:
        raise ValidationError(f"dpi must be an integer of at least 150, not {dpi!r}")
    plt.rcParams["figure.dpi"] = dpi
    plt.rcParams["savefig.dpi"] = dpi
    try:
        from IPython import get_ipython
        from matplotlib.figure import Figure
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - outside Jupyter
        return
    set_matplotlib_formats("png")
    ip = get_ipython()
    if ip is not None and hasattr(ip, "display_formatter"):
        ip.display_formatter.formatters["image/png"].for_type(Figure, figure_png)


@keyword_only("dpi")
def figure_png(fig: Any, *, dpi: int | None = None) -> bytes:
    """PNG bytes of a figure as notebooks store it: 256 colours, optimised.

    Maps and charts use few colours; quantising to a 256-colour palette
    keeps them visually unchanged and about a third of the size.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to store.
    dpi : int, optional
        Resolution (dots per inch), by name since 0.2. Default:
        ``rcParams["savefig.dpi"]``.

    Returns
    -------
    bytes
        A PNG file (palette image, at most 256 colours), cut to the drawn
        area (``bbox_inches="tight"``) on a white background.

    Examples
    --------
    >>> import io
    >>> import matplotlib.pyplot as plt
    >>> from PIL import Image
    >>> fig, ax = plt.subplots(figsize=(2, 1))
    >>> _ = ax.bar([0, 1], [1, 2], color=["#E69F00", "#0072B2"])
    >>> im = Image.open(io.BytesIO(figure_png(fig, dpi=150)))
    >>> im.format, im.mode, round(im.info["dpi"][0])
    ('PNG', 'P', 150)
    >>> plt.close(fig)
    """
    import io

    import matplotlib.pyplot as plt
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(
        buf,
        format="png",
        dpi=dpi or plt.rcParams["savefig.dpi"],
        bbox_inches="tight",
        facecolor="white",
    )
    buf.seek(0)
    im = Image.open(buf).convert("RGB")
    out = io.BytesIO()
    dpi = dpi or plt.rcParams["savefig.dpi"]
    im.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, format="png", optimize=True, dpi=(dpi, dpi)
    )
    return out.getvalue()


def year_axis(
    ax, years=None, *, provisional=(), lang: str = "en", which: str = "x", label: bool = True
) -> None:
    """Integer year ticks; provisional years shaded and marked.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes whose year axis is set.
    years : iterable of int, optional
        The years plotted (default: the current axis limits).
    provisional : iterable of int
        Years whose values are provisional: shaded, and their tick labels get
        a ``*`` explained in a note on the axis.
    lang : {"en", "id"}
        Language of the axis label and the provisional note.
    which : {"x", "y"}
        The axis that holds the years.
    label : bool
        Label the axis "Year" / "Tahun".

    Raises
    ------
    ValidationError
        Non-integer years or an unknown ``which``/``lang``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([2016, 2017, 2018, 2019], [5.1, 5.0, 5.2, 5.0])
    >>> year_axis(ax, [2016, 2017, 2018, 2019], provisional=[2018, 2019])
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['2016', '2017', '2018*', '2019*']
    """
    from matplotlib.ticker import FixedLocator, MaxNLocator

    check_lang(lang)
    if which not in ("x", "y"):
        raise ValidationError(f"which must be 'x' or 'y', not {which!r}")
    axis = ax.xaxis if which == "x" else ax.yaxis
    prov = set()
    for y in provisional:
        if float(y) != int(y):
            raise ValidationError(f"provisional years must be integers, not {y!r}")
        prov.add(int(y))
    if years is not None:
        ys = np.asarray(list(years), dtype=float)
        if len(ys) and (np.isnan(ys).any() or (ys != np.round(ys)).any()):
            raise ValidationError(f"years must be integers, e.g. 2019, not {list(years)[:5]}")
        ys = np.unique(ys.astype(int))
        step = max(1, int(np.ceil(len(ys) / 10)))
        ticks = [y for y in ys if (ys[-1] - y) % step == 0]  # the latest year is labelled
        axis.set_major_locator(FixedLocator(ticks))
    else:
        axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(lambda x, _: f"{round(x)}" + ("*" if round(x) in prov else ""))
    if label:
        (ax.set_xlabel if which == "x" else ax.set_ylabel)({"en": "Year", "id": "Tahun"}[lang])
    if prov:
        for y in prov:
            span = ax.axvspan if which == "x" else ax.axhspan
            span(y - 0.5, y + 0.5, color="#d9d9d9", linewidth=0, zorder=0)
        note = f"* {PROVISIONAL[lang]}"
        ax.annotate(
            note,
            xy=(1, 0),
            xycoords="axes fraction",
            xytext=(0, -22),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=7,
            color="#555555",
        )
    # draw the axis so tick labels exist for inspection
    ax.figure.canvas.draw_idle()
    if years is not None:
        ax.figure.canvas.draw()


def value_axis(
    ax, label: str, *, unit: str, lang: str = "en", decimals: int = 0, which: str = "y"
) -> None:
    """Axis label with unit and tick labels with thousands separators.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes whose value axis is set.
    label : str
        What is measured ("GRDP per capita").
    unit : str
        Its unit of measurement ("IDR thousand, constant 2010 prices");
        required. (Here ``unit`` is a unit of measurement, not a region
        column: an axis has no regions.)
    lang : {"en", "id"}
        Thousands separator and decimal mark of the tick labels.
    decimals : int
        Fewest decimals of the tick labels (more when the tick spacing needs
        them: 0.425 is never shown as 0.43).
    which : {"x", "y"}
        The axis that holds the values.

    Raises
    ------
    ValidationError
        An empty unit.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> value_axis(ax, "Population", unit="persons")
    >>> ax.get_ylabel()
    'Population (persons)'
    """
    check_lang(lang)
    if not unit or not str(unit).strip():
        raise ValidationError(f"the {which} axis {label!r} needs a unit (e.g. unit='persons')")
    if which not in ("x", "y"):
        raise ValidationError(f"which must be 'x' or 'y', not {which!r}")
    axis = ax.xaxis if which == "x" else ax.yaxis
    axis.set_major_formatter(_NumberFormatter(lang, decimals))
    (ax.set_xlabel if which == "x" else ax.set_ylabel)(f"{label} ({unit})")


def line_chart(
    data: pd.DataFrame,
    *,
    x: str = "year",
    left: dict,
    left_label: str,
    left_unit: str,
    right: dict | None = None,
    right_label: str | None = None,
    right_unit: str | None = None,
    provisional=(),
    lang: str = "en",
    decimals: int = 0,
    right_decimals: int | None = None,
    title: str | None = None,
    source: str | None = None,
    figsize=(8, 3.6),
):
    """Lines over years, one axis per scale, with units, sources and
    provisional years marked.

    Series on different scales (Williamson about 1.7 and Theil about 0.5) go
    on two labelled axes: ``left`` and ``right``, each a mapping column ->
    legend label.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per ``x`` value.
    x : str
        The year column (integers).
    left, right : dict
        Column -> legend label, for the left and (optional) right axis.
    left_label, left_unit, right_label, right_unit : str
        Axis labels and units (required for each axis used).
    provisional : iterable of int
        Provisional years (shaded and marked ``*``).
    lang : {"en", "id"}
        Language of the labels and number format.
    decimals : int
        Fewest decimals of the left axis's tick labels.
    right_decimals : int, optional
        Fewest decimals of the right axis's tick labels (default ``decimals``).
    title, source : str, optional
        Title; source and licence printed under the chart.
    figsize : tuple of float
        Width and height of the figure (inches).

    Returns
    -------
    (Figure, Axes, Axes or None)
        The figure, the left axis and the right axis.

    Raises
    ------
    ValidationError
        Missing columns, a right axis without label/unit, non-integer years.

    Examples
    --------
    >>> df = pd.DataFrame({"year": [2017, 2018, 2019], "w": [1.70, 1.72, 1.69],
    ...                    "t": [0.51, 0.50, 0.49]})
    >>> fig, ax, ax2 = line_chart(df, left={"w": "Williamson"}, left_label="Williamson index",
    ...                           left_unit="coefficient", right={"t": "Theil"},
    ...                           right_label="Theil index", right_unit="index")
    >>> ax.get_ylabel(), ax2.get_ylabel()
    ('Williamson index (coefficient)', 'Theil index (index)')
    """
    import matplotlib.pyplot as plt

    check_lang(lang)
    if not isinstance(data, pd.DataFrame):
        raise ValidationError("data must be a pandas DataFrame")
    need = [x, *left, *(right or {})]
    missing = [c for c in need if c not in data.columns]
    if missing:
        raise ValidationError(
            f"columns {missing} are not in the data; columns are {list(data.columns)}"
        )
    if right and not (right_label and right_unit):
        raise ValidationError("a right axis needs right_label= and right_unit=")
    d = data.sort_values(x)
    fig, ax = plt.subplots(figsize=figsize)
    colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
    styles = ["-", "--", ":", "-."]
    lines = []
    for i, (col, lab) in enumerate(left.items()):
        lines += ax.plot(
            d[x], d[col], color=colors[i % 6], linestyle="-", marker="o", markersize=2.5, label=lab
        )
    value_axis(ax, left_label, unit=left_unit, lang=lang, decimals=decimals)
    ax2 = None
    if right:
        assert right_label is not None and right_unit is not None  # checked above
        ax2 = ax.twinx()
        for i, (col, lab) in enumerate(right.items()):
            j = len(left) + i
            lines += ax2.plot(
                d[x],
                d[col],
                color=colors[j % 6],
                linestyle=styles[1 + i % 3],
                marker="s",
                markersize=2.5,
                label=f"{lab} ({'right axis' if lang == 'en' else 'sumbu kanan'})",
            )
        value_axis(
            ax2,
            right_label,
            unit=right_unit,
            lang=lang,
            decimals=decimals if right_decimals is None else right_decimals,
        )
    year_axis(ax, d[x], provisional=provisional, lang=lang)
    for a in (ax, ax2):
        if a is not None:
            a.spines["top"].set_visible(False)
    ax.legend(
        lines,
        [str(ln.get_label()) for ln in lines],
        frameon=False,
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(0, -0.2),
        ncol=min(3, len(lines)),
    )
    if title:
        ax.set_title(title, loc="left", fontsize=11)
    fig.tight_layout()
    if source:
        fig.text(0.01, 0.0, source, fontsize=6.5, color="#444444", ha="left", va="top")
    return fig, ax, ax2
