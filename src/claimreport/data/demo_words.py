"""The words of the demo transcriptions, and how one transcription is put together from them.

Why a module of its own: the word lists (openers, topics with slots, tails) are data, a hundred
lines of them, written for the demo generator; no sentence comes from the course file. Keeping
them, and the two functions that turn a row of uniform draws into a claim or an opinion, apart
from :mod:`claimreport.data.demo` leaves that module to the numbers (class sizes, authors,
engagement) and the writers. Internal to :mod:`claimreport.data.demo`, which draws the
uniforms, so the same seed gives the same texts.

:func:`claim_texts` and :func:`opinion_texts` build the texts of many rows at once with Arrow's
string kernels (10 million rows in seconds instead of minutes); they give exactly the strings of
the one-row functions :func:`_claim_text` and :func:`_opinion_text`, which stay as the readable
definition and the reference a test pins them to.
"""

from __future__ import annotations

from string import Formatter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# --- word lists (written for this module; no sentence comes from the course file) -----------
# Few openers with many slots: as in the course file, the opener phrases ("discussion board",
# "willing to wager") should be the most frequent bigrams of each class, not the topics.
_CLAIM_WHO = ("i", "someone", "a friend", "a coworker", "my neighbour")
_CLAIM_HOW = ("read", "heard", "saw", "learned")
_CLAIM_WHERE = ("online", "on a discussion board", "on social media", "on a podcast",
                "in a newsletter", "on the radio", "in a news clip", "in a magazine",
                "on a message forum", "on a late night show")
_CLAIM_MARK = ("", "", " the claim", " a rumour")
_CLAIM_FIXED = ("someone shared with me that", "a viral post stated that",
                "an article i skimmed said that", "a video i watched explained that",
                "a headline i saw announced that", "a chain message insisted that",
                "my feed kept repeating that", "a stranger on a train told me that")
# (holder, form of "to be", verb ending) so that "i am", "my family thinks", "we believe" agree.
_OPINION_HOLDERS = (("i", "am", ""), ("we", "are", ""), ("my friends", "are", ""),
                    ("my family", "is", "s"), ("my colleagues", "are", ""),
                    ("my sister", "is", "s"))
_OPINION_ATTITUDES = ("think{s}", "feel{s}", "believe{s}", "suspect{s}", "{be} willing to wager",
                      "{be} willing to bet", "{be} fairly sure", "{be} convinced")
_OPINION_OWNERS = ("my", "our", "my friends'", "my family's", "my colleagues'")
_OPINION_NOUNS = ("view", "opinion", "impression", "hunch", "gut feeling", "honest opinion")

_SLOTS: dict[str, tuple[str, ...]] = {
    "animal": ("octopuses", "honeybees", "sea otters", "house cats", "crows", "giraffes",
               "garden snails", "hummingbirds", "dolphins", "emperor penguins", "koalas",
               "fire ants", "barn owls", "elephants", "jellyfish", "goldfish", "camels",
               "red pandas", "bats", "seahorses"),
    "ability": ("recognise individual human faces", "sleep with one eye open", "see in colour",
                "see ultraviolet light", "hold their breath for nearly an hour",
                "remember a route for many years", "sense a storm hours before it arrives",
                "count up to five", "taste through their feet", "survive a winter frozen solid",
                "learn their own name", "tell two languages apart", "hear very low sounds",
                "navigate using the magnetic field of the earth"),
    "group": ("office workers", "teenagers", "adults", "pet owners", "commuters", "students",
              "college students", "gardeners", "drivers", "tourists", "retirees",
              "night shift nurses", "gamers", "parents of toddlers"),
    "habit": ("check their phone before getting out of bed", "talk to their houseplants",
              "skip breakfast", "hum while they cook", "keep a spare key under the doormat",
              "forget at least one password a month", "read the last page of a book first",
              "sing in the shower", "name their cars", "sleep with the window open",
              "walk to work", "nap", "cook at home"),
    "activity": ("scrolling through short videos", "waiting in queues", "looking for lost keys",
                 "choosing what to watch", "stuck in traffic", "answering emails"),
    "place": ("iceland", "the sahara", "tokyo", "the amazon basin", "antarctica", "canada",
              "new zealand", "mongolia", "norway", "peru", "the pacific coast of south america",
              "lisbon", "nairobi", "kyoto", "chile", "finland", "the scottish highlands", "oslo"),
    "invention": ("the paper clip", "the bicycle", "the zipper", "the microwave oven",
                  "the traffic light", "the ballpoint pen", "the vending machine", "radar",
                  "the escalator", "the electric toothbrush", "the pocket calculator",
                  "the smoke detector", "the dishwasher", "the shopping cart", "velcro",
                  "the barcode scanner"),
    "countable": ("lighthouses", "saunas", "public libraries", "bicycles", "volcanoes",
                  "vending machines", "islands", "sheep", "hot springs", "bridges", "castles"),
    "commodity": ("vanilla", "saffron", "cork", "maple syrup", "pistachios", "cinnamon",
                  "lithium", "tea", "black pepper", "salt"),
    "record": ("tree", "bridge", "clock", "library", "shipwreck", "statue", "map", "cheese"),
    "job": ("deliver mail between islands", "guard vineyards at night", "find truffles",
            "carry messages across mountain passes", "warn miners about bad air"),
    "food": ("street food", "coffee", "bakeries", "train network", "public parks", "seafood",
             "night markets", "hiking trails", "breakfast", "museums"),
    "product": ("board game", "novel", "video game", "cookbook", "song", "phone", "sneaker"),
    "field": ("public health", "city life", "home cooking", "office work", "road safety",
              "family life", "the environment"),
    "unit": ("kilograms", "tonnes"),
    "few": tuple(str(n) for n in range(2, 21)),
    "pct": tuple(str(p) for p in range(4, 97, 3)),
    "n": tuple(str(n) for n in (12, 40, 75, 150, 300, 480, 900, 1200, 2500)),
    "year": tuple(str(y) for y in range(1852, 1990, 7)),
    "future": tuple(str(y) for y in range(2030, 2101, 5)),
}

