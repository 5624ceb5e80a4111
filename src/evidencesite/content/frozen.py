"""Containers that cannot change once made: front matter and table rows are read by many
pages and stages, and their digest is worked out once.

`freeze` turns what YAML gives (dicts and lists) into them. They are a `dict` and a `list`
to every reader (templates, JSON, isinstance checks); changing one raises TypeError.
"""
from __future__ import annotations


def _refuse(self, *args, **kwargs):
    raise TypeError(f"a {type(self).__name__} cannot be changed")


class FrozenDict(dict):
    """A mapping that is not changed once made; its digest is worked out once (see
    `incremental.keys.plain`)."""

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __reduce__(self):  # pickled by value, with the digest if it is known
        return FrozenDict, (dict(self),), (self.__dict__ or None)

    def fingerprint(self) -> str:
        known = self.__dict__.get("_digest")
        if known is None:
            from evidencesite.incremental.keys import digest, plain
            known = self.__dict__["_digest"] = digest(plain(dict(self)))
        return known


class FrozenList(list):
    """A list that is not changed once made."""

    __setitem__ = __delitem__ = append = extend = insert = pop = remove = clear = _refuse
    sort = reverse = __iadd__ = __imul__ = _refuse

    def __reduce__(self):
        return FrozenList, (list(self),)


def freeze(value):
    """`value` with every dict and list in it made a FrozenDict or FrozenList."""
    kind = type(value)
    if kind is dict or kind is FrozenDict:
        return FrozenDict({key: freeze(item) for key, item in value.items()})
    if kind is list or kind is FrozenList:
        return FrozenList(freeze(item) for item in value)
    return value
