"""Control charts drawn as SVG, without the ORM: the two panels (X-bar or individuals above,
range or moving range below) and the histogram against the specification. The arithmetic is
``services/spc.py``; ``mes.quality.point`` feeds its checks in and shows the result."""
from collections import namedtuple
from html import escape as html_escape

from . import spc

Chart = namedtuple('Chart', 'points ranges center lcl ucl r_center r_lcl r_ucl sigma')


def subgroups(values, n):
    """Consecutive complete subgroups of ``n`` values (n = 1: one value each)."""
    return [values[i:i + n] for i in range(0, len(values) - n + 1, n)]


def control_chart(groups):
    """I-MR for groups of one value, X-bar/R otherwise (services/spc.py does the arithmetic)."""
    if groups and len(groups[0]) == 1:
        c = spc.individuals_chart([g[0] for g in groups])
        return Chart(c.values, [None] + c.moving_ranges, c.x.center, c.x.lcl, c.x.ucl,
                     c.mr.center, c.mr.lcl, c.mr.ucl, c.sigma)
    c = spc.xbar_r_chart(groups)
    return Chart(c.means, c.ranges, c.xbar.center, c.xbar.lcl, c.xbar.ucl,
                 c.r.center, c.r.lcl, c.r.ucl, c.sigma)


LABEL_GAP = 12       # px between two limit labels: the 11 px font does not overlap


def chart_svg(chart, lsl, usl, unit, n=1, times=(), flagged=None, frozen=False, tz='UTC', width=680):
    """Both panels of the chart as one SVG: the values (X-bar or individuals) with centre line,
    control limits (dashed) and specification limits (red) above; the ranges (R or moving range)
    with their limits below. Points breaking a selected run rule in red (the rules' numbers
    beside them), in control but out of specification in orange. Limit labels are spread so
    they never overlap; the first and last points are dated in the plant's time zone."""
    flagged = flagged or {}
    top = _panel(chart.points, [('USL', usl, 'stroke:#c00'), ('UCL', chart.ucl, 'stroke:#e67e00;stroke-dasharray:5,3'),
                                ('CL', chart.center, 'stroke:#2a8a2a'),
                                ('LCL', chart.lcl, 'stroke:#e67e00;stroke-dasharray:5,3'), ('LSL', lsl, 'stroke:#c00')],
                 unit, width, 200, 0, flagged=flagged, spec=(lsl, usl), limits=(chart.lcl, chart.ucl))
    ranges = list(chart.ranges)
    bottom = _panel(ranges, [('UCL', chart.r_ucl, 'stroke:#e67e00;stroke-dasharray:5,3'),
                             ('R-bar' if n > 1 else 'MR-bar', chart.r_center, 'stroke:#2a8a2a'),
                             ('LCL', chart.r_lcl, 'stroke:#e67e00;stroke-dasharray:5,3')],
                    unit, width, 120, 215, limits=(chart.r_lcl, chart.r_ucl))
    titles = ('X-bar (subgroups of %d)' % n if n > 1 else 'Individuals', 'Range' if n > 1 else 'Moving range')
    caption = '%s%s' % (titles[0], ' — frozen limits' if frozen else '')
    dates = ''
    if times:
        dates = ('<text x="10" y="352" fill="#555">%s</text><text x="%d" y="352" fill="#555" text-anchor="end">%s '
                 '(%s)</text>' % (html_escape(times[0]), width - 120, html_escape(times[-1]), html_escape(tz)))
    return ('<div class="o_mes_spc_chart"><svg xmlns="http://www.w3.org/2000/svg" width="%d" height="360" '
            'style="font: 11px sans-serif; background: #fff">'
            '<text x="10" y="10" font-weight="bold">%s</text>%s'
            '<text x="10" y="225" font-weight="bold">%s</text>%s%s</svg></div>'
            % (width, html_escape(caption), top, titles[1], bottom, dates))


