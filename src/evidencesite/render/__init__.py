"""Jinja environment and the pages of the site, made in memory."""
