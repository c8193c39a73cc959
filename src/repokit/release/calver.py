"""Date versions as their maintainers use them: the scheme a version follows, and its next.

A date version starts with a year (``2026`` or ``26``) and a month or a counter; then
comes a day (``2026.08.17``: YYYY.MM.DD) or a counter of the releases within the period
(``26.5.1``: YY.M.N; ``2024.11.0``: YYYY.M.N; ``26.1.0`` where the middle number counts
the year's releases: YY.N.N). A scheme whose last part is a counter takes patch releases
(``26.5.1`` to ``26.5.2``, a pre-release to its final); one that ends with the day moves
only with the calendar. ``calver`` moves to the current period in the same shape.

Whether the middle number counts releases or names the month is read from the tags' dates
(see :func:`repokit.release.conventions.calver_counter`): ``counter_start`` is where a year's
count starts, None for a month. Pure functions only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from repokit.errors import VersionError

_DATE_PARTS = re.compile(r"(?P<year>\d+)\.(?P<second>\d+)(?:\.(?P<third>\d+))?")


@dataclass(frozen=True)
class DateScheme:
    """The shape of a date version: how it writes the year, month and day, and what counts."""

    long_year: bool
    padded_month: bool
    #: The third part is the day of the release (YYYY.MM.DD), not a counter.
    has_day: bool
    #: The middle number counts the releases of the year (None: it is the month).
    counter_start: int | None
    #: How many numbers the version has (``26.5`` has two, ``26.5.1`` three).
    parts: int

    @property
    def takes_patch(self) -> bool:
        """Whether a patch release keeps the scheme: the last part is a counter."""
        return not self.has_day

    @property
    def name(self) -> str:
        """``YYYY.MM.DD``, ``YY.M.N``, ``YY.N``, ...: the scheme as its maintainers write it."""
        year = "YYYY" if self.long_year else "YY"
        month = "MM" if self.padded_month else "M"
        middle = "N" if self.counter_start is not None else month
        tail = [".DD" if self.has_day else ".N"] if self.parts >= 3 else []
        return year + "." + middle + "".join(tail)


#: The ``counter_start`` that says the tags are no dates: a version such as ``21.7.0`` whose
#: release tags were made in other years than they name.
NOT_DATES = -1


def is_date_version(raw: str, today: dt.date | None = None) -> bool:
    """Whether ``raw`` reads as a date version: ``YYYY.MM[.DD]`` or ``YY.M[.N]``."""
    found = _DATE_PARTS.match(raw)
    if found is None:
        return False
    year, second = found["year"], int(found["second"])
    this_year = (today or dt.date.today()).year
    if len(year) == 4:
        return 1990 <= int(year) <= this_year + 1 and 1 <= second <= 12
    return len(year) == 2 and 15 <= int(year) <= this_year % 100 + 1 and 1 <= second <= 12


def scheme_of(
    raw: str, today: dt.date | None = None, counter_start: int | None = None
) -> DateScheme | None:
    """The scheme of the date version ``raw``; None when it is not a date version.

    A counter may run from 0 past the month's range (``26.0``, ``26.13``); with
    ``counter_start`` the middle number is read as that counter.
    """
    found = _DATE_PARTS.match(raw)
    if found is None or counter_start == NOT_DATES:
        return None
    if counter_start is None and not is_date_version(raw, today):
        return None
    if counter_start is not None and not is_date_version(f"{found['year']}.1", today):
        return None
    try:
        parts = len(Version(raw).release)
    except InvalidVersion:
        return None
    second, third = found["second"], found["third"]
    long_year = len(found["year"]) == 4
    padded = len(second) == 2 and second.startswith("0")
    has_day = (
        counter_start is None
        and long_year
        and third is not None
        and 1 <= int(third) <= 31
        and (len(third) == 2 or padded)
    )
    return DateScheme(long_year, padded, has_day, counter_start, parts)


def period_changed(raw: str, scheme: DateScheme, today: dt.date) -> bool:
    """Whether ``today`` is in another period than the version ``raw``: another day, month or
    (for a counter of the year's releases) another year."""
    release = Version(raw).release
    year = today.year if scheme.long_year else today.year % 100
    if scheme.counter_start is not None:
        return release[0] != year
    if scheme.has_day:
        return tuple(release[:3]) != (year, today.month, today.day)
    return tuple(release[:2]) != (year, today.month)


def period_just_ended(raw: str, scheme: DateScheme, today: dt.date) -> bool:
    """Whether the version ``raw`` names the period just before ``today``'s: last month (last
    year for a counter of the year's releases, yesterday for a day)."""
    if scheme.counter_start is not None:
        before = today.replace(month=1, day=1) - dt.timedelta(days=1)
    elif scheme.has_day:
        before = today - dt.timedelta(days=1)
    else:
        before = today.replace(day=1) - dt.timedelta(days=1)
    return not period_changed(raw, scheme, before)


def next_date_version(current: str, today: dt.date, counter_start: int | None = None) -> str:
    """The version of a release made ``today`` in ``current``'s scheme.

    ``2026.08.17`` -> ``2026.09.01``; ``26.5.1`` -> ``26.6.0`` in June, ``26.5.2`` within May;
    ``25.3`` counting releases -> ``25.4``; ``2024.11.0b5`` -> ``2024.11.0`` in November 2024.
    A pre- or dev release of the current period becomes its final.
    """
    scheme = scheme_of(current, today, counter_start)
    if scheme is None:
        msg = f"{current} is not a date version (YYYY.MM.DD, YYYY.M.N, YY.M.N or YY.N)"
        raise VersionError(msg, hint="use --bump major, minor or patch, or give the version")
    version = Version(current)
    release = version.release
    unfinished = (version.pre is not None or version.dev is not None) and version.post is None
    year = today.year if scheme.long_year else today.year % 100
    if scheme.counter_start is not None:
        if unfinished and release[0] == year:
            text = _join(release)
        else:
            number = release[1] + 1 if release[0] == year else scheme.counter_start
            text = _join((year, number, *[0] * (len(release) - 2)))
    elif not period_changed(current, scheme, today):
        if unfinished:
            text = _join(release)
        else:
            width = 3 if scheme.has_day else 2
            counter = release[width] + 1 if len(release) > width else 1
            text = ".".join([*_written(current)[:width], str(counter)])
    else:
        month = f"{today.month:02d}" if scheme.padded_month else str(today.month)
        date = [str(year) if scheme.long_year else f"{year:02d}", month]
        if scheme.has_day:
            date.append(f"{today.day:02d}" if _padded_day(current) else str(today.day))
        elif scheme.parts >= 3:
            date.append("0")
        text = ".".join(date)
    if Version(text) <= version:
        msg = f"the date version for {today.isoformat()}, {text}, is not greater than {current}"
        raise VersionError(msg, hint="give the version explicitly: --bump X.Y.Z")
    return text


def next_patch(current: str, scheme: DateScheme) -> str:
    """The patch release after ``current``: its last counter plus one, or its final.

    ``26.5.1`` -> ``26.5.2``; ``25.1`` -> ``25.1.1``; ``2024.11.0b5`` -> ``2024.11.0``.
    """
    if scheme.has_day:
        msg = f"{current} ends with the day of its release ({scheme.name}): it has no patch"
        raise VersionError(msg, hint="use --bump calver (today's date), or give the version")
    version = Version(current)
    written = _written(current)
    if (version.pre is not None or version.dev is not None) and version.post is None:
        return ".".join(written)
    if len(written) >= 3:
        return ".".join([*written[:-1], str(int(written[-1]) + 1)])
    return ".".join([*written, "1"])


def _written(current: str) -> list[str]:
    """The release numbers of ``current`` as written (``08`` keeps its zero)."""
    found = re.match(r"\d+(?:\.\d+)*", current)
    return found.group().split(".") if found else []


def _padded_day(current: str) -> bool:
    written = _written(current)
    return len(written) < 3 or len(written[2]) == 2


def _join(release: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in release)
