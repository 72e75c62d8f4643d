"""A work center's timeline as HTML (services/timeline_html.py): the bar's pieces in proportion
and colour, hovers and rows in the plant's time with the reasons' names, the legend's minutes,
hour and day ticks."""
import re
from datetime import datetime, timedelta

import pytest

from services import timeline_html
from services.oee_timeline import Segment


def utc(hour, minute=0, day=24):
    return datetime(2026, 11, day, hour, minute)


def amsterdam(moment, fmt):
    """The plant's clock in November (UTC+1)."""
    return (moment + timedelta(hours=1)).strftime(fmt)


def seg(state, start, end, reason=None):
    return Segment(state, reason, start, end, 'plan', None)


BREAKDOWN = 3
PARTS = (seg('closed', utc(0), utc(5)), seg('running', utc(5), utc(6)), seg('down', utc(6), utc(6, 30), BREAKDOWN),
         seg('running', utc(6, 30), utc(12)), seg('idle', utc(12), utc(18)), seg('future', utc(18), utc(0, day=25)))
REASONS = {BREAKDOWN: 'Mechanical <failure> & "jam"'}


def render(parts=PARTS, start=utc(0), end=utc(0, day=25), zone='Europe/Amsterdam'):
    return timeline_html.render(parts, REASONS, start, end, amsterdam, zone)


def pieces(html):
    """[(title, width %, colour, style rest)] of the bar."""
    return [(title, float(width), colour, rest) for title, width, colour, rest in re.findall(
        r'<div title="([^"]*)" style="width:([\d.]+)%;background:(#[0-9a-f]+);height:100%;([^"]*)"></div>', html)]


class TestBar:

    def test_one_piece_a_segment_in_proportion_and_colour(self):
        bar = pieces(render())
        assert [width for _t, width, _c, _r in bar] == pytest.approx([300 / 14.4, 60 / 14.4, 30 / 14.4, 330 / 14.4,
                                                                      360 / 14.4, 360 / 14.4], abs=1e-4)
        assert sum(width for _t, width, _c, _r in bar) == pytest.approx(100)
        assert [colour for _t, _w, colour, _r in bar] == [timeline_html.COLOURS[p.state] for p in PARTS]
        assert timeline_html.COLOURS['down'] == '#dc3545' and timeline_html.COLOURS['running'] == '#28a745'

    def test_hovers_in_the_plants_time_with_the_reason_escaped(self):
        titles = [title for title, _w, _c, _r in pieces(render())]
        assert titles[1] == '06:00-07:00 Running'
        assert titles[2] == '07:00-07:30 Down: Mechanical &lt;failure&gt; &amp; &quot;jam&quot;'

    def test_stops_are_set_apart(self):
        rests = [rest for _t, _w, _c, rest in pieces(render())]
        assert rests == ['', '', 'border-left:1px solid #fff;', '', '', '']

    def test_pauses_and_stops_are_set_apart_slowdowns_not(self):
        parts = [seg('running', utc(6), utc(7)), seg('micro', utc(7), utc(7, 4)), seg('slow', utc(7, 4), utc(8), 5),
                 seg('stop', utc(8), utc(9)), seg('unscheduled', utc(9), utc(10))]
        html = timeline_html.render(parts, {5: 'Slow feed'}, utc(6), utc(10), amsterdam, 'Europe/Amsterdam')
        assert [rest for _t, _w, _c, rest in pieces(html)] == ['', 'border-left:1px solid #fff;', '',
                                                              'border-left:1px solid #fff;', '']
        assert [title for title, _w, _c, _r in pieces(html)][2] == '08:04-09:00 Running slow: Slow feed'
        assert '>Nothing scheduled<' not in html                     # in the legend, not in the rows
        assert 'Nothing scheduled: 60 min' in html

    def test_a_window_of_no_length_draws_no_division_by_zero(self):
        html = render(parts=(), start=utc(6), end=utc(6))
        assert pieces(html) == []


class TestLegendAndRows:

    def test_the_legend_sums_each_states_minutes_in_the_states_order(self):
        legend = re.findall(r'</span> ([^<:]+): (\d+) min</span>', render())
        assert legend == [('Running', '390'), ('Down', '30'), ('Stopped, no reason', '360'),
                          ('Outside working time', '300'), ('Not yet', '360')]

    def test_rows_of_what_happened_with_weekday_and_reason(self):
        rows = re.findall(r'<tr><td>([^<]*)</td><td>([^<]*)</td><td style="text-align:right">(\d+)</td>'
                          r'<td>([^<]*)</td><td>([^<]*)</td></tr>', render())
        assert rows == [('Tue 06:00', 'Tue 07:00', '60', 'Running', ''),
                        ('Tue 07:00', 'Tue 07:30', '30', 'Down', 'Mechanical &lt;failure&gt; &amp; &quot;jam&quot;'),
                        ('Tue 07:30', 'Tue 13:00', '330', 'Running', ''),
                        ('Tue 13:00', 'Tue 19:00', '360', 'Stopped, no reason', '')]   # no closed, no future

    def test_the_time_zone_is_named(self):
        assert '<p class="text-muted">Times in Europe/Amsterdam.</p>' in render()
        assert 'Times in &lt;b&gt;.' in render(zone='<b>')


def tick_marks(html):
    """[(left %, label)] of the ticks."""
    return [(float(left), label) for left, label in
            re.findall(r'<span style="position:absolute;left:([\d.]+)%;[^"]*">([^<]+)</span>', html)]


class TestTicks:

    def test_whole_hours_in_local_time(self):
        marks = tick_marks(timeline_html.ticks(utc(0, 30), utc(6, 30), amsterdam))
        assert [label for _left, label in marks] == ['02', '03', '04', '05', '06', '07']
        assert [left for left, _label in marks] == pytest.approx([100 * (k + 0.5) / 6 for k in range(6)], abs=1e-3)

    def test_a_day_has_every_hour_from_start_to_end(self):
        marks = tick_marks(render())
        assert len(marks) == 25
        assert (marks[0], marks[-1]) == ((0.0, '01'), (100.0, '01'))

    def test_beyond_twenty_six_ticks_every_other_one(self):
        marks = tick_marks(timeline_html.ticks(utc(0), utc(4, day=25), amsterdam))       # 28 h: 29 hours
        assert len(marks) == 15
        assert [label for _left, label in marks[:3]] == ['01', '03', '05']
        assert len(tick_marks(timeline_html.ticks(utc(0), utc(12, day=25), amsterdam))) == 19   # 36 h: still hours

    def test_beyond_a_day_and_a_half_day_ticks(self):
        marks = tick_marks(timeline_html.ticks(utc(23, day=23), utc(23, day=30), amsterdam))
        assert [label for _left, label in marks] == ['Tue 24', 'Wed 25', 'Thu 26', 'Fri 27', 'Sat 28', 'Sun 29',
                                                     'Mon 30', 'Tue 01']
