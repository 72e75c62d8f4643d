"""A terminal's bearer token as the server keeps it, without the ORM: only its hash is stored."""
import hashlib


def token_hash(token):
    """The stored form of ``token``: its SHA-256, in hex."""
    # Tokens are 256 random bits: a fast hash is enough, and lets the API find the terminal
    # by an indexed lookup.
    return hashlib.sha256(token.encode('utf-8')).hexdigest()
