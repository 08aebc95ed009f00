"""data_models/memo.py: results kept per argument, frames by identity, lists and dicts by value."""
import pandas as pd

from data_models.memo import memoize


def _counted():
    calls = []

    @memoize(maxsize=3)
    def total(frame, cols, scale=1):
        calls.append(1)
        return float(frame[list(cols)].to_numpy().sum()) * scale

    return total, calls


def test_same_frame_object_is_computed_once():
    total, calls = _counted()
    f = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    assert total(f, ["a", "b"]) == 10.0
    assert total(f, ["a", "b"]) == 10.0
    assert len(calls) == 1
    # a list with the same items is the same argument; another scale is another call
    assert total(f, ["a", "b"], scale=2) == 20.0
    assert len(calls) == 2


def test_an_equal_but_different_frame_is_computed_again():
    total, calls = _counted()
    f = pd.DataFrame({"a": [1, 2]})
    g = f.copy()
    assert total(f, ["a"]) == 3.0 and total(g, ["a"]) == 3.0
    assert len(calls) == 2  # frames count by identity: a changed copy could differ


def test_least_recently_used_entry_falls_out():
    total, calls = _counted()
    frames = [pd.DataFrame({"a": [i]}) for i in range(4)]
    for f in frames:
        total(f, ["a"])
    assert len(calls) == 4 and total.cache_size() == 3
    total(frames[0], ["a"])  # fell out: computed again
    assert len(calls) == 5
    total(frames[3], ["a"])  # still there
    assert len(calls) == 5


def test_entry_pins_the_frame_so_its_id_cannot_be_reused():
    total, calls = _counted()
    total(pd.DataFrame({"a": [1]}), ["a"])
    # the first frame is kept alive by the entry; a new frame cannot get its id and a stale result
    assert total(pd.DataFrame({"a": [5]}), ["a"]) == 5.0


def test_unhashable_object_by_identity_and_dict_by_value():
    calls = []

    class Box:  # unhashable, like a dataclass holding a frame
        __hash__ = None

        def __init__(self, v):
            self.v = v

    @memoize()
    def f(box, names):
        calls.append(1)
        return box.v + len(names)

    b = Box(1)
    assert f(b, {"n": "Nord"}) == 2 and f(b, {"n": "Nord"}) == 2
    assert len(calls) == 1
    assert f(Box(1), {"n": "Nord"}) == 2 and len(calls) == 2
