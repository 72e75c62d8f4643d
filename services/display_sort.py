"""A computed display column that sorts by the stored column behind it, without the ORM (the
plant's local time on the quality lists, ``models/shared/plant_time.py``, is one): the list's
header of the display column sorts, which Odoo refuses for a computed field, and sorting by it
sorts by the stored column."""


def sortable(descriptions, pairs, attributes=None):
    """``fields_get``'s answer (``descriptions``) with the display fields of ``pairs``
    ({display field: stored field}) marked sortable; untouched when ``attributes`` were asked
    for without 'sortable'."""
    if attributes and 'sortable' not in attributes:
        return descriptions
    for display in pairs:
        if display in descriptions:
            descriptions[display]['sortable'] = True
    return descriptions


def order(order_spec, pairs):
    """``order_spec`` ('name desc, id') with each display field of ``pairs`` replaced by its
    stored field; the direction and every other term are kept."""
    if not order_spec:
        return order_spec
    parts = []
    for part in order_spec.split(','):
        words = part.split()
        if words and words[0] in pairs:
            words[0] = pairs[words[0]]
        parts.append(' '.join(words))
    return ','.join(parts)
