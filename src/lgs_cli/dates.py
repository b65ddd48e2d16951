"""Dates: strict ISO for files, human input (Swedish or English) for the CLI.

ISO input never touches dateparser; dateparser is imported only when a human
date has to be understood (it costs ~50 ms to import and ~70 ms on first use).
"""

from __future__ import annotations

import datetime as dt
import re

from .errors import UsageError

_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")  # ASCII digits only
_ISO_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_TIME = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")
_DUE = re.compile(r"^\s*([0-9]{4}-[0-9]{2}(?:-[0-9]{2})?)(?:\s*\((.*)\))?\s*$")  # no two adjacent \s* (quadratic)

WEEKDAYS_SV = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
MONTHS_SV = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]
_ORDINALS = {
    "första": 1, "andra": 2, "tredje": 3, "fjärde": 4, "sista": -1,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1,
}
_WEEKDAYS_EN = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july",
              "august", "september", "october", "november", "december"]


def parse_iso_date(text: str) -> dt.date | None:
    """``YYYY-MM-DD`` to a date, or None (also for impossible dates like 2025-02-30)."""
    m = _ISO_DATE.match(text.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_time(text: str) -> str | None:
    """``11:00`` / ``9.30`` to ``HH:MM``, or None."""
    m = _TIME.match(text.strip())
    if not m:
        return None
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def split_due(text: str) -> tuple[str, str | None] | None:
    """``2025-05-09 (ledningsgruppen 9 maj)`` -> ("2025-05-09", "ledningsgruppen 9 maj")."""
    m = _DUE.match(text)
    if not m:
        return None
    label = m.group(2).strip() if m.group(2) else None
    return m.group(1), label or None


def parse_month(text: str) -> tuple[int, int] | None:
    m = _ISO_MONTH.match(text.strip())
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12 or year < 1:
        return None
    return year, month


def first_weekday(year: int, month: int, weekday: int = 4, n: int = 1) -> dt.date:
    """The n-th (1-based; -1 = last) given weekday of a month (default: first Friday)."""
    if n < 0:
        last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    return day + dt.timedelta(weeks=n - 1)


def _nth_weekday_phrase(text: str, today: dt.date) -> dt.date | None:
    """"första fredagen i januari", "first friday of march 2026"."""
    words = text.lower().replace(",", " ").split()
    if len(words) < 3 or words[0] not in _ORDINALS:
        return None
    n = _ORDINALS[words[0]]
    wd_word = words[1]
    weekday = None
    for i, name in enumerate(WEEKDAYS_SV):
        if wd_word in (name, name + "en"):
            weekday = i
    for i, name in enumerate(_WEEKDAYS_EN):
        if wd_word == name:
            weekday = i
    if weekday is None or words[2] not in ("i", "in", "of"):
        return None
    rest = words[3:]
    if not rest:
        return None
    month = None
    for i, name in enumerate(MONTHS_SV):
        if rest[0] == name:
            month = i + 1
    for i, name in enumerate(_MONTHS_EN):
        if rest[0] == name:
            month = i + 1
    if month is None:
        return None
    if len(rest) > 1:
        if not rest[1].isdigit():
            return None
        year = int(rest[1])
    else:
        year = today.year if month >= today.month else today.year + 1
    try:
        return first_weekday(year, month, weekday, n)
    except ValueError:
        return None


# The years a date on the command line may have: the tool adds months and years to
# them (due dates, "far in the future" checks), which must stay real dates.
YEARS = (1900, 2999)


def parse_human_date(text: str, *, option: str, today: dt.date | None = None,
                     prefer_future: bool = False) -> dt.date:
    """A date from the command line: ISO first, then Swedish/English words.

    Raises :class:`UsageError` naming ``option`` when nothing fits, or the date is
    outside :data:`YEARS`.
    """
    day = _parse_human_date(text, option=option, today=today, prefer_future=prefer_future)
    if not YEARS[0] <= day.year <= YEARS[1]:
        meant = f" ({day.isoformat()})" if text.strip() != day.isoformat() else ""
        raise UsageError(f"'{text}'{meant} is outside the years lgs handles ({YEARS[0]}–{YEARS[1]})", option=option)
    return day


_ISO_YEAR = re.compile(r"[0-9]{4}")


def period_bound(text: str, *, option: str, end: bool) -> dt.date | None:
    """A year (``2025``) or a month (``2025-12``) given as one end of a period:
    its first day, or its last (``end``); None for anything else (a day)."""
    raw = text.strip()
    if _ISO_YEAR.fullmatch(raw):
        year, months = int(raw), (1, 12)
    elif _ISO_MONTH.match(raw):
        month = parse_month(raw)
        if month is None:
            raise UsageError(f"'{text}' is not a real month", option=option)
        year, months = month[0], (month[1], month[1])
    else:
        return None
    if not YEARS[0] <= year <= YEARS[1]:
        raise UsageError(f"'{text}' is outside the years lgs handles ({YEARS[0]}–{YEARS[1]})", option=option)
    if not end:
        return dt.date(year, months[0], 1)
    after = dt.date(year + (months[1] == 12), months[1] % 12 + 1, 1)  # the first day after the period
    return after - dt.timedelta(days=1)


def _parse_human_date(text: str, *, option: str, today: dt.date | None, prefer_future: bool) -> dt.date:
    today = today or dt.date.today()
    raw = text.strip()
    if not raw:
        raise UsageError("empty date", option=option)
    if _ISO_DATE.match(raw):
        parsed = parse_iso_date(raw)
        if parsed is None:
            raise UsageError(f"'{text}' is not a real date", option=option)
        return parsed
    lowered = raw.lower()
    simple = {"idag": 0, "i dag": 0, "today": 0, "now": 0, "nu": 0, "imorgon": 1, "i morgon": 1, "tomorrow": 1,
              "igår": -1, "i går": -1, "yesterday": -1, "i övermorgon": 2, "övermorgon": 2,
              "day after tomorrow": 2, "the day after tomorrow": 2, "i förrgår": -2, "förrgår": -2,
              "day before yesterday": -2, "the day before yesterday": -2}
    if lowered in simple:
        return today + dt.timedelta(days=simple[lowered])
    if any(ch.isnumeric() and not ch.isascii() for ch in raw):  # "٣", "三", "½": not a number lgs reads
        raise UsageError(f"'{text}' is not a date lgs understands: numbers take the digits 0–9", option=option)
    if re.fullmatch(r"[0-9+\-\s]+", raw) and (raw[0] in "+-" or raw[-1] in "+-"):  # "-1", "5+": not the 1st or 5th
        raise UsageError(f"'{text}' is not a date", option=option,
                         hint="A day relative to today is '1 dag sedan', 'om 2 veckor' (or '1 day ago', 'in 2 weeks').")
    relative = _relative_phrase(lowered, today, text, option)
    if relative is not None:
        return relative
    if any(word in _UNITS for word in re.findall(r"[a-zåäö]+", lowered)):  # "1,5 veckor sedan", "1 000 dagar"
        raise UsageError(f"'{text}' is not a date lgs understands", option=option,
                         hint="Count days, weeks, months or years in whole numbers: '3 dagar sedan', "
                              "'om 2 veckor', '10 days ago'.")
    nth = _nth_weekday_phrase(lowered, today) or _relative_weekday(lowered, today)
    if nth is not None:
        return nth
    if re.fullmatch(r"[0-9]{8}", raw):  # 20250509
        parsed = parse_iso_date(f"{raw[:4]}-{raw[4:6]}-{raw[6:]}")
        if parsed is None:
            raise UsageError(f"'{text}' is not a real date", option=option)
        return parsed
    bare = " ".join(w for w in lowered.split() if w not in _FILLERS)  # "on friday", "fredag den"
    if not re.search(r"[0-9]", raw) and (_named_weekday(lowered) is None
                                         or not re.fullmatch(r"[^\W\d_]+\.?", bare)):
        # Words without a number name a day only as a weekday alone ("fredag"; "nästa fredag"
        # is read above); dateparser reads "a", "one", "maj" and "a friday" as the 1st of a month.
        raise UsageError(f"'{text}' is not a date lgs understands", option=option,
                         hint=("Give the day of the month too: '1 maj', '9 maj 2025'." if _month_word(lowered) else
                               "Use YYYY-MM-DD, or words such as '9 maj', 'nästa fredag', '1 januari 2025', "
                               "'2 veckor sedan'."))
    named = _named_weekday(lowered)
    # The weekday of a date in words is checked below: dateparser gets the date
    # without it (it knows "torsdag", not "tor" or "tors").
    if named is not None and not re.search(r"[0-9]", raw) and re.fullmatch(r"[^\W\d_]+\.?", bare):
        raw = _WEEKDAYS_EN[named]  # "tor", "fre.": the weekday, as dateparser knows it by its English name
    words = raw if named is None or not re.search(r"[0-9]", raw) else re.sub(r"(?i)(?<![^\W\d_])[^\W\d_]+\.?,?(?![^\W\d_])",
                                             lambda w: "" if _weekday(w.group(0).rstrip(".,").lower()) is not None
                                             else w.group(0), raw).strip()
    # Preferred in the future: the next such day, today included ("9 maj" on 9 May is today,
    # where dateparser's future preference skips to next year)
    this = _dateparser_parse(words, today, False) if prefer_future else None
    parsed_dt = this if this is not None and this >= today else _dateparser_parse(words, today, prefer_future)
    if parsed_dt is None:
        raise UsageError(
            f"'{text}' is not a date lgs understands",
            option=option,
            hint="Give the day of the month too: '1 maj', '9 maj 2025'." if _month_word(lowered) and not re.search(
                r"(?<![0-9])[0-9]{1,2}(?![0-9])", lowered) else
            "Use YYYY-MM-DD, or words such as '9 maj', 'nästa fredag', '1 januari 2025', '2 veckor sedan'.",
        )
    if named is not None and re.search(r"\d", lowered) and parsed_dt.weekday() != named:
        # "fredag 6 november" without a year: the year next to the one guessed whose
        # 6 November is a Friday (the weekday tells which one was meant).
        if not _has_year(lowered):
            fitting = [day for year in (parsed_dt.year - 1, parsed_dt.year + 1)
                       if (day := _same_day_in(parsed_dt, year)) is not None and day.weekday() == named]
            if len(fitting) == 1:
                return fitting[0]
        raise UsageError(
            f"'{text}': {parsed_dt.isoformat()} is a {_WEEKDAYS_EN[parsed_dt.weekday()].capitalize()}, "
            f"not a {_WEEKDAYS_EN[named].capitalize()}",
            option=option,
            hint="Give the year, or leave out the weekday, or give the date as YYYY-MM-DD.",
        )
    return parsed_dt


# Days, weeks, months and years before or after today: "3 dagar sedan", "om 2
# veckor", "1 year ago", "in a month". dateparser reads "1 day" (no direction) as
# a day ago, and puts "1 year ago" on the 1st of the month: lgs reads these itself.
_UNITS_EN = {"day": "d", "days": "d", "week": "w", "weeks": "w", "month": "m", "months": "m", "year": "y", "years": "y"}
_UNITS = {"dag": "d", "dagar": "d", "dygn": "d", "vecka": "w", "veckor": "w", "månad": "m", "månader": "m", "år": "y",
          "veckan": "w", "månaden": "m", "året": "y", **_UNITS_EN}  # "förra veckan", "nästa år"
_NEXT_OR_LAST = {"nästa": 1, "next": 1, "kommande": 1, "förra": -1, "last": -1, "föregående": -1}
_COUNTS = {
    **{w: 1 for w in ("en", "ett", "a", "an", "one")},
    **{w: n for n, w in enumerate(("två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv"), 2)},
    **{w: n for n, w in enumerate(("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                                   "twelve"), 2)},
}
_RELATIVE = re.compile(r"(?:(om|in)\s+)?(?:för\s+)?([0-9]{1,6}|[a-zåäö]+)\s+([a-zåäö]+)(?:\s+(sedan|ago|from now))?")


def _relative_phrase(lowered: str, today: dt.date, text: str, option: str) -> dt.date | None:
    """A day counted from today in days, weeks, months or years; None when the text
    is no such phrase. A count without a direction ("2 weeks") is an error."""
    words = lowered.split()
    if len(words) == 2 and words[0] in _NEXT_OR_LAST and words[1] in _UNITS:  # "nästa vecka", "last month"
        return _counted(today, _NEXT_OR_LAST[words[0]], _UNITS[words[1]], text, option)
    m = _RELATIVE.fullmatch(" ".join(words))
    if m is None or m.group(3) not in _UNITS:
        return None
    ahead, count_word, unit_word, back = m.groups()
    if back == "from now":  # "14 days from now"
        ahead, back = back, None
    count = int(count_word) if count_word.isdigit() else _COUNTS.get(count_word)
    if count is None:  # "many weeks ago": a unit, but no count lgs knows
        raise UsageError(f"'{text}' is not a date lgs understands", option=option,
                         hint="Count with digits or a word up to twelve: '3 dagar sedan', 'two weeks ago'.")
    if bool(ahead) == bool(back):
        ago, after = ("ago", "in") if unit_word in _UNITS_EN else ("sedan", "om")
        raise UsageError(f"'{text}': before or after today?", option=option,
                         hint=f"Write '{count_word} {unit_word} {ago}' or '{after} {count_word} {unit_word}'.")
    return _counted(today, count if ahead else -count, _UNITS[unit_word], text, option)


def _counted(today: dt.date, count: int, unit: str, text: str, option: str) -> dt.date:
    """``count`` days, weeks, months or years (``unit``: d, w, m, y) from today."""
    try:
        if unit in ("d", "w"):
            return today + dt.timedelta(days=count * (7 if unit == "w" else 1))
        import calendar  # noqa: PLC0415 - only here

        year, month0 = divmod(today.month - 1 + count * (12 if unit == "y" else 1), 12)
        year += today.year
        last = calendar.monthrange(year, month0 + 1)[1]  # (a year outside 1–9999: date() raises ValueError)
        return dt.date(year, month0 + 1, min(today.day, last))  # 31 January + 1 month: 28 (29) February
    except (ValueError, OverflowError):
        raise UsageError(f"'{text}' is outside the years lgs handles ({YEARS[0]}–{YEARS[1]})",
                         option=option) from None


def _has_year(lowered: str) -> bool:
    """Whether a date in words gives its year: four digits ("2025"), or a number
    besides the day's with a month's name ("4 dec 25"), or three numbers."""
    numbers = re.findall(r"[0-9]+", lowered)
    if _long_number(lowered) or len(numbers) >= 3:
        return True
    words = set(re.findall(r"[a-zåäö]+", lowered))
    named_month = any(w.startswith(m[:3]) for w in words for m in (*MONTHS_SV, *_MONTHS_EN) if len(w) >= 3)
    return len(numbers) == 2 and named_month


def _long_number(lowered: str) -> bool:
    """A number of three digits or more: a year written out, not a day or month."""
    return re.search(r"[0-9]{3}", lowered) is not None


def _same_day_in(day: dt.date, year: int) -> dt.date | None:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return None


_FILLERS = {"on", "the", "den"}  # words around a weekday that change nothing ("on friday", "fredag den")
# Short weekday names ("tors 6 nov", "thu 6 nov"), as calendars and e-mail write them.
_WEEKDAY_SHORT = {
    "mån": 0, "tis": 1, "ons": 2, "tor": 3, "tors": 3, "fre": 4, "lör": 5, "sön": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}


def _weekday(word: str) -> int | None:
    """The weekday a word names: "fredag", "fredagen", "friday", "fre", "fri"."""
    for i, (sv, en) in enumerate(zip(WEEKDAYS_SV, _WEEKDAYS_EN, strict=True)):
        if word in (sv, sv + "en", en):
            return i
    return _WEEKDAY_SHORT.get(word)


def _month_word(lowered: str) -> bool:
    """Whether a text names a month ("maj", "nov", "december")."""
    return any(len(w) >= 3 and any(m.startswith(w) or w.startswith(m[:3]) for m in (*MONTHS_SV, *_MONTHS_EN))
               for w in re.findall(r"[a-zåäö]+", lowered))


def _named_weekday(lowered: str) -> int | None:
    """The weekday a date in words names ("fredag 9 maj", "friday 9 may"), if exactly one."""
    found = {day for word in re.findall(r"[a-zåäö]+", lowered) if (day := _weekday(word)) is not None}
    return found.pop() if len(found) == 1 else None


# "<prefix> <weekday>": the next one after today (1) or the last one before it (-1).
# dateparser does not know them in Swedish, nor "next <weekday>" reliably.
_WEEKDAY_PREFIXES = (("nästa ", 1), ("next ", 1), ("på ", 1), ("this ", 1), ("kommande ", 1),
                     ("förra ", -1), ("last ", -1))


def _relative_weekday(lowered: str, today: dt.date) -> dt.date | None:
    for prefix, direction in _WEEKDAY_PREFIXES:
        if lowered.startswith(prefix):
            day = _weekday(lowered[len(prefix):].strip())
            if day is not None:
                return today + direction * dt.timedelta(days=(direction * (day - today.weekday()) - 1) % 7 + 1)
    return None


def _dateparser_parse(text: str, today: dt.date, prefer_future: bool) -> dt.date | None:
    import dateparser  # noqa: PLC0415 - lazy: slow to import

    lowered = text.lower().strip()
    settings = {
        "RELATIVE_BASE": dt.datetime(today.year, today.month, today.day, 12, 0),
        "PREFER_DATES_FROM": "future" if prefer_future else "current_period",
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day"] if re.search(r"\d", lowered) else [],
    }
    try:
        result = dateparser.parse(text, languages=["sv", "en"], settings=settings)
    except Exception:
        return None
    if result is None:
        return None
    day = result.date()
    # A two-digit year ("4 dec 25") preferred in the future is read as 2125: it is
    # the year of this century (there is no four-digit number in the text).
    if day.year >= today.year + 50 and not _long_number(lowered):
        day = _same_day_in(day, day.year - 100) or day
    return day


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def swedish_holiday(day: dt.date) -> str | None:
    """The name of a Swedish public holiday (or eve treated as one) on ``day``."""
    fixed = {
        (1, 1): "nyårsdagen", (1, 6): "trettondedag jul", (5, 1): "första maj",
        (6, 6): "Sveriges nationaldag", (12, 24): "julafton", (12, 25): "juldagen",
        (12, 26): "annandag jul", (12, 31): "nyårsafton",
    }
    if (day.month, day.day) in fixed:
        return fixed[(day.month, day.day)]
    easter = easter_sunday(day.year)
    movable = {
        easter - dt.timedelta(days=2): "långfredagen",
        easter + dt.timedelta(days=1): "annandag påsk",
        easter + dt.timedelta(days=39): "Kristi himmelsfärdsdag",
    }
    if day in movable:
        return movable[day]
    if day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4:
        return "midsommarafton"
    return None
