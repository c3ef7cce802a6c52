"""Bar charts drawn on the server as inline SVG: no script, no network, the same in the page and in the PDF.

Made for black-and-white print: every bar carries its figure as text, series are told apart by pattern (solid,
hatched, dotted) and named in a legend, and each chart has a title and description for screen readers. A stacked bar
writes its figures on a line of their own under the bar, where short shares can never overlap. The web page adds a
visually hidden table of the figures for screen readers; the PDF has none, the figures being on the charts."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_W = 230
BAR_X = LABEL_W + 10
BAR_MAX = WIDTH - BAR_X - 60
ROW_H = 26
BAR_H = 18
LINE_H = 14  # a second line of a long label, or the figures under a stacked bar
LABEL_CHARS = 32  # what fits in LABEL_W at 12px in DejaVu Sans
INK = "#1b1b1b"
# Fills that stay distinct when printed in grey: solid dark, diagonal hatch, dots on white.
# (.format() leaves the plain colour alone.)
FILLS = ("#1d3d5c", "url(#{id}-hatch)", "url(#{id}-dots)")
PATTERNS = (
    "<defs>"
    '<pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="#ffffff"/><rect width="2.5" height="6" fill="#1b1b1b"/></pattern>'
    '<pattern id="{id}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
    '<rect width="5" height="5" fill="#ffffff"/><circle cx="2.5" cy="2.5" r="1" fill="#1b1b1b"/></pattern>'
    "</defs>"
)


@dataclass(frozen=True)
class Chart:
    """A chart and the figures it is drawn from (the page prints them as its table)."""

    id: str
    title: str
    caption: str
    series: list[str]  # one name per value in each row
    rows: list[tuple[str, list[float]]]
    unit: str = ""

    @property
    def empty(self) -> bool:
        return not self.rows or not any(any(v for v in values) for _, values in self.rows)

    @property
    def table(self) -> list[tuple[str, list[float], float]]:
        return [(label, values, sum(values)) for label, values in self.rows]

    @property
    def svg(self) -> SafeString:
        """Drawn at its own size; on the page app.css lets it shrink to fit a phone (a style attribute would be
        refused by the Content-Security-Policy, and WeasyPrint stretches an SVG whose height is left to CSS)."""
        return stacked_bars(self) if len(self.series) > 1 else bars(self)


def _fmt(value: float, unit: str = "") -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{text}{unit}"


def _lines(text: str) -> list[str]:
    """A label on one line, or two when long; a third line's worth is cut short with an ellipsis."""
    lines = textwrap.wrap(text, LABEL_CHARS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), LABEL_CHARS, placeholder="…")]
    return lines


def _label(text: str, y: float) -> str:
    return "".join(
        f'<text x="{LABEL_W}" y="{y + i * LINE_H:.1f}" text-anchor="end" font-size="12" fill="{INK}" '
        f'font-family="DejaVu Sans, sans-serif">{escape(line)}</text>'
        for i, line in enumerate(_lines(text))
    )


def _row_height(label: str, extra: int = 0) -> int:
    return max(ROW_H, BAR_H + (len(_lines(label)) - 1) * LINE_H + 8) + extra


def _frame(chart: Chart, height: float, body: str) -> SafeString:
    cid = escape(chart.id)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="{WIDTH}" height="{height:.0f}" role="img" aria-labelledby="{cid}-title {cid}-desc">'
        f'<title id="{cid}-title">{escape(chart.title)}</title><desc id="{cid}-desc">{escape(chart.caption)}</desc>'
        f"{PATTERNS.format(id=cid)}{body}</svg>"
    )


def bars(chart: Chart) -> SafeString:
    """One bar per row, its figure written at its end."""
    top = 8
    peak = max((values[0] for _, values in chart.rows), default=0) or 1
    bottom = top + sum(_row_height(label) for label, _ in chart.rows)
    parts = [f'<line x1="{BAR_X}" y1="{top - 4}" x2="{BAR_X}" y2="{bottom}" stroke="{INK}"/>']
    y = top
    for label, values in chart.rows:
        width = BAR_MAX * values[0] / peak
        parts.append(_label(label, y + BAR_H - 4))
        parts.append(
            f'<rect x="{BAR_X}" y="{y}" width="{width:.1f}" height="{BAR_H}" fill="{FILLS[0].format(id=chart.id)}" '
            f'stroke="{INK}" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{BAR_X + width + 6:.1f}" y="{y + BAR_H - 4}" font-size="12" font-weight="bold" fill="{INK}" '
            f'font-family="DejaVu Sans, sans-serif">{_fmt(values[0], chart.unit)}</text>'
        )
        y += _row_height(label)
    return _frame(chart, bottom + 8, "".join(parts))


def stacked_bars(chart: Chart) -> SafeString:
    """One bar per row split into its series as shares of the row; its total at its end, each share under it."""
    legend_h = 24
    top = legend_h + 8
    parts = []
    x = BAR_X
    for s, name in enumerate(chart.series):
        parts.append(
            f'<rect x="{x}" y="4" width="14" height="14" fill="{FILLS[s % 3].format(id=chart.id)}" '
            f'stroke="{INK}" stroke-width="0.8"/>'
            f'<text x="{x + 19}" y="15" font-size="12" fill="{INK}" font-family="DejaVu Sans, sans-serif">'
            f"{escape(name)}</text>"
        )
        x += 19 + 7.2 * len(name) + 18
    y = float(top)
    for label, values in chart.rows:
        total = sum(values) or 1
        parts.append(_label(label, y + BAR_H - 4))
        left = float(BAR_X)
        for s, value in enumerate(values):
            width = BAR_MAX * value / total
            if width > 0:
                parts.append(
                    f'<rect x="{left:.1f}" y="{y}" width="{width:.1f}" height="{BAR_H}" '
                    f'fill="{FILLS[s % 3].format(id=chart.id)}" stroke="{INK}" stroke-width="0.8"/>'
                )
            left += width
        parts.append(
            f'<text x="{BAR_X + BAR_MAX + 6}" y="{y + BAR_H - 4}" font-size="12" font-weight="bold" fill="{INK}" '
            f'font-family="DejaVu Sans, sans-serif">{_fmt(sum(values))}</text>'
        )
        # Each share in words under the bar, in the legend's order: never squeezed into a sliver of the bar.
        shares = " · ".join(
            f"{name} {_fmt(value)} ({100 * value / total:.0f}%)"
            for name, value in zip(chart.series, values, strict=True)
        )
        parts.append(
            f'<text x="{BAR_X}" y="{y + BAR_H + LINE_H - 2}" font-size="11" fill="{INK}" '
            f'font-family="DejaVu Sans, sans-serif">{escape(shares)}</text>'
        )
        y += _row_height(label, LINE_H)
    return _frame(chart, y + 4, "".join(parts))
