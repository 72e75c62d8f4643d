"""Statistical process control for measurement points, without the ORM.

X-bar/R charts for subgroups, individuals/moving-range charts, the Western Electric run
rules and the capability indices Cp and Cpk. Sigma is always the short-term ("within")
estimate from ranges, as the control chart uses it, not the overall standard deviation.
"""
from collections import namedtuple

# Shewhart chart constants by subgroup size n: (A2, D3, D4, d2).
CONSTANTS = {
    2: (1.880, 0.0, 3.267, 1.128),
    3: (1.023, 0.0, 2.574, 1.693),
    4: (0.729, 0.0, 2.282, 2.059),
    5: (0.577, 0.0, 2.114, 2.326),
    6: (0.483, 0.0, 2.004, 2.534),
    7: (0.419, 0.076, 1.924, 2.704),
    8: (0.373, 0.136, 1.864, 2.847),
    9: (0.337, 0.184, 1.816, 2.970),
    10: (0.308, 0.223, 1.777, 3.078),
}
# Individuals charts use moving ranges of two points, i.e. the n = 2 constants.
D2_MOVING_RANGE = 1.128     # sigma = MR-bar / d2
E2 = 2.66                   # 3 / d2: individuals limits = X-bar +- E2 * MR-bar
D4_MOVING_RANGE = 3.267

ABOVE, BELOW = 'above', 'below'

Limits = namedtuple('Limits', 'center lcl ucl')
XbarRChart = namedtuple('XbarRChart', 'n means ranges xbar r sigma')
IndividualsChart = namedtuple('IndividualsChart', 'values moving_ranges x mr sigma')
Violation = namedtuple('Violation', 'rule index side')
Capability = namedtuple('Capability', 'cp cpk mean sigma')


def xbar_r_chart(subgroups):
    """X-bar and R chart for equal subgroups of 2 to 10 measurements."""
    n = _subgroup_size(subgroups)
    a2, d3, d4, d2 = CONSTANTS[n]
    means = [sum(group) / n for group in subgroups]
    ranges = [max(group) - min(group) for group in subgroups]
    grand_mean = sum(means) / len(means)
    r_bar = sum(ranges) / len(ranges)
    return XbarRChart(
        n=n,
        means=means,
        ranges=ranges,
        xbar=Limits(grand_mean, grand_mean - a2 * r_bar, grand_mean + a2 * r_bar),
        r=Limits(r_bar, d3 * r_bar, d4 * r_bar),
        sigma=r_bar / d2,
    )


def individuals_chart(values):
    """Individuals and moving-range (I-MR) chart, moving ranges of two consecutive values."""
    values = list(values)
    if len(values) < 2:
        raise ValueError('an individuals chart needs at least 2 values, got %d' % len(values))
    moving_ranges = [abs(b - a) for a, b in zip(values, values[1:])]
    mean = sum(values) / len(values)
    mr_bar = sum(moving_ranges) / len(moving_ranges)
    return IndividualsChart(
        values=values,
        moving_ranges=moving_ranges,
        x=Limits(mean, mean - E2 * mr_bar, mean + E2 * mr_bar),
        mr=Limits(mr_bar, 0.0, D4_MOVING_RANGE * mr_bar),
        sigma=mr_bar / D2_MOVING_RANGE,
    )


def _subgroup_size(subgroups):
    if not subgroups:
        raise ValueError('no subgroups given')
    sizes = {len(group) for group in subgroups}
    if len(sizes) > 1:
        raise ValueError('subgroups must all have the same size, got sizes %s'
                         % sorted(sizes))
    n = sizes.pop()
    if n not in CONSTANTS:
        raise ValueError('subgroup size must be 2 to 10, got %d' % n)
    return n


# -- Western Electric rules --------------------------------------------------------------------
# (rule, points in the window, how many must be beyond, distance in sigmas; 0 = centre side)
_RULES = (
    (1, 1, 1, 3),
    (2, 3, 2, 2),
    (3, 5, 4, 1),
    (4, 8, 8, 0),
)


RULE_NUMBERS = tuple(rule for rule, *_rest in _RULES)


