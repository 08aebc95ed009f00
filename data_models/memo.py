"""Process-wide memo for pure functions of shared frames (no Streamlit here).

The app hands every page the tenant's data as shared, never-changed objects, one set per data version
(`components/data_access.py` keeps them in `st.cache_resource`). A page rerun after a filter change then asks the
same questions of the same objects again: the Gefährdung page's series over all years, its breakdown tables, the
charts built from them. `memoize` answers those from memory.

Arguments are compared like this: pandas frames and series and numpy arrays *by identity* (the very same object;
the entry keeps a reference to it, so its id cannot be reused while the entry lives); lists, sets and dicts of
hashable items by value, larger or nested ones (a FeatureCollection) and other unhashable objects by identity; everything else
by value. A new data version brings new objects, so stale results are never returned; old entries fall
out of the bounded LRU. Callers must not change what they pass in or get back (both are shared): with pandas'
copy-on-write, filtering and `assign` never change the original, but `frame[col] = ...` on a shared frame would.
Set `STRATEGIEKARTE_MEMO=0` to switch the memo off (for measuring).
"""
from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from typing import Any, Callable

import numpy as np
import pandas as pd

_BY_IDENTITY = (pd.DataFrame, pd.Series, pd.Index, np.ndarray)
_SMALL = 2000  # lists, sets and dicts up to this size are compared by value when their items are hashable
_MISSING = object()
ENABLED = os.environ.get("STRATEGIEKARTE_MEMO", "1") != "0"


def _key_part(value: Any, keep: list) -> Any:
    if isinstance(value, _BY_IDENTITY):
        keep.append(value)
        return ("#id", type(value).__name__, id(value))
    if isinstance(value, tuple):
        return ("#tuple",) + tuple(_key_part(v, keep) for v in value)
    if isinstance(value, (list, set, frozenset, dict)):
        try:
            if len(value) > _SMALL:
                raise TypeError
            if isinstance(value, dict):
                items = tuple(value.items())
                hash(items)
                return ("#dict", items)
            items = tuple(sorted(value, key=repr)) if isinstance(value, (set, frozenset)) else tuple(value)
            hash(items)
            return ("#" + type(value).__name__, items)
        except TypeError:
            keep.append(value)
            return ("#id", type(value).__name__, id(value))
    try:
        hash(value)
    except TypeError:  # an unhashable object (e.g. a dataclass holding frames): by identity, like plain objects
        keep.append(value)
        return ("#id", type(value).__name__, id(value))
    return value


def memoize(maxsize: int = 256) -> Callable:
    """Decorator: keep up to `maxsize` results of the function (least recently used out first)."""

    def deco(fn: Callable) -> Callable:
        cache: OrderedDict = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if not ENABLED:
                return fn(*args, **kwargs)
            keep: list = []
            try:
                key = (tuple(_key_part(a, keep) for a in args),
                       tuple(sorted((k, _key_part(v, keep)) for k, v in kwargs.items())))
            except TypeError:
                return fn(*args, **kwargs)
            with lock:
                hit = cache.get(key, _MISSING)
                if hit is not _MISSING:
                    cache.move_to_end(key)
                    return hit[0]
            result = fn(*args, **kwargs)
            with lock:
                cache[key] = (result, keep)  # `keep` pins the objects whose ids are in the key
                while len(cache) > maxsize:
                    cache.popitem(last=False)
            return result

        def cache_clear() -> None:
            with lock:
                cache.clear()

        wrapper.cache_clear = cache_clear  # type: ignore[attr-defined]
        wrapper.cache_size = lambda: len(cache)  # type: ignore[attr-defined]
        return wrapper

    return deco