def _panel(points, lines, unit, width, height, offset, flagged=None, spec=(None, None), limits=(None, None)):
    """One panel: ``points`` (None = no point, the first moving range) and labelled ``lines``."""
    pad_l, pad_r, pad_y = 10, 120, 16
    values = [p for p in points if p is not None]
    levels = values + [level for _label, level, _style in lines if level is not None]
    low, high = min(levels), max(levels)
    span = (high - low) or 1.0
    low, high = low - span * 0.05, high + span * 0.05
    flagged = flagged or {}

    def x(i):
        return pad_l + (width - pad_l - pad_r) * (i / max(len(points) - 1, 1))

    def y(v):
        return offset + pad_y + (height - 2 * pad_y) * (high - v) / (high - low)

    shown = [(label, level, style) for label, level, style in lines if level is not None]
    label_y = spc.spread_labels([y(level) for _l, level, _s in shown], LABEL_GAP)
    parts = []
    for (label, level, style), text_y in zip(shown, label_y):
        parts.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" style="%s"/>'
                     % (pad_l, width - pad_r, y(level), y(level), style))
        parts.append('<text class="o_mes_spc_label" x="%d" y="%.1f">%s %.4g %s</text>'
                     % (width - pad_r + 4, text_y + 4, label, level, html_escape(unit or '')))
    path = ' '.join('%.1f,%.1f' % (x(i), y(v)) for i, v in enumerate(points) if v is not None)
    parts.append('<polyline points="%s" style="fill:none;stroke:#336;stroke-width:1.2"/>' % path)
    lcl, ucl = limits
    lsl, usl = spec
    for i, v in enumerate(points):
        if v is None:
            continue
        out = i in flagged or (lcl is not None and not lcl <= v <= ucl)
        colour = '#c00' if out else '#e67e00' if lsl is not None and not lsl <= v <= usl else '#336'
        parts.append('<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"/>' % (x(i), y(v), colour))
        if i in flagged:
            parts.append('<text x="%.1f" y="%.1f" fill="#c00" text-anchor="middle">%s</text>'
                         % (x(i), y(v) - 5, ','.join(str(r) for r in sorted(set(flagged[i])))))
    return ''.join(parts)


def histogram_svg(values, chart, lsl, usl, unit, width=680, height=170, bins=12):
    """The values' histogram against the specification limits (red) and the process's
    natural spread, centre +- 3 sigma (dashed), for capability at a glance."""
    if not values or chart.sigma <= 0:
        return False
    marks = [('LSL', lsl, '#c00', ''), ('USL', usl, '#c00', ''),
             ('-3s', chart.center - 3 * chart.sigma, '#e67e00', '5,3'),
             ('+3s', chart.center + 3 * chart.sigma, '#e67e00', '5,3')]
    low = min(values + [m[1] for m in marks])
    high = max(values + [m[1] for m in marks])
    span = (high - low) or 1.0
    low, high = low - span * 0.02, high + span * 0.02
    result = spc.histogram(values, low, high, bins)
    tallest = max(result.counts) or 1
    pad, base = 10, height - 30

    def x(v):
        return pad + (width - 2 * pad) * (v - low) / (high - low)

    parts = ['<div class="o_mes_spc_histogram"><svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             'style="font: 11px sans-serif; background: #fff"><text x="10" y="12" font-weight="bold">'
             'Capability: %d values</text>' % (width, height, len(values))]
    for k, count in enumerate(result.counts):
        left = x(result.low + k * result.width)
        bar = (base - 20) * count / tallest
        parts.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#8aa4c8" stroke="#fff"/>'
                     % (left, base - bar, x(result.low + (k + 1) * result.width) - left, bar))
    label_x = spc.spread_labels([x(m[1]) for m in marks], 36)
    for (label, level, colour, dash), text_x in zip(marks, label_x):
        parts.append('<line x1="%.1f" x2="%.1f" y1="18" y2="%d" style="stroke:%s;stroke-dasharray:%s"/>'
                     % (x(level), x(level), base, colour, dash or 'none'))
        parts.append('<text x="%.1f" y="%d" fill="%s" text-anchor="middle">%s</text>'
                     % (text_x, base + 14, colour, label))
    parts.append('<text x="10" y="%d" fill="#555">%.4g to %.4g %s</text></svg></div>'
                 % (height - 2, low, high, html_escape(unit or '')))
    return ''.join(parts)
