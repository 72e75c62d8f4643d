"""A terminal's token as stored (services/terminal_token.py): its SHA-256, never the token."""
import hashlib

from services.terminal_token import token_hash


def test_the_stored_form_is_the_sha256_in_hex():
    assert token_hash('abc') == 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'   # FIPS 180-2
    assert token_hash('Bäckerei') == hashlib.sha256('Bäckerei'.encode('utf-8')).hexdigest()


def test_the_same_token_finds_the_same_row_another_does_not():
    token = 'x' * 43
    assert token_hash(token) == token_hash(str(token)) and token_hash(token) != token_hash(token + 'y')
    assert token not in token_hash(token)
