"""The demo generator's fast paths give exactly what the slow, readable ones give: texts built
with Arrow equal the one-row text functions, and the Arrow CSV writer writes the bytes of
DataFrame.to_csv."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from claimreport.data import demo_words as W
from claimreport.data.csv_writer import write_frame_csv


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_vectorised_texts_equal_the_one_row_functions(seed):
    u = np.random.default_rng(seed).random((3000, 12))
    u[:5] = 0.0  # the lowest choice of every list
    u[5:10] = np.nextafter(1.0, 0.0)  # the highest
    assert W.claim_texts(u).to_pylist() == [W._claim_text(row) for row in u]
    assert W.opinion_texts(u).to_pylist() == [W._opinion_text(row) for row in u]


def _reference(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, na_rep="#N/A", lineterminator="\n").encode("utf-8")


@pytest.mark.parametrize("chunk", [1, 3, 1000])
def test_csv_writer_writes_the_bytes_of_to_csv(chunk):
    frame = pd.DataFrame({
        "#": np.arange(1, 8, dtype="int64"),
        "n": pd.array([1, None, 3, 4, 5, 6, 7], dtype="Int64"),
        "text": pd.array(["plain", "with, comma", None, "naïve café", "", "x", "y"],
                         dtype="string"),
        "label": ["a", "b", None, "c", "d", "e", "f"],
    })
    out = io.BytesIO()
    write_frame_csv(frame, out, chunk_rows=chunk)
    assert out.getvalue() == _reference(frame)


@pytest.mark.parametrize("odd", ['has "quotes"', "line\nbreak", "carriage\rreturn"])
def test_csv_writer_leaves_quotes_and_line_breaks_to_pandas(odd):
    frame = pd.DataFrame({"a": [1, 2], "text": ["fine", odd], "f": [0.5, np.nan]})
    out = io.BytesIO()
    write_frame_csv(frame, out)
    assert out.getvalue() == _reference(frame)
