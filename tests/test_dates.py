"""Dates on the command line: ISO without dateparser, words in Swedish and English."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import MINUTES, run_cli
from lgs_cli.dates import parse_human_date, period_bound
from lgs_cli.errors import UsageError

TODAY = dt.date(2026, 11, 26)  # a Thursday


@pytest.mark.parametrize(("text", "day"), [
    ("2025-05-09", dt.date(2025, 5, 9)),
    ("20250509", dt.date(2025, 5, 9)),
    ("förra fredagen", dt.date(2026, 11, 20)),
    ("förra fredag", dt.date(2026, 11, 20)),
    ("last friday", dt.date(2026, 11, 20)),
    ("förra torsdagen", dt.date(2026, 11, 19)),  # not today
    ("nästa fredag", dt.date(2026, 11, 27)),
    ("fredag 9 maj 2025", dt.date(2025, 5, 9)),
    ("friday 9 may 2025", dt.date(2025, 5, 9)),
])
def test_dates_in_words(text: str, day: dt.date) -> None:
    assert parse_human_date(text, option="--since", today=TODAY) == day


@pytest.mark.parametrize("text", ["fredag 9 maj", "måndag 9 maj 2025", "friday 10 may 2025", "fredag 4 dec 25"])
def test_a_weekday_that_is_not_the_dates_is_an_error(text: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_human_date(text, option="--date", today=TODAY, prefer_future=True)
    assert "is a" in raised.value.message and "not a" in raised.value.message


@pytest.mark.parametrize(("text", "future", "day"), [
    ("fredag 6 november", True, dt.date(2026, 11, 6)),  # a meeting that has just been: 2027-11-06 is a Saturday
    ("fredag 6 november", False, dt.date(2026, 11, 6)),
    ("måndag 6 november", True, dt.date(2028, 11, 6)),
    ("friday 4 december", True, dt.date(2026, 12, 4)),
])
def test_a_named_weekday_tells_the_year(text: str, future: bool, day: dt.date) -> None:
    """Without a year, the weekday picks the year next to the one guessed whose date
    falls on it ("fredag 6 november" on 2026-11-26 for the next meeting: 2026)."""
    assert parse_human_date(text, option="--date", today=TODAY, prefer_future=future) == day


@pytest.mark.parametrize("future", [True, False])
@pytest.mark.parametrize(("text", "day"), [("4 dec 25", dt.date(2025, 12, 4)), ("9/1 26", dt.date(2026, 1, 9))])
def test_a_two_digit_year_is_this_centurys(text: str, day: dt.date, future: bool) -> None:
    """Not 2125 (`new-meeting --date "4 dec 25"` wrote 2125/2125-12-04.md)."""
    assert parse_human_date(text, option="--date", today=TODAY, prefer_future=future) == day


@pytest.mark.parametrize("text", ["9998-06-01", "0001-01-01", "1 januari 3000"])
def test_a_date_outside_the_years_lgs_handles_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_human_date(text, option="--today", today=TODAY)
    assert "outside the years lgs handles (1900–2999)" in raised.value.message
    result = run_cli("check", str(MINUTES), "--today", text)
    assert result.exit_code == 2 and "outside the years" in result.stderr


@pytest.mark.parametrize("text", ["20251301", "2025-02-30", "blorp"])
def test_not_a_date(text: str) -> None:
    with pytest.raises(UsageError):
        parse_human_date(text, option="--since", today=TODAY)


def test_new_meeting_notes_a_holiday_or_weekend_given_with_date() -> None:
    holiday = run_cli("new-meeting", "--archive", str(MINUTES), "--dry-run", "--today", "2026-11-26",
                      "--date", "första fredagen i januari")
    assert holiday.exit_code == 0 and "2027-01-01 is nyårsdagen" in holiday.stderr
    sunday = run_cli("new-meeting", "--archive", str(MINUTES), "--dry-run", "--today", "2026-11-26",
                     "--date", "2027-05-09")
    assert sunday.exit_code == 0 and "2027-05-09 is a Sunday" in sunday.stderr
    wrong = run_cli("new-meeting", "--archive", str(MINUTES), "--dry-run", "--today", "2026-11-26",
                    "--date", "fredag 9 maj")
    assert wrong.exit_code == 2 and "is a Sunday, not a Friday" in wrong.stderr


@pytest.mark.parametrize(("text", "day"), [
    ("3 dagar sedan", dt.date(2026, 11, 23)),
    ("om 2 veckor", dt.date(2026, 12, 10)),
    ("1 day ago", dt.date(2026, 11, 25)),
    ("in a month", dt.date(2026, 12, 26)),
    ("ett år sedan", dt.date(2025, 11, 26)),  # the same day: dateparser put it on the 1st
    ("1 year ago", dt.date(2025, 11, 26)),
    ("om 3 månader", dt.date(2027, 2, 26)),
    ("en   månad  sedan", dt.date(2026, 10, 26)),
])
def test_days_counted_from_today(text: str, day: dt.date) -> None:
    assert parse_human_date(text, option="--today", today=TODAY) == day


def test_a_month_from_the_31st_is_the_months_last_day() -> None:
    assert parse_human_date("om 1 månad", option="--today", today=dt.date(2027, 1, 31)) == dt.date(2027, 2, 28)
    assert parse_human_date("in 1 month", option="--today", today=dt.date(2028, 1, 31)) == dt.date(2028, 2, 29)


@pytest.mark.parametrize(("text", "says"), [
    ("-1", "is not a date"),  # was the 1st of this month, the sign ignored
    ("+5", "is not a date"),
    ("1 day", "before or after today?"),  # was a day ago
    ("2 veckor", "before or after today?"),
    ("om 2 veckor sedan", "before or after today?"),
    ("٣", "digits 0–9"),  # was the 3rd of this month
    ("99999 years ago", "outside the years"),
    ("2000 år sedan", "outside the years"),
])
def test_signed_numbers_counts_without_direction_and_other_digits_are_errors(text: str, says: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_human_date(text, option="--today", today=TODAY)
    assert says in raised.value.message
    result = run_cli("actions", "--archive", str(MINUTES), "--today", text)
    assert result.exit_code == 2 and says in result.stderr


@pytest.mark.parametrize(("text", "day"), [
    ("two weeks ago", dt.date(2026, 11, 12)), ("två månader sedan", dt.date(2026, 9, 26)),
    ("om tre dagar", dt.date(2026, 11, 29)), ("in twelve months", dt.date(2027, 11, 26)),
])
def test_counts_in_words(text: str, day: dt.date) -> None:
    assert parse_human_date(text, option="--today", today=TODAY) == day


@pytest.mark.parametrize("text", ["two weeks", "many weeks ago", "några dagar sedan"])
def test_a_count_without_direction_or_not_known_is_an_error(text: str) -> None:
    with pytest.raises(UsageError):
        parse_human_date(text, option="--today", today=TODAY)


@pytest.mark.parametrize("text", ["1,5 veckor sedan", "om 1,5 veckor", "1 000 dagar sedan", "+1 days ago",
                                  "in -3 days", "+3 days", "5+", "-3-"])
def test_counts_that_are_no_whole_number_and_stray_signs_are_errors(text: str) -> None:
    with pytest.raises(UsageError):
        parse_human_date(text, option="--today", today=TODAY)


def test_a_date_with_unpadded_numbers_is_still_a_date() -> None:
    assert parse_human_date("2025-5-9", option="--today", today=TODAY) == dt.date(2025, 5, 9)


@pytest.mark.parametrize(("text", "day"), [
    ("nästa vecka", dt.date(2026, 12, 3)), ("next week", dt.date(2026, 12, 3)),
    ("förra veckan", dt.date(2026, 11, 19)), ("last month", dt.date(2026, 10, 26)),
    ("förra månaden", dt.date(2026, 10, 26)), ("nästa år", dt.date(2027, 11, 26)),
    ("nästa fredag", dt.date(2026, 11, 27)), ("3 mars", dt.date(2026, 3, 3)),
])
def test_next_and_last_week_month_and_year(text: str, day: dt.date) -> None:
    assert parse_human_date(text, option="--today", today=TODAY) == day


@pytest.mark.parametrize(("text", "day"), [
    ("för två veckor sedan", dt.date(2026, 11, 12)), ("för en vecka sedan", dt.date(2026, 11, 19)),
    ("the day before yesterday", dt.date(2026, 11, 24)), ("i övermorgon", dt.date(2026, 11, 28)),
    ("14 days from now", dt.date(2026, 12, 10)),
])
def test_more_days_counted_from_today(text: str, day: dt.date) -> None:
    assert parse_human_date(text, option="--today", today=TODAY) == day


@pytest.mark.parametrize(("text", "day"), [
    ("tors 6 nov", dt.date(2025, 11, 6)),  # a Thursday: 2025, not this year's (a Friday)
    ("tor 6 nov", dt.date(2025, 11, 6)),
    ("Tors. 6 nov", dt.date(2025, 11, 6)),
    ("thu, 6 nov", dt.date(2025, 11, 6)),
    ("fre 13 mars 2026", dt.date(2026, 3, 13)),
    ("sat 6 nov", dt.date(2027, 11, 6)),
    ("fre", dt.date(2026, 11, 20)),  # as "fredag"
    ("tor", dt.date(2026, 11, 26)), ("thurs", dt.date(2026, 11, 26)), ("Fre.", dt.date(2026, 11, 20)),
    ("now", TODAY), ("nu", TODAY), ("on friday", dt.date(2026, 11, 20)), ("fredag den", dt.date(2026, 11, 20)),
])
def test_short_weekday_names_are_weekdays(text: str, day: dt.date) -> None:
    assert parse_human_date(text, option="--today", today=TODAY) == day


@pytest.mark.parametrize("text", ["tis 6 nov 2026", "ons 6 nov 2026", "mån 6 nov 2026"])
def test_a_short_weekday_that_is_not_the_dates_is_an_error(text: str) -> None:
    with pytest.raises(UsageError, match="is a Friday"):
        parse_human_date(text, option="--today", today=TODAY)


@pytest.mark.parametrize(("text", "hint"), [
    ("a", "YYYY-MM-DD"), ("one", "YYYY-MM-DD"), ("en två", "YYYY-MM-DD"), ("one two", "YYYY-MM-DD"),
    ("maj", "day of the month"), ("jul", "day of the month"), ("maj 2026", "day of the month"),
    ("december 2025", "day of the month"), ("a friday", "YYYY-MM-DD"), ("en fredag", "YYYY-MM-DD"),
    ("friday a", "YYYY-MM-DD"), ("one monday", "YYYY-MM-DD"),
])
def test_words_that_name_no_day_are_errors(text: str, hint: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_human_date(text, option="--today", today=TODAY)
    assert hint in (raised.value.hint or "")


def test_a_date_in_words_is_said_as_the_day_it_was_taken_as() -> None:
    from conftest import MINUTES, run_cli

    words = run_cli("actions", "--due-before", "nästa fredag", "--today", "2026-02-25", "--archive", str(MINUTES))
    assert words.exit_code == 0
    assert "--due-before 'nästa fredag': Friday 2026-02-27.\n" in words.stderr
    assert "--today '2026-02-25'" not in words.stderr  # ISO says itself
    iso = run_cli("actions", "--due-before", "2026-02-27", "--today", "2026-02-25", "--archive", str(MINUTES))
    assert "Friday" not in iso.stderr


def test_a_deadline_without_a_year_is_the_next_one() -> None:
    """--due-before '9 maj' in November is next May's (a deadline ahead); --since
    '9 maj' is this year's (a period behind)."""
    from conftest import MINUTES, run_cli

    due = run_cli("actions", "--due-before", "9 maj", "--today", "2026-11-27", "--archive", str(MINUTES))
    assert due.exit_code == 0 and "--due-before '9 maj': Sunday 2027-05-09.\n" in due.stderr
    since = run_cli("actions", "--since", "9 maj", "--today", "2026-11-27", "--archive", str(MINUTES))
    assert since.exit_code == 0 and "--since '9 maj': Saturday 2026-05-09.\n" in since.stderr


