"""A work center's time as HTML, without the ORM: a horizontal bar of ``services.oee_timeline``
segments (running, slowed down, micro-stops, stopped with no output, down with its reason,
planned stops, stopped without a reason, nothing scheduled, outside the working calendar), hour
or day ticks, a legend with each state's minutes and the list of segments, in the plant's time.

Odoo 11 community has no gantt view; ``mes.workcenter.timeline`` shows this in a computed Html
field, with the segments, the reasons' names and the plant's clock it reads from the database."""
from datetime import timedelta
from html import escape

STATES = [  # (state, label, colour), as services.oee_timeline classifies them
    ('running', 'Running', '#28a745'),
    ('slow', 'Running slow', '#8fd19e'),
    ('micro', 'Micro-stop', '#ffc107'),
    ('stop', 'No output, no reason', '#b02a37'),
    ('down', 'Down', '#dc3545'),
    ('idle', 'Stopped, no reason', '#fd7e14'),
    ('planned', 'Planned stop', '#17a2b8'),
    ('overtime', 'Running outside planned time', '#6f42c1'),
    ('unscheduled', 'Nothing scheduled', '#f8f9fa'),
    ('closed', 'Outside working time', '#e9ecef'),
    ('future', 'Not yet', '#ffffff'),
]
LABELS = {state: label for state, label, _colour in STATES}
COLOURS = {state: colour for state, _label, colour in STATES}
MAX_TICKS = 26      # more than this (a week in hours): every other one, they would run together


def render(parts, reasons, start, end, local, zone):
    """The bar, ticks, legend, totals and rows of ``parts`` ([Segment] covering ``start`` to
    ``end``, naive UTC). ``reasons``: {reason id: name}; ``local(moment, fmt)``: a UTC moment as
    the plant's local time in ``fmt`` (strftime); ``zone``: the plant's time zone's name."""
    parts = [(p.state, p.reason, p.start, p.end) for p in parts]
    span = (end - start).total_seconds() or 1.0

    def hm(moment):
        return local(moment, '%H:%M')

    def title(state, reason, s, e):
        text = '%s-%s %s' % (hm(s), hm(e), LABELS[state])
        return text + (': %s' % reasons[reason] if reason else '')

    bar = ''.join(
        '<div title="%s" style="width:%.4f%%;background:%s;height:100%%;%s"></div>' % (
            escape(title(state, reason, s, e)), 100.0 * (e - s).total_seconds() / span, COLOURS[state],
            'border-left:1px solid #fff;' if state in ('down', 'micro', 'stop') else '')
        for state, reason, s, e in parts)
    totals = {}
    for state, _reason, s, e in parts:
        totals[state] = totals.get(state, 0.0) + (e - s).total_seconds() / 60.0
    legend = ' '.join(
        '<span style="margin-right:12px;white-space:nowrap;"><span style="display:inline-block;width:12px;height:12px;'
        'border:1px solid #999;background:%s;"></span> %s: %d min</span>' % (colour, label, round(totals[state]))
        for state, label, colour in STATES if state in totals)
    rows = ''.join(
        '<tr><td>%s</td><td>%s</td><td style="text-align:right">%.0f</td><td>%s</td><td>%s</td></tr>' % (
            local(s, '%a %H:%M'), local(e, '%a %H:%M'), (e - s).total_seconds() / 60.0, LABELS[state],
            escape(reasons.get(reason, '')))
        for state, reason, s, e in parts if state not in ('closed', 'future', 'unscheduled'))
    return (
        '<div class="o_mes_timeline">'
        '<div style="display:flex;height:40px;border:1px solid #999;">%s</div>'
        '<div style="position:relative;height:18px;font-size:11px;color:#555;">%s</div>'
        '<div style="margin:8px 0;">%s</div>'
        '<table class="table table-condensed table-sm o_mes_timeline_rows"><thead><tr><th>From</th><th>To</th>'
        '<th style="text-align:right">Minutes</th><th>State</th><th>Reason</th></tr></thead><tbody>%s</tbody></table>'
        '<p class="text-muted">Times in %s.</p></div>' % (bar, ticks(start, end, local), legend, rows, escape(zone)))


def ticks(start, end, local):
    """Hour ticks (day ticks beyond 36 hours) on the whole hours from ``start`` to ``end``,
    labelled in local time; every other one when there would be more than MAX_TICKS."""
    span = (end - start).total_seconds() or 1.0
    step = timedelta(hours=1) if span <= 36 * 3600 else timedelta(days=1)
    fmt = '%H' if step == timedelta(hours=1) else '%a %d'
    moment = start.replace(minute=0, second=0, microsecond=0)
    marks = []
    while moment <= end:
        if moment >= start:
            left = 100.0 * (moment - start).total_seconds() / span
            marks.append('<span style="position:absolute;left:%.3f%%;border-left:1px solid #999;'
                         'padding-left:2px;">%s</span>' % (left, local(moment, fmt)))
        moment += step
    return ''.join(marks[::2] if len(marks) > MAX_TICKS else marks)
