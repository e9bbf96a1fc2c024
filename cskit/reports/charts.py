"""Charts for the reports: PNG bytes drawn by matplotlib with a CJK font.

No pyplot: a Figure with the Agg canvas per chart, so nothing global is
left behind and no display is needed (cron, CI). Chinese labels need a font
that has the glyphs; matplotlib's own DejaVu has none, and a fresh machine
often has no CJK font either, so the font comes from the ``mplfonts``
package (Noto Sans CJK SC, installed with cskit), else ``cskit/fonts/``,
else a CJK font the system has.
"""
from __future__ import annotations

import importlib.util
import io
from functools import lru_cache
from pathlib import Path

FONT_FILES = ("NotoSansCJKsc-Regular.otf", "SourceHanSansSC-Regular.otf", "SimHei.ttf")
SYSTEM_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
                   "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
                   "Heiti SC", "AR PL UMing CN", "Droid Sans Fallback")

# green → red as money gets older
BUCKET_COLOURS = ("#4c9f70", "#a3c76d", "#f2c14e", "#f08a4b", "#d8572a", "#a4161a", "#6a040f")
ACCENT = "#2f5d8a"
MISSED = "#c0392b"
MET = "#3c8d5a"


def _font_candidates() -> list[Path]:
    paths = []
    spec = importlib.util.find_spec("mplfonts")  # located, not imported
    if spec and spec.submodule_search_locations:
        folder = Path(list(spec.submodule_search_locations)[0]) / "fonts"
        paths += [folder / name for name in FONT_FILES]
    shipped = Path(__file__).resolve().parent.parent / "fonts"
    if shipped.is_dir():
        paths += sorted(p for p in shipped.iterdir() if p.suffix.lower() in {".otf", ".ttf"})
    return [p for p in paths if p.is_file()]


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Family name of a CJK-capable font registered with matplotlib, or None."""
    from matplotlib import font_manager

    for path in _font_candidates():
        try:
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
        except (OSError, RuntimeError, ValueError):
            continue
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in SYSTEM_FAMILIES:
        if family in installed:
            return family
    return None


_warming = None  # the thread importing matplotlib ahead of the first chart


def warm_up() -> None:
    """Import matplotlib and find the CJK font (about a second) on another
    thread while the command reads its tables; the first chart waits for it.
    Called only where a chart will be drawn."""
    global _warming
    import threading

    if _warming is None:
        _warming = threading.Thread(target=_load, name="cskit-charts", daemon=True)
        _warming.start()


def _load() -> None:
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.backends.backend_agg  # noqa: F401 (what savefig draws with)
        import matplotlib.figure  # noqa: F401

        cjk_font()
    except Exception:  # noqa: BLE001 - drawing the chart will meet it again and say so
        pass


def _figure(width: float = 7.0, height: float = 3.2):
    if _warming is not None:
        _warming.join()
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    family = cjk_font()
    rc = {"font.family": [family, "DejaVu Sans"] if family else ["DejaVu Sans"],
          "axes.unicode_minus": False}
    with matplotlib.rc_context(rc):
        figure = Figure(figsize=(width, height), dpi=150)
    return figure, rc


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def _style(axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=8)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)


def _amount(value: float, lang: str) -> str:
    if lang == "zh" and abs(value) >= 10_000:
        return f"{value / 10_000:,.1f}万"
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:,.2f}M"
    if abs(value) >= 10_000:
        return f"{value / 1_000:,.0f}k"
    return f"{value:,.0f}"


def bar_chart(labels: list[str], values: list[float], *, title: str, lang: str,
              colours=None, money: bool = False, ylabel: str = "") -> bytes:
    """Bars with their value written on top (aging buckets, grades)."""
    import matplotlib

    figure, rc = _figure()
    with matplotlib.rc_context(rc):
        axes = figure.add_subplot(1, 1, 1)
        bars = axes.bar(range(len(labels)), values, color=colours or ACCENT, width=0.65)
        axes.set_xticks(range(len(labels)), labels)
        axes.set_title(title, fontsize=11)
        if ylabel:
            axes.set_ylabel(ylabel, fontsize=8)
        _style(axes)
        top = max([v for v in values if v == v] + [0])
        for bar, value in zip(bars, values):
            text = _amount(value, lang) if money else f"{value:,.0f}"
            axes.annotate(text, (bar.get_x() + bar.get_width() / 2, max(value, 0)),
                          xytext=(0, 2), textcoords="offset points", ha="center",
                          va="bottom", fontsize=8)
        axes.set_ylim(0, top * 1.15 if top > 0 else 1)
        if money:
            axes.yaxis.set_major_formatter(lambda v, _: _amount(v, lang))
        else:
            from matplotlib.ticker import MaxNLocator

            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        return _png(figure)


def achievement_chart(labels: list[str], achievement: list[float], met: list,
                      *, title: str, lang: str) -> bytes:
    """KPI against target: horizontal bars of achievement (100% = target)."""
    import matplotlib

    height = max(2.2, 0.38 * len(labels) + 1.0)
    figure, rc = _figure(7.0, height)
    with matplotlib.rc_context(rc):
        axes = figure.add_subplot(1, 1, 1)
        colours = [MET if m is True else MISSED if m is False else "#999999" for m in met]
        positions = list(range(len(labels)))[::-1]
        shown = [min(a, 1.5) * 100 for a in achievement]
        axes.barh(positions, shown, color=colours, height=0.6)
        axes.set_yticks(positions, labels)
        axes.axvline(100, color="#333333", linewidth=1, linestyle="--")
        for pos, value in zip(positions, achievement):
            axes.annotate(f"{value * 100:.0f}%", (min(value, 1.5) * 100, pos), xytext=(3, 0),
                          textcoords="offset points", va="center", fontsize=8)
        axes.set_xlim(0, max(shown + [100]) * 1.15)
        axes.xaxis.set_major_formatter(lambda v, _: f"{v:.0f}%")
        axes.set_title(title, fontsize=11)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.tick_params(labelsize=8)
        return _png(figure)


def stacked_days_chart(days: list[str], series: dict[str, list[int]], *, title: str,
                       lang: str) -> bytes:
    """Activities per day, stacked by kind (visits per day)."""
    import matplotlib

    figure, rc = _figure(7.5, 3.2)
    palette = ("#2f5d8a", "#5fa8d3", "#f2c14e", "#d8572a", "#6a994e", "#8e7dbe", "#999999")
    with matplotlib.rc_context(rc):
        axes = figure.add_subplot(1, 1, 1)
        bottom = [0] * len(days)
        for i, (name, counts) in enumerate(series.items()):
            axes.bar(range(len(days)), counts, bottom=bottom, label=name,
                     color=palette[i % len(palette)], width=0.75)
            bottom = [b + c for b, c in zip(bottom, counts)]
        step = max(1, len(days) // 15)
        axes.set_xticks(range(0, len(days), step), days[::step], rotation=45, ha="right")
        axes.set_title(title, fontsize=11)
        axes.legend(fontsize=7, frameon=False, ncols=min(4, max(1, len(series))))
        _style(axes)
        return _png(figure)