_CLAIM_TOPICS = (
    "{animal} can {ability}",
    "about {pct}% of {group} {habit}",
    "{invention} was first sold in {year}",
    "{place} has more {countable} than people",
    "the oldest {record} ever found in {place} is over {n} years old",
    "{animal} were once trained to {job}",
    "{place} produces {pct}% of the world's {commodity}",
    "{animal} can {ability} after only {few} days of training",
    "a {record} in {place} weighs more than {n} {unit}",
    "{animal} sleep for {few} hours a day",
    "{invention} was invented by accident",
    "{group} spend more time {activity} than sleeping",
    "there are more {countable} in {place} than in all of {place2}",
    "{commodity} was once worth more than gold",
    "{place} banned {invention} for {few} years",
    "{animal} cannot {ability}",
    "{invention} was designed by a teenager",
    "{group} who {habit} earn more",
)
# Tails appended to some texts: they give the length distribution its right tail.
_CLAIM_TAILS = (", says a survey nobody can find", " and textbooks never mention it",
                ", which scientists cannot explain", " but the story was taken down",
                ", and the number keeps growing", " and it was kept secret for years")
_OPINION_TAILS = (", and that will not change any time soon", " no matter what the experts say",
                  ", even if most people disagree", " and it is not even close",
                  ", at least for now", " more than anyone wants to admit")
_OPINION_TOPICS = (
    "{place} has the best {food} in the world",
    "{invention} is the most underrated invention of the last century",
    "{animal} are smarter than most people think",
    "the best selling {product} of all time was made in {place}",
    "{group} are happier when they {habit}",
    "{invention} did more for {field} than {invention2}",
    "{countable} make {place} nicer than {place2}",
    "the world population of {animal} will double by {future}",
    "{group} who {habit} live longer",
    "{place} will have more {countable} than {place2} by {future}",
    "{invention} will disappear before {future}",
    "{animal} make better pets than dogs",
    "{commodity} from {place} tastes better",
    "{field} has improved more since {year} than in the century before",
    "{pct}% of {group} would rather be {activity} than talk on the phone",
    "{group} in {place} are the friendliest in the world",
    "{place} is overrated",
    "{animal} are the most beautiful animals on earth",
)


def _pick(options: tuple[str, ...], u: float) -> str:
    return options[int(u * len(options))]


def _fill(template: str, u: np.ndarray) -> str:
    # One uniform per slot; "place2" draws from the "place" list like "place".
    names = [f for _, f, _, _ in Formatter().parse(template) if f]
    return template.format(**{f: _pick(_SLOTS[f.rstrip("2")], x) for f, x in zip(names, u)})


def _claim_text(u: np.ndarray) -> str:
    if u[0] < 0.2:
        opener = _pick(_CLAIM_FIXED, u[1])
    else:
        opener = (f"{_pick(_CLAIM_WHO, u[1])} {_pick(_CLAIM_HOW, u[2])} "
                  f"{_pick(_CLAIM_WHERE, u[3])}{_pick(_CLAIM_MARK, u[4])} that")
    tail = _pick(_CLAIM_TAILS, u[11]) if u[10] < 0.3 else ""
    return f"{opener} {_fill(_pick(_CLAIM_TOPICS, u[5]), u[6:10])}{tail}"


