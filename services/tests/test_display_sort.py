"""A display column sorted by its stored column (services/display_sort.py): the plant-time
columns of the quality lists sort by their UTC datetimes."""
from services.display_sort import order, sortable

PAIRS = {'checked_at_plant': 'checked_at', 'measured_at_plant': 'measured_at'}


class TestOrder:

    def test_a_display_field_sorts_by_its_stored_column_in_either_direction(self):
        assert order('checked_at_plant desc', PAIRS) == 'checked_at desc'
        assert order('checked_at_plant', PAIRS) == 'checked_at'
        assert order('point_id, measured_at_plant asc,id desc', PAIRS) == 'point_id,measured_at asc,id desc'

    def test_other_orders_are_left_alone(self):
        assert order('sample_no desc, id', PAIRS) == 'sample_no desc,id'
        assert order('checked_at_plant_x', PAIRS) == 'checked_at_plant_x'      # whole names only
        assert order(None, PAIRS) is None and order('', PAIRS) == ''


class TestSortable:

    def descriptions(self):
        return {'checked_at_plant': {'type': 'char'}, 'checked_at': {'type': 'datetime', 'sortable': True},
                'note': {'type': 'text', 'sortable': False}}

    def test_the_display_fields_are_marked_sortable(self):
        result = sortable(self.descriptions(), PAIRS)
        assert result['checked_at_plant']['sortable'] is True
        assert result['note']['sortable'] is False                           # others untouched
        assert 'measured_at_plant' not in result                             # not asked for: not added
        assert sortable(self.descriptions(), PAIRS, ['type', 'sortable'])['checked_at_plant']['sortable'] is True

    def test_an_answer_without_sortable_is_left_as_asked(self):
        assert 'sortable' not in sortable(self.descriptions(), PAIRS, ['type'])['checked_at_plant']
