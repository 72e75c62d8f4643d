"""Cost arithmetic without the ORM: standard cost of an order, and the split of an order's
WIP residual into variances by kind at close.

Money is rounded to the currency's cents only at the edges; the split always sums exactly to
the residual, so the order's WIP ends at zero.
"""
from collections import namedtuple

Operation = namedtuple('Operation', 'workcenter minutes_per_unit setup_minutes labor_rate crew machine_rate')
LaborHours = namedtuple('LaborHours', 'workcenter hours rate')   # actual hours at the rate paid
Variance = namedtuple('Variance', 'kind amount explanation')

# What ``split_variances`` posts at close, in its order, with the label a journal item shows.
# There is no material price variance: consumption is valued at the component's standard price,
# so a price difference arises at purchase, outside the order.
CLOSE_VARIANCE_KINDS = (
    ('material_usage', 'Material usage'),
    ('labor_rate', 'Labor rate'),
    ('labor_efficiency', 'Labor efficiency'),
    ('machine_efficiency', 'Machine efficiency'),
    ('rework', 'Rework'),
    ('lot_size', 'Lot size and standard'),
)
# A fact that lands after the order closed adjusts the variance its element closed into (the
# order's WIP stays at zero); its journal item is marked late.
LATE_FACT = 'late_fact'
LATE_FACT_VARIANCE = {'labor': 'labor_efficiency', 'machine': 'machine_efficiency', 'rework': 'rework'}
# Every kind a journal item may carry: the Selection of account.move.line's mes_variance_kind.
VARIANCE_KINDS = CLOSE_VARIANCE_KINDS + ((LATE_FACT, 'Late fact after close'),)


def round_money(amount, digits=2):
    return round(amount + 0.0, digits)


def standard_hours(operation, quantity):
    """Machine hours one operation should take for ``quantity`` good units, setup included once."""
    if quantity <= 0:
        return 0.0
    return (operation.setup_minutes + operation.minutes_per_unit * quantity) / 60.0


def standard_cost(material_per_unit, operations, quantity):
    """Standard material, labor and machine cost of ``quantity`` units made by ``operations``."""
    labor = sum(standard_hours(op, quantity) * op.crew * op.labor_rate for op in operations)
    machine = sum(standard_hours(op, quantity) * op.machine_rate for op in operations)
    return {'material': material_per_unit * quantity, 'labor': labor, 'machine': machine}


def split_variances(residual, actual, standard, labor_hours, operations, digits=2):
    """Split an order's WIP ``residual`` at close into variances by kind.

    ``actual`` and ``standard`` map element -> amount ('material', 'labor', 'machine', 'rework';
    the standard is for the good quantity plus what scrap already took out of WIP at standard).
    ``labor_hours`` lists the hours actually worked per work center at the rate paid.

    - material usage = actual material - standard material (consumption is valued at standard
      price, so no price variance arises here; it arises at purchase);
    - labor rate = sum(hours x (rate paid - standard rate of the work center));
    - labor efficiency = sum over work centers ((actual hours - standard hours) x standard rate);
    - machine efficiency = actual machine - standard machine;
    - rework = all rework cost (its standard is zero);
    - lot size = what remains: the order's standard at its quantity (setup spread over the lot)
      against the product's standard cost credited as goods were finished.
    The last line absorbs rounding, so the lines sum exactly to ``residual``.
    """
    std_rate = {op.workcenter: op.labor_rate for op in operations}
    # hours on a work center outside the routing have no standard rate: all efficiency
    rate_variance = sum(entry.hours * (entry.rate - std_rate.get(entry.workcenter, entry.rate))
                        for entry in labor_hours)
    material, material_standard = actual.get('material', 0.0), standard.get('material', 0.0)
    lines = [
        Variance('material_usage', material - material_standard,
                 'material consumed %.2f - standard %.2f' % (material, material_standard)),
        Variance('labor_rate', rate_variance, 'hours worked x (rate paid - standard rate)'),
        Variance('labor_efficiency', actual.get('labor', 0.0) - standard.get('labor', 0.0) - rate_variance,
                 '(hours worked - standard hours) x standard rate'),
        Variance('machine_efficiency', actual.get('machine', 0.0) - standard.get('machine', 0.0),
                 'machine %.2f - standard %.2f' % (actual.get('machine', 0.0), standard.get('machine', 0.0))),
        Variance('rework', actual.get('rework', 0.0), 'rework has no standard'),
    ]
    rounded = [v._replace(amount=round_money(v.amount, digits)) for v in lines]
    rest = round_money(residual - sum(v.amount for v in rounded), digits)
    rounded.append(Variance('lot_size', rest, 'order standard at its quantity vs product standard cost, and rounding'))
    return [v for v in rounded if v.amount]
