"""Finding or starting the SparkSession for ``--backend spark``, with one-line errors.

Why a module of its own: whether Spark can run at all (PySpark installed, a Java runtime
present) must be answered before a build takes its lock, with a message that says what to
install; and a session started by claimreport should be quiet (Spark's JVM logs at WARN and
draws progress bars on stderr by default), while one made by ``spark-submit`` or by a caller
is used as it is.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path

from claimreport.errors import ConfigError

__all__ = ["check_spark", "spark_session", "parse_conf", "INSTALL_HINT"]

INSTALL_HINT = "pip install 'claimreport[spark]'"
JAVA_HINT = ("install a Java 17 runtime (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) "
             "or point JAVA_HOME at one")
#: what claimreport sets on a session it starts, unless --conf says otherwise
DEFAULTS = {"spark.app.name": "claimreport", "spark.ui.showConsoleProgress": "false",
            "spark.ui.enabled": "false"}
# Spark's default log4j profile prints WARN lines (hostname, native libraries) on every start.
_LOG4J = """\
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.native.name = org.apache.hadoop.util.NativeCodeLoader
logger.native.level = error
logger.utils.name = org.apache.spark.util.Utils
logger.utils.level = error
"""


def parse_conf(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["spark.master=local[4]", ...]`` as a dict; a ConfigError for a pair without ``=``."""
    conf = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--conf {pair!r}: expected key=value, e.g. "
                              "--conf spark.driver.memory=4g")
        conf[key.strip()] = value.strip()
    return conf


def _in_spark_submit() -> bool:
    """Whether a JVM is already there (spark-submit launched this Python)."""
    return "PYSPARK_GATEWAY_PORT" in os.environ


def check_spark() -> None:
    """Raise a ConfigError naming what to install when Spark cannot run here."""
    if importlib.util.find_spec("pyspark") is None:
        raise ConfigError(f"--backend spark needs PySpark, which is not installed: {INSTALL_HINT}")
    if _in_spark_submit():
        return
    home = os.environ.get("JAVA_HOME")
    if not (home and (Path(home) / "bin" / "java").is_file()) and shutil.which("java") is None:
        raise ConfigError(f"--backend spark needs Java 17, and no java was found: {JAVA_HINT}")


def _quiet_logging() -> str:
    """A log4j2 file setting Spark's own logging to errors only (written once per user)."""
    path = Path(tempfile.gettempdir()) / f"claimreport-log4j2-{os.getuid()}.properties"
    try:
        if not path.is_file() or path.read_text() != _LOG4J:
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(_LOG4J)
            os.replace(tmp, path)
    except OSError:
        return ""
    return f"-Dlog4j2.configurationFile=file:{path}"


def spark_session(conf: Mapping[str, str] | None = None):
    """The active SparkSession, else a new one.

    A new session runs in local mode on every core (``local[*]``) unless ``spark.master`` is
    in *conf* or the process was started by ``spark-submit`` (whose ``--master`` then holds);
    *conf* is applied on top of :data:`DEFAULTS`. When this process starts the JVM, Spark's own
    logging is set to errors only (pass ``spark.driver.extraJavaOptions`` to choose otherwise).

    Raises
    ------
    ConfigError
        PySpark is not installed, no Java runtime is found, or the JVM does not start (the
        message says which).
    """
    check_spark()
    with warnings.catch_warnings():  # "PySpark does not yet fully support pandas >= 3"
        warnings.simplefilter("ignore", FutureWarning)
        from pyspark.sql import SparkSession

    conf = dict(conf or {})
    active = SparkSession.getActiveSession()
    if active is not None:
        for key, value in conf.items():
            try:
                active.conf.set(key, value)
            except Exception as exc:  # a static setting (spark.master, memory) of a running JVM
                raise ConfigError(f"--conf {key}: cannot be changed on the running Spark "
                                  f"session ({_first_line(exc)}); pass it to spark-submit "
                                  "instead") from None
        return active
    settings = {**DEFAULTS, **conf}
    if "spark.master" not in settings and not _in_spark_submit():
        settings["spark.master"] = "local[*]"
    if not _in_spark_submit() and "spark.driver.extraJavaOptions" not in settings:
        if option := _quiet_logging():
            settings["spark.driver.extraJavaOptions"] = option
    builder = SparkSession.builder
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            session = builder.getOrCreate()
    except Exception as exc:  # PySparkRuntimeError (JAVA_GATEWAY_EXITED), Py4J errors
        raise ConfigError(f"--backend spark: Spark did not start ({_first_line(exc)}); it "
                          "needs Java 17 "
                          f"or later: {JAVA_HINT}") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__
