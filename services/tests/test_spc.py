"""Control charts, Western Electric rules and capability (services/spc.py)."""
import pytest

from services import spc

REL = 1e-3

# Four subgroups of n = 3 (A2 = 1.023, D3 = 0, D4 = 2.574, d2 = 1.693):
#   [10, 12, 11] mean 11,      R 2
#   [11, 13, 12] mean 12,      R 2
#   [ 9, 12, 12] mean 11,      R 3
#   [10, 11, 13] mean 11.3333, R 3
# grand mean = (11 + 12 + 11 + 11.3333) / 4 = 11.3333;  R-bar = 10 / 4 = 2.5
# X-bar limits = 11.3333 -+ 1.023 * 2.5 = 8.7758 / 13.8908
# R limits = 0 / 2.574 * 2.5 = 6.435;  sigma = 2.5 / 1.693 = 1.476669
SUBGROUPS = [[10, 12, 11], [11, 13, 12], [9, 12, 12], [10, 11, 13]]

# Individuals: 10, 12, 11, 15, 13 -> moving ranges 2, 1, 4, 2; MR-bar = 9 / 4 = 2.25
# mean = 61 / 5 = 12.2; limits = 12.2 -+ 2.66 * 2.25 = 6.215 / 18.185
# MR UCL = 3.267 * 2.25 = 7.35075; sigma = 2.25 / 1.128 = 1.994681
VALUES = [10, 12, 11, 15, 13]


class TestXbarR:

    def test_limits(self):
        chart = spc.xbar_r_chart(SUBGROUPS)
        assert chart.n == 3
        assert chart.means == pytest.approx([11, 12, 11, 11.333333])
        assert chart.ranges == [2, 2, 3, 3]
        assert chart.xbar.center == pytest.approx(11.333333, rel=REL)
        assert chart.xbar.lcl == pytest.approx(8.7758, rel=REL)
        assert chart.xbar.ucl == pytest.approx(13.8908, rel=REL)
        assert chart.r == pytest.approx((2.5, 0.0, 6.435), rel=REL)
        assert chart.sigma == pytest.approx(1.476669, rel=REL)

    def test_lower_range_limit_from_n_7(self):
        # Ranges 4 and 6 -> R-bar 5; D3 = 0.076, D4 = 1.924 -> 0.38 / 9.62
        # Means 4 and 5 -> grand 4.5; A2 = 0.419 -> 4.5 -+ 2.095 = 2.405 / 6.595
        chart = spc.xbar_r_chart([[2, 3, 4, 4, 4, 5, 6], [2, 4, 5, 5, 5, 6, 8]])
        assert chart.r == pytest.approx((5, 0.38, 9.62), rel=REL)
        assert chart.xbar == pytest.approx((4.5, 2.405, 6.595), rel=REL)

    def test_constants_table_covers_2_to_10(self):
        assert sorted(spc.CONSTANTS) == list(range(2, 11))

    def test_empty(self):
        with pytest.raises(ValueError, match='no subgroups'):
            spc.xbar_r_chart([])

    def test_unequal_sizes(self):
        with pytest.raises(ValueError, match='same size'):
            spc.xbar_r_chart([[1, 2, 3], [1, 2]])

    @pytest.mark.parametrize('n', [1, 11])
    def test_size_out_of_range(self, n):
        with pytest.raises(ValueError, match='2 to 10'):
            spc.xbar_r_chart([[1.0] * n, [2.0] * n])


class TestIndividuals:

    def test_limits(self):
        chart = spc.individuals_chart(VALUES)
        assert chart.moving_ranges == [2, 1, 4, 2]
        assert chart.x == pytest.approx((12.2, 6.215, 18.185), rel=REL)
        assert chart.mr == pytest.approx((2.25, 0.0, 7.35075), rel=REL)
        assert chart.sigma == pytest.approx(1.994681, rel=REL)

    def test_limits_are_three_sigma(self):
        chart = spc.individuals_chart(VALUES)
        assert chart.x.ucl - chart.x.center == pytest.approx(3 * chart.sigma, rel=REL)

    @pytest.mark.parametrize('values', [[], [5.0]])
    def test_too_few_values(self, values):
        with pytest.raises(ValueError, match='at least 2'):
            spc.individuals_chart(values)


