"""How many rows a batch must add to the event log, worked out from what is already stored.

Generated ids repeat (across examples and inside one batch). A repeated id with the same content
is a duplicate and adds nothing; with other content it is a conflict, kept as a row of its own
(once per distinct content). An event without a usable id is always kept."""
from ...services import contract, raw_event


def new_rows(batch, stored, conflicts):
    """``stored``: {event id: raw text of the row holding it}; ``conflicts``: {event id: raw
    texts of the conflicting versions already kept beside it}."""
    first = dict(stored)
    kept = {uid: set(texts) for uid, texts in conflicts.items()}
    added = 0
    for raw in batch:
        uid = contract.raw_event_id(raw)
        if uid is None:
            added += 1
            continue
        text = raw_event.dump(raw)
        if uid not in first:
            first[uid] = text
            added += 1
        elif first[uid] != text and text not in kept.setdefault(uid, set()):
            kept[uid].add(text)
            added += 1
    return added


def conflict_uids(batch, stored):
    """The ids in ``batch`` that come back as conflicts (another content under a known id)."""
    first = dict(stored)
    found = set()
    for raw in batch:
        uid = contract.raw_event_id(raw)
        if uid is None:
            continue
        text = raw_event.dump(raw)
        if first.setdefault(uid, text) != text:
            found.add(uid)
    return found
