"""The quality tests' shop floor: the stool factory of common.py, control points on its cut
operation, and the phrases an inspector would use."""
from .common import ShopFloorCase


class QualityCase(ShopFloorCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cut_op = cls.wo_cut.operation_id
        cls.supervisor_group = cls.env.ref('shopfloor_mes.group_mes_supervisor')
        operator_group = cls.env.ref('shopfloor_mes.group_mes_operator')
        cls.operator_user = cls.env['res.users'].create({
            'name': 'Olga Operator', 'login': 'olga.quality', 'email': 'olga@example.com',
            'groups_id': [(6, 0, [operator_group.id])]})

    def point(self, name='Tube length', **values):
        """A control point on the cut operation of the stool."""
        defaults = {'name': name, 'operation_id': self.cut_op.id, 'kind': 'passfail', 'frequency': 'first'}
        defaults.update(values)
        return self.env['mes.quality.point'].create(defaults)

    def length_point(self, **values):
        defaults = {'kind': 'measure', 'nominal': 450.0, 'tolerance_min': 449.0, 'tolerance_max': 451.0,
                    'unit': 'mm', 'reason_id': self.scrap_reason.id}
        defaults.update(values)
        return self.point(**defaults)

    # -- terminal events, as the tablet sends them ------------------------------------------
    def check(self, minute, point, result='pass', value=None, wo=None, note=None):
        data = {'point_id': point.id, 'result': result}
        if value is not None:
            data['value'] = value
        if note:
            data['note'] = note
        return self.event('check', minute, wo=wo, data=data)

    def produce(self, minute, qty, wo=None):
        return self.event('produce', minute, wo=wo, data={'qty': qty})

    # -- what an inspector reads -------------------------------------------------------------
    def checks(self, point, wo=None, state=None):
        domain = [('point_id', '=', point.id), ('workorder_id', '=', (wo or self.wo_cut).id)]
        if state:
            domain.append(('state', '=', state))
        return self.env['mes.quality.check'].search(domain, order='piece_no, id')

    def pieces_due(self, point, wo=None):
        return self.checks(point, wo, state='todo').mapped('piece_no')
