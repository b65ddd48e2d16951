"""Resolve what the minutes write through the roster: attendees' organisations
and sectors. Runs after loading (and after the cache), since it depends on the
roster, which may change independently of the meeting files."""

from __future__ import annotations

from .archive import Archive
from .roster import normalize_sector


def resolve_people(archive: Archive) -> None:
    """Set each attendee's ``org`` to the canonical organisation where it resolves
    (``RGK`` → ``Region Kronoberg``, ``Vaxjo`` → ``Växjö``; missing → the person's
    organisation on the meeting date) and ``sector`` to a known sector where one is given or known."""
    roster = archive.roster
    for m in archive.meetings:
        lists = [m.attendees or [], m.guests, m.absent, m.deputies, m.expected]
        for people in lists:
            for a in people:
                written = a.org_written
                if written:
                    a.org = roster.org_id(written) or written  # ("Vaxjo", LGS103, counts for Växjö)
                else:
                    a.org = roster.person_org(a.name, m.date)
                if a.sector:
                    a.sector = normalize_sector(a.sector) or a.sector
                elif a.org:
                    a.sector = roster.sector_of(a.name, a.org, m.date)