class TestWesternElectric:
    # Centre 0, sigma 1 throughout, so each value is its own distance in sigmas.

    def check(self, points):
        return spc.western_electric(points, 0.0, 1.0)

    def test_clean_series(self):
        points = [0.5, -0.5, 0.3, -0.2, 1.2, -1.1, 0.4, -0.6, 0.8, -0.9, 2.5, -2.9]
        assert self.check(points) == []

    def test_rule_1(self):
        assert self.check([0, 0.5, -3.5, 0.2]) == [(1, 2, 'below')]

    def test_rule_1_exactly_on_the_limit_does_not_fire(self):
        assert self.check([0, 3.0, -3.0, 0]) == []

    def test_rule_2(self):
        # Window 1..3 = 2.5, -0.3, 2.1: two of three above 2 sigma, completed at index 3.
        # Index 4 (0.2) is not beyond, so the pattern is not reported again.
        assert self.check([0.1, 2.5, -0.3, 2.1, 0.2]) == [(2, 3, 'above')]

    def test_rule_2_needs_the_same_side(self):
        assert self.check([0.1, 2.5, -2.5, 0.1]) == []

    def test_rule_2_third_point_too_far_back(self):
        # 2.5 at 0 and 2.2 at 3: never two within three consecutive points.
        assert self.check([2.5, 0.1, -0.1, 2.2]) == []

    def test_rule_2_at_the_start_of_the_series(self):
        assert self.check([-2.5, -2.2]) == [(2, 1, 'below')]

    def test_rule_3(self):
        # Beyond 1 sigma above at 1, 2, 4, 5. Window 1..5 holds four of five: fires at 5.
        # At 4 the window 0..4 holds only three; at 6 the point (0) is not beyond.
        assert self.check([0.2, 1.5, 1.2, -0.3, 1.1, 1.8, 0]) == [(3, 5, 'above')]

    def test_rule_3_below(self):
        assert self.check([-1.5, -1.2, -1.3, 0.5, -1.1]) == [(3, 4, 'below')]

    def test_rule_4(self):
        # Indices 1..8 above the centre (all within 1 sigma): eight in a row at 8.
        points = [-0.5, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, -0.1]
        assert self.check(points) == [(4, 8, 'above')]

    def test_rule_4_each_further_point_fires_again(self):
        assert self.check([-0.2] * 9) == [(4, 7, 'below'), (4, 8, 'below')]

    def test_rule_4_broken_by_a_point_on_the_centre(self):
        assert self.check([0.3] * 4 + [0.0] + [0.3] * 4) == []

    def test_several_rules_on_one_point(self):
        # 3.5 completes rule 1 and, with 2.5 before it, rule 2.
        assert self.check([0, 2.5, 3.5]) == [(1, 2, 'above'), (2, 2, 'above')]

    def test_against_a_chart(self):
        # Chart from VALUES: centre 12.2, sigma 1.994681 -> 3 sigma UCL 18.184.
        chart = spc.individuals_chart(VALUES)
        found = spc.western_electric(VALUES + [18.3], chart.x.center, chart.sigma)
        assert found == [(1, 5, 'above')]

    def test_bad_input(self):
        with pytest.raises(ValueError, match='no points'):
            spc.western_electric([], 0, 1)
        with pytest.raises(ValueError, match='sigma'):
            spc.western_electric([1, 2], 0, 0)


def capability_from_subgroups(subgroups, lsl=None, usl=None):
    """Capability with sigma = R-bar / d2 and the grand mean of the subgroups."""
    chart = spc.xbar_r_chart(subgroups)
    return spc.capability(chart.xbar.center, chart.sigma, lsl, usl)


def capability_from_individuals(values, lsl=None, usl=None):
    """Capability with sigma = MR-bar / 1.128 and the mean of the values."""
    chart = spc.individuals_chart(values)
    return spc.capability(chart.x.center, chart.sigma, lsl, usl)


