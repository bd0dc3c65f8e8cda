"""Charts drawn as inline SVG on the server: no script, no other host, readable without JavaScript."""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from scorecards import stats

WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 640, 320, 48, 36, 12, 16


def _x(value: float, top: float) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * (value / top if top else 0)


def _y(share: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - share)


def _axes(x_top: float, x_label: str, y_label: str, x_ticks: list[float], y_top: float = 1,
          y_format=lambda value: f"{value:.0%}") -> list[str]:
    """Axes with the y axis from 0 to y_top (a share by default) and its ticks at quarters of y_top."""
    parts = [f'<line x1="{LEFT}" y1="{_y(0)}" x2="{WIDTH - RIGHT}" y2="{_y(0)}" stroke="#555"/>',
             f'<line x1="{LEFT}" y1="{_y(0)}" x2="{LEFT}" y2="{_y(1)}" stroke="#555"/>']
    for share in (0, 0.25, 0.5, 0.75, 1):
        parts.append(f'<text x="{LEFT - 6}" y="{_y(share) + 4:.1f}" text-anchor="end" font-size="11">{escape(y_format(share * y_top))}</text>')
        parts.append(f'<line x1="{LEFT}" y1="{_y(share):.1f}" x2="{WIDTH - RIGHT}" y2="{_y(share):.1f}" stroke="#ddd"/>')
    for tick in x_ticks:
        parts.append(f'<text x="{_x(tick, x_top):.1f}" y="{_y(0) + 14:.1f}" text-anchor="middle" font-size="11">{tick:g}</text>')
    parts.append(f'<text x="{(LEFT + WIDTH) / 2:.0f}" y="{HEIGHT - 4}" text-anchor="middle" font-size="12">{escape(x_label)}</text>')
    parts.append(f'<text x="12" y="{(TOP + HEIGHT) / 2:.0f}" transform="rotate(-90 12 {(TOP + HEIGHT) / 2:.0f})" '
                 f'text-anchor="middle" font-size="12">{escape(y_label)}</text>')
    return parts


