"""One local Spark session for the backend tests (``local[2]``, Spark's own logging quiet), the
course file as Parquet, and both backends over it."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime: the Spark tests need Java 17")
    from claimreport.data.spark_session import spark_session

    # Few shuffle partitions: 200 (Spark's default) costs seconds per query on tiny data.
    session = spark_session({"spark.master": "local[2]", "spark.sql.shuffle.partitions": "4",
                             "spark.default.parallelism": "2"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def course(real_csv):
    """The course file as the pandas loader gives it."""
    from claimreport.data.load import load_data

    return load_data(real_csv)


@pytest.fixture(scope="module")
def course_parquet(course, tmp_path_factory):
    path = tmp_path_factory.mktemp("spark") / "tiktok_dataset.parquet"
    course.frame.to_parquet(path, index=False)
    return path


@pytest.fixture(scope="module")
def loaded(spark, course_parquet):
    """The course Parquet through the Spark loader (every row in the sample)."""
    from claimreport.data.spark_loader import load_spark

    return load_spark(course_parquet, spark=spark, seed=42)


@pytest.fixture(scope="module")
def backends(course, loaded):
    """(Spark backend, pandas backend) over the same course data."""
    from claimreport.backends.pandas_backend import PandasBackend

    return loaded.backend, PandasBackend(course.frame)
