"""Messages of the error catalogue in a reader's language (issue 23). They are stored in English
(services/errors.py says why) and translated when shown: ``gettext_for`` binds Odoo's code
translations (the addon's i18n/*.po) to one language for ``errors.translate_message``."""


def gettext_for(env, lang):
    """One catalogue string in, its translation into ``lang`` out (the source when none);
    None for English, which needs none."""
    if not lang or lang == 'en_US':
        return None
    Translation = env['ir.translation']
    return lambda source: Translation._get_source(None, ('code',), lang, source) or source