def _ticks(top: float) -> list[float]:
    step = max(1, round(top / 5))
    return [step * i for i in range(0, int(top // step) + 1)]


def _svg(parts: list[str], title: str) -> SafeString:
    return format_html(
        '<svg viewBox="0 0 {} {}" role="img" aria-label="{}" class="chart" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}</svg>",
        WIDTH, HEIGHT, title, title, mark_safe("".join(parts)),
    )


def km_chart(own: list[dict], peer: list[dict], *, title: str, own_label: str, peer_label: str,
             x_label: str, y_label: str) -> SafeString:
    """Share still open by day: the government's step curve (with its 95 % band) against its peers'."""
    last = max([point["day"] for point in own + peer] + [7])
    last = min(last, 365)
    parts = _axes(last, x_label, y_label, _ticks(last))

    def steps(curve: list[dict], key: str) -> str:
        points, previous = [f"{_x(0, last):.1f},{_y(1):.1f}"], 1.0
        for point in curve:
            value = point[key]
            if value is None:
                break
            x = _x(min(point["day"], last), last)
            points += [f"{x:.1f},{_y(previous):.1f}", f"{x:.1f},{_y(value):.1f}"]
            previous = value
        points.append(f"{_x(last, last):.1f},{_y(previous):.1f}")
        return " ".join(points)

    if peer:
        parts.append(f'<polyline points="{steps(peer, "s")}" fill="none" stroke="#999" stroke-width="2" stroke-dasharray="6 4"/>')
    if own:
        for bound in ("low", "high"):
            parts.append(f'<polyline points="{steps(own, bound)}" fill="none" stroke="#7aa6d6" stroke-width="1"/>')
        parts.append(f'<polyline points="{steps(own, "s")}" fill="none" stroke="#1f5fa8" stroke-width="2.5"/>')
    parts.append(f'<line x1="{WIDTH - 190}" y1="{TOP + 10}" x2="{WIDTH - 165}" y2="{TOP + 10}" stroke="#1f5fa8" stroke-width="2.5"/>'
                 f'<text x="{WIDTH - 160}" y="{TOP + 14}" font-size="12">{escape(own_label)}</text>')
    parts.append(f'<line x1="{WIDTH - 190}" y1="{TOP + 28}" x2="{WIDTH - 165}" y2="{TOP + 28}" stroke="#999" stroke-width="2" stroke-dasharray="6 4"/>'
                 f'<text x="{WIDTH - 160}" y="{TOP + 32}" font-size="12">{escape(peer_label)}</text>')
    return _svg(parts, title)


def funnel_chart(points: list[dict], p0: float | None, *, title: str, x_label: str, y_label: str) -> SafeString:
    """Each government's proportion against its number of reports, inside the peer group's funnel."""
    top = max([point["n"] for point in points] + [10])
    parts = _axes(top, x_label, y_label, _ticks(top))
    if p0 is not None:
        parts.append(f'<line x1="{LEFT}" y1="{_y(p0):.1f}" x2="{WIDTH - RIGHT}" y2="{_y(p0):.1f}" stroke="#333"/>')
        sizes = sorted({max(1, round(top * i / 80)) for i in range(1, 81)})
        for low, high, dash in (("lower95", "upper95", "4 3"), ("lower998", "upper998", "1 3")):
            for key in (low, high):
                line = " ".join(f"{_x(n, top):.1f},{_y(stats.funnel_limits(p0, n)[key]):.1f}" for n in sizes)
                parts.append(f'<polyline points="{line}" fill="none" stroke="#c0392b" stroke-dasharray="{dash}"/>')
    for point in points:
        parts.append(format_html(
            '<a href="{}"><circle cx="{}" cy="{}" r="4" fill="{}"><title>{}: {} (n={})</title></circle></a>',
            point["url"], f'{_x(point["n"], top):.1f}', f'{_y(point["value"]):.1f}',
            "#c0392b" if point["position"].startswith("below") else "#1f5fa8" if point["position"].startswith("above") else "#777",
            point["name"], f'{point["value"]:.0%}', point["n"],
        ))
    return _svg(parts, title)


def trend_chart(labels: list[str], values: list[dict | int], *, title: str, y_label: str, kind: str) -> SafeString:
    """One indicator over the quarters: bars for a count; otherwise points with their 95 % interval,
    joined by a line, and a gap where the value is missing."""
    count = len(labels)
    objects = [value if isinstance(value, dict) else {"value": value} for value in values]
    highs = [value.get("high") or value.get("value") or 0 for value in objects]
    if kind == "proportion":
        top, y_format = 1.0, lambda value: f"{value:.0%}"
    else:
        top = max(highs + [1]) * 1.1
        y_format = lambda value: f"{value:,.0f}" if top >= 8 else f"{value:.1f}"  # noqa: E731
    # Quarters sit at the middle of equal slots; the x ticks are drawn as labels below.
    parts = _axes(count, "", y_label, [], y_top=top, y_format=y_format)
    slot = (WIDTH - LEFT - RIGHT) / max(count, 1)
    centres = [LEFT + slot * (i + 0.5) for i in range(count)]
    for centre, label in zip(centres, labels, strict=True):
        parts.append(f'<text x="{centre:.1f}" y="{_y(0) + 14:.1f}" text-anchor="middle" font-size="11">{escape(label)}</text>')
    line: list[str] = []
    for centre, label, value in zip(centres, labels, objects, strict=True):
        v = value.get("value")
        if v is None:
            if len(line) > 1:
                parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#1f5fa8" stroke-width="2"/>')
            line = []
            continue
        tip = f"{label}: {y_format(v) if kind != 'proportion' else f'{v:.1%}'}"
        if kind == "count":
            parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="#7aa6d6"><title>{}</title></rect>',
                                     f"{centre - slot * 0.3:.1f}", f"{_y(v / top):.1f}", f"{slot * 0.6:.1f}",
                                     f"{_y(0) - _y(v / top):.1f}", tip))
            continue
        low, high = value.get("low"), value.get("high")
        # An unbounded end of the interval is drawn to the edge of the chart.
        y_low, y_high = _y((low or 0) / top), _y(min(high / top, 1) if high is not None else 1)
        parts.append(f'<line x1="{centre:.1f}" y1="{y_low:.1f}" x2="{centre:.1f}" y2="{y_high:.1f}" stroke="#7aa6d6" stroke-width="2"/>')
        parts.append(format_html('<circle cx="{}" cy="{}" r="4" fill="#1f5fa8"><title>{}</title></circle>',
                                 f"{centre:.1f}", f"{_y(v / top):.1f}", tip))
        line.append(f"{centre:.1f},{_y(v / top):.1f}")
    if len(line) > 1:
        parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#1f5fa8" stroke-width="2"/>')
    return _svg(parts, title)
