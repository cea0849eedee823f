"""The column contract of the course dataset: names, roles, types and allowed labels.

Everything that needs to know about columns (loader, demo generator, EDA, Tableau roles) reads it
from here so that the schema is stated once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Column",
    "COLUMNS",
    "ROW_NUMBER",
    "ID",
    "CLAIM",
    "VERIFIED",
    "BAN",
    "TEXT",
    "DURATION",
    "VIEWS",
    "LIKES",
    "SHARES",
    "DOWNLOADS",
    "COMMENTS",
    "COUNT_COLUMNS",
    "NUMERIC_MEASURES",
    "ENGAGEMENT_COLUMNS",
    "LABELS",
    "ALWAYS_PRESENT",
    "DATA_COLUMNS",
    "NA_VALUES",
    "MAX_COUNT",
    "column",
    "group_phrase",
    "short_name",
    "TEXT_LENGTH",
    "label",
    "short",
    "noun",
    "known",
    "level_label",
]

Kind = Literal["row_number", "identifier", "category", "text", "count"]
Role = Literal["dimension", "measure"]

ROW_NUMBER = "#"
CLAIM = "claim_status"
ID = "video_id"
DURATION = "video_duration_sec"
TEXT = "video_transcription_text"
VERIFIED = "verified_status"
BAN = "author_ban_status"
VIEWS = "video_view_count"
LIKES = "video_like_count"
SHARES = "video_share_count"
DOWNLOADS = "video_download_count"
COMMENTS = "video_comment_count"

NA_VALUES = ["#N/A", "", "NA", "N/A", "nan", "NaN"]

#: Plausibility ceiling of engagement counts and of the duration in seconds. The most-watched
#: videos have about 10**10 views, so a larger value is a corrupted cell (``1e200``, a number
#: glued to the next one), never a real count. Staying below 2**53 also keeps every accepted
#: value an exact whole number in float64, the dtype the stages compute with.
MAX_COUNT = 10**15


@dataclass(frozen=True)
class Column:
    """One column of the dataset.

    ``nullable`` says whether missing values are a data-quality fact (the 298 rows with only
    id/duration/verified/ban) rather than an error.
    """

    name: str
    kind: Kind
    label: str
    role: Role
    why: str
    nullable: bool = True
    labels: tuple[str, ...] = ()
    short: str = ""  # axis labels and table headers; defaults to ``label``

    def __post_init__(self) -> None:
        if not self.short:
            object.__setattr__(self, "short", self.label)


COLUMNS: tuple[Column, ...] = (
    Column(CLAIM, "category", "Claim status", "dimension",
           "The target: whether the video makes a claim or voices an opinion.",
           labels=("claim", "opinion")),
    Column(ID, "identifier", "Video ID", "dimension",
           "An identifier: unique per video, not a quantity to add or average.", nullable=False),
    Column(DURATION, "count", "Video duration (seconds)", "measure",
           "A continuous quantity that can be summed, averaged and binned.", nullable=False,
           short="Duration (s)"),
    Column(TEXT, "text", "Transcription text", "dimension",
           "Free text: used for counts and phrases, never aggregated itself.",
           short="Transcription"),
    Column(VERIFIED, "category", "Verified status", "dimension",
           "A category of the author used to split and filter.",
           nullable=False, labels=("verified", "not verified")),
    Column(BAN, "category", "Author ban status", "dimension",
           "A category of the author used to split and filter.",
           nullable=False, labels=("active", "under review", "banned")),
    Column(VIEWS, "count", "Views", "measure", "An engagement count: summed, averaged, compared."),
    Column(LIKES, "count", "Likes", "measure", "An engagement count: summed, averaged, compared."),
    Column(SHARES, "count", "Shares", "measure", "An engagement count: summed, averaged, compared."),
    Column(DOWNLOADS, "count", "Downloads", "measure",
           "An engagement count: summed, averaged, compared."),
    Column(COMMENTS, "count", "Comments", "measure",
           "An engagement count: summed, averaged, compared."),
)

DATA_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS)
LABELS: dict[str, tuple[str, ...]] = {c.name: c.labels for c in COLUMNS if c.labels}
ENGAGEMENT_COLUMNS: tuple[str, ...] = (VIEWS, LIKES, SHARES, DOWNLOADS, COMMENTS)
COUNT_COLUMNS: tuple[str, ...] = (DURATION, *ENGAGEMENT_COLUMNS)
NUMERIC_MEASURES: tuple[str, ...] = COUNT_COLUMNS
ALWAYS_PRESENT: tuple[str, ...] = tuple(c.name for c in COLUMNS if not c.nullable)

_BY_NAME = {c.name: c for c in COLUMNS}


def column(name: str) -> Column:
    """The :class:`Column` called *name* (KeyError for an unknown name)."""
    return _BY_NAME[name]


#: A measure derived from the transcription (EDA and the classifier's features).
TEXT_LENGTH = "text_length"
_DERIVED = {TEXT_LENGTH: ("Transcription length (characters)", "Text length")}


def label(name: str) -> str:
    """The full label of a column or derived measure ("Video duration (seconds)")."""
    return _BY_NAME[name].label if name in _BY_NAME else _DERIVED[name][0]


def short(name: str) -> str:
    """The short label for axes and table headers ("Duration (s)", "Views")."""
    return _BY_NAME[name].short if name in _BY_NAME else _DERIVED[name][1]


def noun(name: str) -> str:
    """The label as a noun in a sentence: "video duration", "views", "transcription length"."""
    return label(name).split(" (")[0].lower()


def known(name: str) -> bool:
    return name in _BY_NAME or name in _DERIVED


_LEVEL_LABELS = {
    (VERIFIED, "verified"): "Verified author", (VERIFIED, "not verified"): "Unverified author",
    (BAN, "banned"): "Author banned", (BAN, "under review"): "Author under review",
    (BAN, "active"): "Author active", (CLAIM, "claim"): "Claim video",
    (CLAIM, "opinion"): "Opinion video",
}


def level_label(column: str, level: str) -> str:
    """A category level as a feature or table label: ("author_ban_status", "banned") →
    "Author banned"."""
    return _LEVEL_LABELS.get((column, level), f"{label(column)}: {level}")


_GROUP_PHRASES = {
    (VERIFIED, "verified"): "verified accounts",
    (VERIFIED, "not verified"): "unverified accounts",
    (CLAIM, "claim"): "claim videos",
    (CLAIM, "opinion"): "opinion videos",
    (BAN, "active"): "active authors",
    (BAN, "banned"): "banned authors",
    (BAN, "under review"): "authors under review",
}


def group_phrase(column: str, value: str) -> str:
    """Words for a group in sentences: ("verified_status", "not verified") → "unverified accounts"."""
    return _GROUP_PHRASES.get((column, value), f"{value} {'authors' if column == BAN else 'videos'}")


def short_name(column: str) -> str:
    """Snake-case short name of a measure for key figures: video_view_count → views."""
    base = _BY_NAME[column].label.split(" (")[0].lower() if column in _BY_NAME else column
    return base.replace(" ", "_")
