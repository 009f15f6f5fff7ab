"""Parsing ahead in a second process: with two cores or more and enough files to parse, a
forked worker parses the last share of the files while this process parses (and collects) the
first, and hands its trees back pickled. Unpickling a tree costs this process a third to a
half of parsing it (measured on 300-line modules), so the worker's share is parsed for less.
Whatever the worker cannot hand back (an error, a tree too deep to pickle, a worker that cannot
start or dies) is parsed here as before: the trees are the same either way."""

from __future__ import annotations

import pickle
from typing import Dict, List, Optional, Sequence

MIN_FILES = 12  # fewer files to parse: starting a worker costs more than it saves
SHARE = 0.45  # of the files, from the end: the worker's (it also pickles what it parses)


def _parse_share(sources: Sequence[bytes], accepted: Sequence[bool], first: int) -> List[Optional[bytes]]:
    """In the worker (sources inherited through fork): each source from `first` on, parsed and
    pickled (None where it fails); `accepted`: which of them Python's parser has read already."""
    from linter.syntax.module import parse

    out: List[Optional[bytes]] = []
    for index in range(first, len(sources)):
        try:
            tree = parse(sources[index], bool(accepted) and accepted[index])
            out.append(pickle.dumps(tree, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001 - a syntax error, a tree too deep: this process parses it
            out.append(None)
    return out


class Ahead:
    """`tree(i)`: the worker's tree of source `i`, or None (parse it here)."""

    def __init__(self, sources: Sequence[bytes], jobs: int, accepted: Sequence[bool] = ()) -> None:
        self.first = len(sources)
        self._worker = None
        self._trees: Optional[Dict[int, Optional[bytes]]] = None
        if jobs < 2 or len(sources) < MIN_FILES:
            return
        from linter.source.workers import Background

        first = len(sources) - int(len(sources) * SHARE)
        worker = Background(_parse_share, sources, accepted, first)
        if worker.started:
            self._worker, self.first = worker, first

    def tree(self, index: int):
        if index < self.first or self._worker is None:
            return None
        if self._trees is None:
            found = self._worker.result()  # None when the worker failed: every file is parsed here
            self._trees = dict(enumerate(found or (), self.first))
        data = self._trees.pop(index, None)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - parsed here instead
            return None

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
