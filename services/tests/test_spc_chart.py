"""The control chart and the capability histogram as the SPC user sees them (services/spc_chart.py):
the limits' labels, one dot per point at its value, points out of control in red with their rules,
out of specification in orange, the unit escaped, the histogram's bins."""
import re

import pytest

from services.spc_chart import Chart, chart_svg, control_chart, histogram_svg, subgroups

# Five lengths, by hand: mean 10.04; moving ranges 0.2 0.3 0.2 0.1, MR-bar 0.2;
# UCL = 10.04 + 2.66 x 0.2 = 10.572, LCL = 9.508; sigma = 0.2 / 1.128 = 0.177305;
# MR UCL = 3.267 x 0.2 = 0.6534, MR LCL 0.
LENGTHS = [10.0, 10.2, 9.9, 10.1, 10.0]
REL = 1e-4
RED, ORANGE, BLUE = '#c00', '#e67e00', '#336'


def labels(svg):
    """[(y, text)] of the limit labels, top panel first."""
    return [(float(y), text) for y, text in
            re.findall(r'<text class="o_mes_spc_label" x="[\d.]+" y="([\d.]+)">([^<]+)</text>', svg)]


def dots(svg):
    """[(cx, cy, colour)] of the plotted points, top panel first."""
    return [(float(x), float(y), colour) for x, y, colour in
            re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="2.5" fill="([^"]+)"/>', svg)]


def line_y(svg, label):
    """The y of the horizontal line labelled ``label`` (e.g. 'UCL 10.57') in the top panel."""
    lines = re.findall(r'<line x1="\d+" x2="\d+" y1="([\d.]+)" y2="[\d.]+" style="[^"]*"/>'
                       r'<text class="o_mes_spc_label" x="[\d.]+" y="[\d.]+">([^<]+)</text>', svg)
    return next(float(y) for y, text in lines if text.startswith(label))


class TestSubgroups:

    def test_complete_consecutive_subgroups_only(self):
        assert subgroups([1, 2, 3, 4, 5, 6, 7], 3) == [[1, 2, 3], [4, 5, 6]]     # the 7th waits
        assert subgroups([1, 2], 1) == [[1], [2]]
        assert subgroups([1, 2], 3) == []


class TestControlChart:

    def test_one_value_a_group_is_an_individuals_chart(self):
        chart = control_chart(subgroups(LENGTHS, 1))
        assert chart.points == LENGTHS
        assert chart.ranges[0] is None                          # the first point has no moving range
        assert chart.ranges[1:] == pytest.approx([0.2, 0.3, 0.2, 0.1])
        assert (chart.center, chart.lcl, chart.ucl) == pytest.approx((10.04, 9.508, 10.572), rel=REL)
        assert (chart.r_center, chart.r_lcl, chart.r_ucl) == pytest.approx((0.2, 0.0, 0.6534), rel=REL)
        assert chart.sigma == pytest.approx(0.2 / 1.128, rel=REL)

    def test_subgroups_are_an_xbar_r_chart(self):
        # subgroups of 2: means 10.1 10.0 10.1 10.0, grand mean 10.05; ranges 0.2, R-bar 0.2;
        # UCL = 10.05 + 1.880 x 0.2 = 10.426, LCL = 9.674; R UCL = 3.267 x 0.2 = 0.6534
        chart = control_chart(subgroups([10.0, 10.2, 9.9, 10.1, 10.0, 10.2, 10.1, 9.9, 10.3], 2))
        assert chart.points == pytest.approx([10.1, 10.0, 10.1, 10.0])
        assert chart.ranges == pytest.approx([0.2] * 4)
        assert (chart.center, chart.lcl, chart.ucl) == pytest.approx((10.05, 9.674, 10.426), rel=REL)
        assert (chart.r_center, chart.r_ucl) == pytest.approx((0.2, 0.6534), rel=REL)
        assert chart.sigma == pytest.approx(0.2 / 1.128, rel=REL)