class TestCapability:
    # From SUBGROUPS: mean 11.3333, sigma 1.476669 (3 sigma 4.430007, 6 sigma 8.860014).
    # LSL 8, USL 15: Cp = 7 / 8.860014 = 0.790067
    #   Cpk = min(15 - 11.3333, 11.3333 - 8) / 4.430007 = 3.333333 / 4.430007 = 0.752444

    def test_two_sided_from_subgroups(self):
        cap = capability_from_subgroups(SUBGROUPS, lsl=8, usl=15)
        assert cap.cp == pytest.approx(0.790067, rel=REL)
        assert cap.cpk == pytest.approx(0.752444, rel=REL)
        assert cap.sigma == pytest.approx(1.476669, rel=REL)

    def test_upper_limit_only(self):
        # Cpk = (15 - 11.3333) / 4.430007 = 0.827689
        cap = capability_from_subgroups(SUBGROUPS, usl=15)
        assert cap.cp is None
        assert cap.cpk == pytest.approx(0.827689, rel=REL)

    def test_lower_limit_only(self):
        # Cpk = (11.3333 - 8) / 4.430007 = 0.752444
        cap = capability_from_subgroups(SUBGROUPS, lsl=8)
        assert cap.cp is None
        assert cap.cpk == pytest.approx(0.752444, rel=REL)

    def test_from_individuals(self):
        # mean 12.2, sigma 1.994681; LSL 6, USL 18:
        # Cp = 12 / (6 * 1.994681) = 1.002667
        # Cpk = min(5.8, 6.2) / (3 * 1.994681) = 5.8 / 5.984043 = 0.969244
        cap = capability_from_individuals(VALUES, lsl=6, usl=18)
        assert cap.cp == pytest.approx(1.002667, rel=REL)
        assert cap.cpk == pytest.approx(0.969244, rel=REL)

    def test_mean_outside_the_tolerance_gives_negative_cpk(self):
        # mean 20, sigma 1, LSL 8, USL 15: Cpk = (15 - 20) / 3 = -1.6667; Cp = 7 / 6
        cap = spc.capability(20, 1, lsl=8, usl=15)
        assert cap.cpk == pytest.approx(-1.666667, rel=REL)
        assert cap.cp == pytest.approx(1.166667, rel=REL)

    def test_no_limits(self):
        with pytest.raises(ValueError, match='specification limit'):
            spc.capability(10, 1)

    def test_limits_reversed(self):
        with pytest.raises(ValueError, match='above the lower'):
            spc.capability(10, 1, lsl=12, usl=8)

    def test_no_variation(self):
        with pytest.raises(ValueError, match='sigma must be positive'):
            capability_from_individuals([5, 5, 5], lsl=4, usl=6)


class TestSelectedRunRules:
    def test_only_the_selected_rules_are_checked(self):
        points = [0.5] * 8                                  # eight on one side: rule 4 only
        assert {v.rule for v in spc.western_electric(points, 0.0, 1.0)} == {4}
        assert spc.western_electric(points, 0.0, 1.0, rules=(1, 2, 3)) == []
        assert [v.rule for v in spc.western_electric([3.5], 0.0, 1.0, rules=(1,))] == [1]
        with pytest.raises(ValueError, match='run rules are 1 to 4'):
            spc.western_electric(points, 0.0, 1.0, rules=(5,))


class TestSpreadLabels:
    def test_labels_of_close_lines_are_moved_apart_around_them(self):
        # UCL and USL 2 px apart, CL far below: 12 px labels
        placed = spc.spread_labels([50.0, 52.0, 120.0], 12)
        assert placed[1] - placed[0] == pytest.approx(12)
        assert (placed[0] + placed[1]) / 2 == pytest.approx(51.0)      # centred on the two lines
        assert placed[2] == 120.0

    def test_the_input_order_is_kept_and_nothing_overlaps(self):
        positions = [100.0, 10.0, 100.0, 11.0, 105.0]
        placed = spc.spread_labels(positions, 12)
        ordered = sorted(placed)
        assert all(b - a >= 12 - 1e-9 for a, b in zip(ordered, ordered[1:]))
        assert placed[1] < placed[3] < placed[0] < placed[2] < placed[4]

    def test_the_gap_must_be_positive(self):
        with pytest.raises(ValueError):
            spc.spread_labels([1.0], 0)


class TestHistogram:
    def test_values_fall_in_equal_bins_the_top_edge_in_the_last(self):
        result = spc.histogram([0.0, 0.4, 0.5, 0.99, 1.0, 2.0], 0.0, 1.0, 2)
        assert result.width == 0.5
        assert result.counts == [2, 3]                      # 2.0 is outside

    def test_bins_and_range_are_checked(self):
        with pytest.raises(ValueError):
            spc.histogram([1], 1.0, 1.0, 5)
