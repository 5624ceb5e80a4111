"""Checks remembered between the dev server's rebuilds.

A file that did not change is the same object in every rebuild (the server's cache keeps
what it read), so a check of it needs to run again only when the rest of what it reads
changed. `Remembered` keeps each answer with the object it was about (compared by identity:
holding it keeps its id from being reused) and those other inputs (compared by value).
"""
from __future__ import annotations


class Remembered:
    """`remember(subject, inputs, make)`: `make()`, or its answer for the same subject and
    equal inputs in an earlier build; answers live in `live`, the long-lived cache's values
    (which forget what a build did not ask for)."""

    def __init__(self, live: dict, name: str) -> None:
        self.live, self.name = live, name

    def __call__(self, subject, inputs, make):
        key = (self.name, id(subject))
        found = self.live.get(key)
        if found is not None and found[0] is subject and found[1] == inputs:
            return found[2]
        made = make()
        self.live[key] = (subject, inputs, made)
        return made
