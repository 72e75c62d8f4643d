"""Chromium tests of the operator terminal (selenium + Debian chromedriver)."""
