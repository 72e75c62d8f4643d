"""An order's WIP residual at close split into variances by kind: the lines sum exactly to the
residual, and every kind the split can produce is one the journal items' kinds name."""
from services import costing

SAW = costing.Operation(workcenter=1, minutes_per_unit=6.0, setup_minutes=30.0, labor_rate=40.0, crew=1.0,
                        machine_rate=60.0)
CLOSE_KINDS = [kind for kind, _label in costing.CLOSE_VARIANCE_KINDS]


def _every_kind_at_once():
    # material over, labor paid above its standard rate and too slow, machine slow, some rework,
    # and a residual the other lines do not explain (lot size)
    actual = {'material': 110.0, 'labor': 90.0, 'machine': 70.0, 'rework': 12.5}
    standard = {'material': 100.0, 'labor': 60.0, 'machine': 50.0}
    hours = [costing.LaborHours(workcenter=1, hours=2.0, rate=45.0)]
    residual = 200.0
    return costing.split_variances(residual, actual, standard, hours, [SAW]), residual


def test_the_split_sums_exactly_to_the_residual_and_names_each_kind():
    variances, residual = _every_kind_at_once()
    assert [v.kind for v in variances] == CLOSE_KINDS
    assert round(sum(v.amount for v in variances), 2) == residual
    by_kind = {v.kind: v.amount for v in variances}
    assert by_kind['labor_rate'] == 10.0            # 2 h x (45 - 40)
    assert by_kind['labor_efficiency'] == 20.0      # 90 - 60 - 10
    assert by_kind['lot_size'] == round(200.0 - 10 - 10 - 20 - 20 - 12.5, 2)


def test_a_kind_without_an_amount_is_not_posted():
    variances = costing.split_variances(0.0, {}, {}, [], [SAW])
    assert variances == []


def test_the_journal_items_kinds_are_the_close_kinds_and_the_late_fact():
    kinds = [kind for kind, _label in costing.VARIANCE_KINDS]
    assert kinds == CLOSE_KINDS + [costing.LATE_FACT]
    assert len(set(kinds)) == len(kinds)
    assert all(label for _kind, label in costing.VARIANCE_KINDS)
    # the price of a component is its standard at consumption: no material price variance here
    assert 'material_price' not in kinds


def test_a_late_fact_adjusts_a_variance_the_close_posts():
    assert set(costing.LATE_FACT_VARIANCE.values()) <= set(CLOSE_KINDS)