def _opinion_text(u: np.ndarray) -> str:
    if u[0] < 0.35:
        opener = f"{_pick(_OPINION_OWNERS, u[1])} {_pick(_OPINION_NOUNS, u[2])} is that"
    else:
        holder, be, ending = _OPINION_HOLDERS[int(u[1] * len(_OPINION_HOLDERS))]
        attitude = _pick(_OPINION_ATTITUDES, u[2]).format(be=be, s=ending)
        opener = f"{holder} {attitude} that"
    tail = _pick(_OPINION_TAILS, u[11]) if u[10] < 0.2 else ""
    return f"{opener} {_fill(_pick(_OPINION_TOPICS, u[5]), u[6:10])}{tail}"


# --- many rows at once ------------------------------------------------------------------------

def _index(u: np.ndarray, options: int) -> np.ndarray:
    """``int(u * options)`` of :func:`_pick`, for a column of uniforms."""
    return (u * options).astype(np.int64)


def _take(options: tuple[str, ...] | list[str], u: np.ndarray) -> pa.Array:
    return pa.array(list(options), pa.string()).take(pa.array(_index(u, len(options))))


def _combos(u: np.ndarray, *lists: tuple[str, ...]) -> np.ndarray:
    """Row-major index into the product of *lists*, one uniform column of *u* per list."""
    out = np.zeros(len(u), dtype=np.int64)
    for k, options in enumerate(lists):
        out = out * len(options) + _index(u[:, k], len(options))
    return out


def _bodies(u: np.ndarray, openers: pa.Array, topics: tuple[str, ...],
            tails: tuple[str, ...], tail_share: float) -> pa.Array:
    """``f"{opener} {topic with its slots filled}{tail}"`` for every row, topic by topic.

    Rows are sorted by topic once, so each topic's rows are one contiguous slice, and put back
    in their order with one take at the end.
    """
    topic = _index(u[:, 5], len(topics))
    order = np.argsort(topic, kind="stable")
    bounds = np.searchsorted(topic[order], np.arange(len(topics) + 1))
    sorted_u = u[order]
    take = pa.array(order)
    openers = openers.take(take)
    tail = pc.if_else(pa.array(sorted_u[:, 10] < tail_share), _take(tails, sorted_u[:, 11]), "")
    parts = []
    for k, template in enumerate(topics):
        lo, hi = int(bounds[k]), int(bounds[k + 1])
        if lo == hi:
            continue
        sub = sorted_u[lo:hi]
        pieces: list = [openers.slice(lo, hi - lo), " "]
        slot = 0
        for literal, name, _, _ in Formatter().parse(template):
            if literal:
                pieces.append(literal)
            if name:
                pieces.append(_take(_SLOTS[name.rstrip("2")], sub[:, 6 + slot]))
                slot += 1
        pieces.append(tail.slice(lo, hi - lo))
        parts.append(pc.binary_join_element_wise(*pieces, ""))
    if not parts:
        return pa.array([], pa.string())
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    return pa.concat_arrays(parts).take(pa.array(inverse))


def claim_texts(u: np.ndarray) -> pa.Array:
    """:func:`_claim_text` of every row of *u* (shape ``(n, 12)``), as an Arrow string array."""
    composed = [f"{who} {how} {where}{mark} that" for who in _CLAIM_WHO for how in _CLAIM_HOW
                for where in _CLAIM_WHERE for mark in _CLAIM_MARK]
    openers = pc.if_else(
        pa.array(u[:, 0] < 0.2), _take(_CLAIM_FIXED, u[:, 1]),
        pa.array(composed).take(pa.array(_combos(u[:, 1:5], _CLAIM_WHO, _CLAIM_HOW,
                                                 _CLAIM_WHERE, _CLAIM_MARK))))
    return _bodies(u, openers, _CLAIM_TOPICS, _CLAIM_TAILS, 0.3)


def opinion_texts(u: np.ndarray) -> pa.Array:
    """:func:`_opinion_text` of every row of *u* (shape ``(n, 12)``), as an Arrow string array."""
    owned = [f"{owner} {noun} is that" for owner in _OPINION_OWNERS for noun in _OPINION_NOUNS]
    held = [f"{holder} {attitude.format(be=be, s=ending)} that"
            for holder, be, ending in _OPINION_HOLDERS for attitude in _OPINION_ATTITUDES]
    openers = pc.if_else(
        pa.array(u[:, 0] < 0.35),
        pa.array(owned).take(pa.array(_combos(u[:, 1:3], _OPINION_OWNERS, _OPINION_NOUNS))),
        pa.array(held).take(pa.array(_combos(u[:, 1:3], _OPINION_HOLDERS, _OPINION_ATTITUDES))))
    return _bodies(u, openers, _OPINION_TOPICS, _OPINION_TAILS, 0.2)