def western_electric(points, center, sigma, rules=RULE_NUMBERS):
    """Violations of the Western Electric ``rules`` (default: all four), as (rule, index,
    side) sorted by index.

    1: one point beyond 3 sigma; 2: two of three consecutive beyond 2 sigma on one side;
    3: four of five beyond 1 sigma on one side; 4: eight consecutive on one side of centre.
    "Beyond" is strict: a point exactly on a limit does not count. A pattern is reported at
    the point that completes it, and that point must itself be one of its points, so a
    pattern is not reported again by the harmless points after it; each further point that
    extends it is reported again, as chart software marks it. Near the start of a series a
    shorter window is used: two points in a row beyond 2 sigma already break rule 2.
    """
    points = list(points)
    if not points:
        raise ValueError('no points to check')
    if sigma is None or sigma <= 0:
        raise ValueError('sigma must be positive, got %r' % (sigma,))
    unknown = set(rules) - set(RULE_NUMBERS)
    if unknown:
        raise ValueError('run rules are 1 to 4, got %s' % sorted(unknown))
    # Signed distance from the centre in sigmas.
    z = [(x - center) / sigma for x in points]
    violations = []
    for index in range(len(z)):
        for rule, window, needed, limit in _RULES:
            if rule not in rules:
                continue
            recent = z[max(0, index - window + 1):index + 1]
            for side, sign in ((ABOVE, 1), (BELOW, -1)):
                if sign * z[index] <= limit:
                    continue
                beyond = sum(1 for value in recent if sign * value > limit)
                if beyond >= needed:
                    violations.append(Violation(rule, index, side))
    return violations


# -- capability --------------------------------------------------------------------------------

def capability(mean, sigma, lsl=None, usl=None):
    """Cp = (USL - LSL) / 6 sigma; Cpk = min(USL - mean, mean - LSL) / 3 sigma.

    With one specification limit only, Cpk comes from that side and Cp is None (there is no
    tolerance width to compare the spread with)."""
    if lsl is None and usl is None:
        raise ValueError('at least one specification limit is needed')
    if lsl is not None and usl is not None and usl <= lsl:
        raise ValueError('upper specification limit must be above the lower one')
    if sigma is None or sigma <= 0:
        raise ValueError('sigma must be positive to compute capability, got %r' % (sigma,))
    sides = []
    if usl is not None:
        sides.append((usl - mean) / (3 * sigma))
    if lsl is not None:
        sides.append((mean - lsl) / (3 * sigma))
    cp = (usl - lsl) / (6 * sigma) if lsl is not None and usl is not None else None
    return Capability(cp=cp, cpk=min(sides), mean=mean, sigma=sigma)


# -- drawing aids ------------------------------------------------------------------------------

def spread_labels(positions, gap):
    """Label positions (screen y, growing downwards) moved apart so that no two are closer than
    ``gap``, each as near its line as it can be; the order of the input is kept in the output.
    Lines that coincide (a control limit on a specification limit) get labels one under the
    other instead of on top of each other."""
    if gap <= 0:
        raise ValueError('the gap between labels must be positive')
    order = sorted(range(len(positions)), key=lambda i: (positions[i], i))
    placed = [positions[i] for i in order]
    for k in range(1, len(placed)):                       # push down where too close
        placed[k] = max(placed[k], placed[k - 1] + gap)
    # centre each cluster that was pushed on the lines it labels
    k = 0
    while k < len(placed):
        j = k
        while j + 1 < len(placed) and placed[j + 1] - placed[j] <= gap + 1e-9:
            j += 1
        wanted = sum(positions[order[i]] for i in range(k, j + 1)) / (j - k + 1)
        shift = wanted - sum(placed[k:j + 1]) / (j - k + 1)
        if k > 0:
            shift = max(shift, placed[k - 1] + gap - placed[k])
        for i in range(k, j + 1):
            placed[i] += shift
        k = j + 1
    result = [0.0] * len(positions)
    for rank, index in enumerate(order):
        result[index] = placed[rank]
    return result


Histogram = namedtuple('Histogram', 'low width counts')


def histogram(values, low, high, bins):
    """Counts of ``values`` in ``bins`` equal bins from ``low`` to ``high`` (a value on the top
    edge falls in the last bin; values outside are left out)."""
    if bins < 1 or high <= low:
        raise ValueError('a histogram needs at least one bin and high above low')
    width = (high - low) / bins
    counts = [0] * bins
    for value in values:
        if low <= value <= high:
            counts[min(int((value - low) / width), bins - 1)] += 1
    return Histogram(low, width, counts)
