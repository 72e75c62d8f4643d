"""A request's JSON object, judged without the ORM or the HTTP layer: the content type, UTF-8
JSON, an object (the login routes read theirs here; the events route's whole request is
``contract.parse_request``)."""
from . import contract, errors


def json_object(body, content_type, shape):
    """The JSON object ``body`` (bytes) sends; raises ``NotJson`` unless ``content_type`` is
    application/json, ``MalformedBody`` for what is not UTF-8 JSON or not an object (``shape``
    says what to send)."""
    if (content_type or '').split(';')[0].strip().lower() != 'application/json':
        raise errors.NotJson()
    try:
        payload = contract.loads(body.decode('utf-8'))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise errors.MalformedBody(detail='not valid UTF-8 JSON')
    if not isinstance(payload, dict):
        raise errors.MalformedBody(detail='send ' + shape)
    return payload