class TestChartSvg:

    chart = control_chart(subgroups(LENGTHS, 1))

    def test_both_panels_with_their_limits_in_the_unit(self):
        svg = chart_svg(self.chart, 9.5, 10.5, 'mm')
        assert svg.startswith('<div class="o_mes_spc_chart"><svg ')
        assert '>Individuals<' in svg and '>Moving range<' in svg
        assert [text for _y, text in labels(svg)] == [
            'USL 10.5 mm', 'UCL 10.57 mm', 'CL 10.04 mm', 'LCL 9.508 mm', 'LSL 9.5 mm',
            'UCL 0.6534 mm', 'MR-bar 0.2 mm', 'LCL 0 mm']

    def test_subgroup_panels_are_named_for_their_size(self):
        chart = control_chart(subgroups([10.0, 10.2, 9.9, 10.1, 10.0, 10.2], 2))
        svg = chart_svg(chart, 9.0, 11.0, 'mm', n=2)
        assert '>X-bar (subgroups of 2)<' in svg and '>Range<' in svg
        assert 'R-bar 0.2 mm' in svg and 'MR-bar' not in svg

    def test_every_point_is_drawn_at_its_value(self):
        svg = chart_svg(self.chart, 9.5, 10.5, 'mm')
        top, bottom = dots(svg)[:5], dots(svg)[5:]
        assert len(top) == 5 and len(bottom) == 4              # no dot for the first moving range
        xs = [x for x, _y, _c in top]
        assert xs == sorted(xs) and len(set(xs)) == 5           # left to right in the order recorded
        assert [x for x, _y, _c in bottom] == xs[1:]            # each moving range under its point
        # a higher value is higher on the screen (smaller y); equal values at equal heights
        ys = [y for _x, y, _c in top]
        assert ys[1] < ys[3] < ys[0] == ys[4] < ys[2]           # 10.2 > 10.1 > 10.0 = 10.0 > 9.9
        # the scale is linear: 10.0 lies on the line 40 % of the way from the LCL (9.508) to the CL (10.04)
        cl, lcl = line_y(svg, 'CL '), line_y(svg, 'LCL ')
        assert ys[0] == pytest.approx(lcl + (cl - lcl) * (10.0 - 9.508) / (10.04 - 9.508), abs=0.15)

    def test_in_control_and_in_specification_points_are_plain(self):
        svg = chart_svg(self.chart, 9.5, 10.5, 'mm')
        assert {colour for _x, _y, colour in dots(svg)} == {BLUE}
        assert 'fill="#c00" text-anchor="middle"' not in svg

    def test_points_breaking_a_rule_are_red_with_the_rules_numbers(self):
        svg = chart_svg(self.chart, 9.5, 10.5, 'mm', flagged={3: [5, 1, 5]})
        colours = [colour for _x, _y, colour in dots(svg)[:5]]
        assert colours == [BLUE, BLUE, BLUE, RED, BLUE]
        x, y, _colour = dots(svg)[3]
        assert '<text x="%.1f" y="%.1f" fill="#c00" text-anchor="middle">1,5</text>' % (x, y - 5) in svg

    def test_outside_the_control_limits_is_red_outside_the_specification_orange(self):
        # 10.2 is in control but above a USL of 10.15; 10.6 would be above the UCL (10.572)
        chart = self.chart._replace(points=[10.0, 10.2, 9.9, 10.1, 10.6])
        colours = [colour for _x, _y, colour in dots(chart_svg(chart, 9.5, 10.15, 'mm'))[:5]]
        assert colours == [BLUE, ORANGE, BLUE, BLUE, RED]

    def test_limit_labels_never_overlap(self):
        # the USL (10.57) on the UCL (10.572): labels at least 12 px apart, in each panel
        svg = chart_svg(self.chart, 9.5, 10.57, 'mm')
        found = labels(svg)
        for panel in (found[:5], found[5:]):
            ys = sorted(y for y, _text in panel)
            assert all(b - a >= 12 - 1e-6 for a, b in zip(ys, ys[1:])), panel

    def test_frozen_limits_and_dates_in_the_plants_zone(self):
        svg = chart_svg(self.chart, 9.5, 10.5, 'mm', times=['2026-11-24 08:10', '2026-11-24 08:14'],
                        frozen=True, tz='Europe/Amsterdam')
        assert '>Individuals — frozen limits<' in svg
        assert '>2026-11-24 08:10<' in svg
        assert '>2026-11-24 08:14 (Europe/Amsterdam)<' in svg
        assert 'Europe/Amsterdam' not in chart_svg(self.chart, 9.5, 10.5, 'mm')

    def test_the_unit_and_the_zone_are_escaped(self):
        chart = Chart([1.0, 1.2, 0.9, 1.1], [None, 0.2, 0.3, 0.2], 1.05, 0.5, 1.6, 0.23, 0.0, 0.75, 0.2)
        svg = chart_svg(chart, 0.0, 2.0, '<script>alert(1)</script>mm', times=['a<b', 'c&d'], tz='<Z>')
        assert '<script>' not in svg
        assert '&lt;script&gt;alert(1)&lt;/script&gt;mm' in svg
        assert 'a&lt;b' in svg and 'c&amp;d (&lt;Z&gt;)' in svg

    def test_no_unit_no_trailing_text(self):
        assert 'CL 10.04 <' in chart_svg(self.chart, 9.5, 10.5, False)


class TestHistogramSvg:

    chart = control_chart(subgroups(LENGTHS, 1))

    def test_bins_of_the_values_between_the_limits(self):
        # marks: LSL 9.5, USL 10.5, -3s 9.508, +3s 10.572 -> 9.5 to 10.572, widened 2 % each side:
        # 9.47856 to 10.59344 in 12 bins of 0.0929067: 9.9 in bin 4, 10.0 (twice) in 5, 10.1 in 6, 10.2 in 7
        svg = histogram_svg(LENGTHS, self.chart, 9.5, 10.5, 'mm')
        assert 'Capability: 5 values' in svg
        bars = [(float(x), float(w), float(h)) for x, w, h in
                re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="([\d.]+)"', svg)]
        assert len(bars) == 12
        # the tallest bin (2 values) is 120 px (170 high, less 30 below and 20 above); 1 value half
        assert [h for _x, _w, h in bars] == [0, 0, 0, 0, 60, 120, 60, 60, 0, 0, 0, 0]
        assert all(b[0] == pytest.approx(a[0] + a[1], abs=0.11) for a, b in zip(bars, bars[1:]))   # side by side
        assert '9.479 to 10.59 mm' in svg

    def test_specification_and_natural_spread_marks(self):
        svg = histogram_svg(LENGTHS, self.chart, 9.5, 10.5, 'mm')
        marks = re.findall(r'<text x="[\d.]+" y="\d+" fill="(#[0-9a-f]+)" text-anchor="middle">([^<]+)</text>', svg)
        assert sorted(marks) == sorted([(RED, 'LSL'), (RED, 'USL'), (ORANGE, '-3s'), (ORANGE, '+3s')])
        assert svg.count('stroke-dasharray:5,3') == 2                    # the process's spread, dashed

    def test_nothing_to_draw(self):
        assert histogram_svg([], self.chart, 9.5, 10.5, 'mm') is False
        assert histogram_svg(LENGTHS, self.chart._replace(sigma=0.0), 9.5, 10.5, 'mm') is False

    def test_the_unit_is_escaped(self):
        svg = histogram_svg(LENGTHS, self.chart, 9.5, 10.5, '<b>mm')
        assert '<b>' not in svg and '&lt;b&gt;mm' in svg
