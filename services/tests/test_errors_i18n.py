"""The error catalogue is translatable (issue 23): every template is marked for the .pot, and a
stored English message is given back in another language with its parameters kept."""
import re

from services import errors

PLACEHOLDER = re.compile(r'%\((\w+)\)s')
# a stand-in catalogue: a "translation" that keeps the placeholders and marks the text
FAKE = {errors.WorkorderFinished.template: 'AO %(wo)s fertig um %(finished)s; %(type)s um %(at)s abgelehnt.',
        errors.ReasonUnknown.template: 'Kein aktiver Grund (%(kind)s) mit Code "%(code)s".',
        errors.LoginFailed.template: 'Unbekannter Ausweis oder falsche PIN.',
        'scrap': 'Ausschuss'}


def gettext(source):
    return FAKE.get(source, source)


def test_every_template_is_marked_and_registered_by_code():
    for code, error in errors.CATALOGUE.items():
        assert error.code == code
        assert error.template in errors.MARKED, code


def test_a_stored_message_is_translated_with_its_parameters():
    message = errors.WorkorderFinished(wo='WO/7 (MO/3)', finished='2026-01-01 10:00:00', type='scrap',
                                       at='2026-01-01 11:00:00').message
    assert errors.translate_message('workorder_finished', message, gettext) == (
        'AO WO/7 (MO/3) fertig um 2026-01-01 10:00:00; Ausschuss um 2026-01-01 11:00:00 abgelehnt.')


def test_a_parameter_is_translated_only_when_it_is_a_marked_word():
    message = errors.ReasonUnknown(kind='scrap', code='scrap').message
    # the kind is a marked word; the code the operator typed is not translated
    assert (errors.translate_message('reason_unknown', message, gettext)
            == 'Kein aktiver Grund (Ausschuss) mit Code "scrap".')


def test_render_translates_a_raised_error_and_keeps_english_without_gettext():
    exc = errors.LoginFailed()
    assert exc.render(gettext) == 'Unbekannter Ausweis oder falsche PIN.'
    assert exc.render() == exc.message == errors.LoginFailed.template
    assert exc.as_dict(gettext)['message'] == 'Unbekannter Ausweis oder falsche PIN.'


def test_a_message_not_its_templates_or_a_broken_translation_stays_english():
    assert errors.translate_message('reason_unknown', 'written by hand', gettext) == 'written by hand'
    assert errors.translate_message('no_such_code', 'text', gettext) == 'text'
    broken = errors.ReasonUnknown(kind='scrap', code='X')
    assert broken.render(lambda source: 'Grund %(missing)s') == broken.message
    ready_made = errors.LoginFailed('a message given ready-made')
    assert ready_made.render(gettext) == 'a message given ready-made'