def test_a_period_takes_a_year_or_a_month() -> None:
    """--since 2025 is 1 January, --until 2025-02 the last day of February (of a
    leap year too); a month that is none, or a year outside lgs's, is a usage error."""
    assert period_bound("2025", option="--since", end=False) == dt.date(2025, 1, 1)
    assert period_bound("2025", option="--until", end=True) == dt.date(2025, 12, 31)
    assert period_bound(" 2024-02 ", option="--until", end=True) == dt.date(2024, 2, 29)
    assert period_bound("2025-12", option="--until", end=True) == dt.date(2025, 12, 31)
    assert period_bound("2025-04-04", option="--since", end=False) is None  # a day: read as ever
    for bad in ("2025-13", "1899", "3000-01"):
        with pytest.raises(UsageError):
            period_bound(bad, option="--since", end=False)

    def ids(*args: str) -> list[str]:
        result = run_cli(*args, "--archive", str(MINUTES), "-f", "json")
        assert result.exit_code == 0, result.stderr
        return [r["id"] for r in json.loads(result.stdout)]

    in_2025 = ids("decisions", "--since", "2025", "--until", "2025")
    assert in_2025 and all(i.startswith("2025-") for i in in_2025)
    assert ids("decisions", "--since", "2025-04", "--until", "2025-04") == [i for i in in_2025 if i.startswith("2025-04")]
    raised = ids("actions", "--all", "--since", "2024-05", "--until", "2024")
    assert raised and all(i.startswith("2024-05-") for i in raised)
    wrong = run_cli("decisions", "--since", "2025", "--until", "2024", "--archive", str(MINUTES))
    assert wrong.exit_code == 2 and "2024-12-31 is before --since 2025-01-01" in wrong.stderr


def test_the_next_such_day_includes_today() -> None:
    """Preferred in the future (--due-before, new-meeting --date), "9 maj" on 9 May
    is today, not a year ahead; the day after, it is next year's."""
    day = parse_human_date("9 maj", option="--due-before", today=dt.date(2026, 5, 9), prefer_future=True)
    assert day == dt.date(2026, 5, 9)
    day = parse_human_date("9 maj", option="--due-before", today=dt.date(2026, 5, 10), prefer_future=True)
    assert day == dt.date(2027, 5, 9)
    assert parse_human_date("4 dec 25", option="--due-before", today=dt.date(2026, 11, 27),
                            prefer_future=True) == dt.date(2025, 12, 4)


def test_a_period_s_hint_names_years_and_months() -> None:
    wrong = run_cli("decisions", "--since", "2025-4", "--archive", str(MINUTES))
    assert wrong.exit_code == 2 and "(or a year or month: 2025, 2025-04)" in wrong.stderr
    due = run_cli("actions", "--due-before", "2025-4", "--archive", str(MINUTES))
    assert due.exit_code == 2 and "a year or month" not in due.stderr  # not a period
