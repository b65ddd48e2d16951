"""git-based review against real temporary repositories: lgs check --base,
lgs diff, and revision validation."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, run_cli
from lgs_cli import gitops
from lgs_cli.errors import UsageError

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

COMMON = FIXTURES / "check" / "common"
TODAY = ["--today", "2024-06-01"]

FOLLOW_UPS = """\
---
date: 2024-02-02
status: draft
secretary: [Cecilia Carlsson]
attendees:
  - Anna Andersson, Alvesta
  - Bertil Berg, Växjö
  - Cecilia Carlsson, RGK
---

## 1. Uppföljning av åtgärder

- [x] **Uppföljning 2024-01-12-A1:** Kommunerna har svarat.
  - Status: klar
- [x] **Uppföljning 2024-01-12-A2:** Behövs inte längre.
  - Status: struken
"""


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return proc.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with the check fixtures' archive in minutes/, committed on main,
    and a feature branch checked out."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.invalid")
    git(root, "config", "commit.gpgsign", "false")
    git(root, "config", "core.autocrlf", "false")
    shutil.copytree(COMMON, root / "minutes")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    return root


def commit(repo: Path, message: str = "change") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def approved(repo: Path) -> Path:
    return repo / "minutes" / "2024" / "2024-01-12.md"


def check(repo: Path, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    return check_at(repo / "minutes", *extra)


def check_at(root: Path, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli("check", str(root), "--format", "json", *TODAY, *extra)
    assert result.exit_code in (0, 1), result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return result.exit_code, findings


# -- revisions are validated before git runs -----------------------------------------------

@pytest.mark.parametrize("rev", ["-rf", "--output=/tmp/x", "-", "", "a..b", "main;rm -rf /", "HEAD:secret",
                                 "a b", "$(touch x)", "`x`", "main\n", "ref\\x", "x" * 300, "main/",
                                 "main\u202e", "å\x00"])
def test_bad_revisions_are_rejected_before_git_runs(rev: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def no_git(*args: object, **kwargs: object) -> None:
        raise AssertionError("git must not run")

    monkeypatch.setattr(subprocess, "run", no_git)  # (what gitops runs git with)
    with pytest.raises(UsageError):
        gitops.resolve_commit(rev, tmp_path)


@pytest.mark.parametrize("rev", ["main", "origin/main", "HEAD~2", "HEAD^", "v1.0", "@{u}", "main@{1}",
                                 "1a2b3c4", "feature/x-y_z", "rättelse-maj", "protokoll/2026-05-justering"])
def test_plain_revisions_pass_validation(rev: str) -> None:
    assert gitops.validate_rev(rev) == rev


def test_option_like_revision_is_refused_by_the_cli(repo: Path) -> None:
    result = run_cli("check", str(repo / "minutes"), "--base=--output=x")
    assert result.exit_code == 2 and "may not start with '-'" in result.stderr
    assert not (repo / "x").exists()
    result = run_cli("diff", "--archive", str(repo / "minutes"), "--", "-p")
    assert result.exit_code == 2


def test_unknown_revision_and_no_repository_are_usage_errors(repo: Path, tmp_path: Path) -> None:
    result = run_cli("check", str(repo / "minutes"), "--base", "nosuch")
    assert result.exit_code == 2 and "not a commit" in result.stderr
    plain = tmp_path / "plain"
    shutil.copytree(COMMON, plain)
    result = run_cli("check", str(plain), "--base", "main")
    assert result.exit_code == 2 and "not inside a git repository" in result.stderr
    assert run_cli("diff", "--archive", str(plain)).exit_code == 2


# -- lgs check --base: the record is protected -----------------------------------------------

def test_unchanged_archive_passes_with_base(repo: Path) -> None:
    assert check(repo, "--base", "main") == (0, [])


def test_every_place_an_approved_meeting_changed_is_named(repo: Path) -> None:
    """A quietly moved deadline below a changed sentence is named too, not only the
    first change; a line removed at the end as well."""
    path = approved(repo)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[23] = lines[23] + " Ändrat."
    lines[29] = lines[29] + " Också ändrat."
    del lines[-2]
    path.write_text("\n".join(lines), encoding="utf-8")
    code, findings = check(repo, "--base", "main")
    assert code == 1, findings
    (f,) = [f for f in findings if f["code"] == "LGS302"]
    assert f["line"] == 24
    assert "first change on line 24, also lines 30, " in str(f["message"]), f["message"]
    # refused for the approval itself: the other edits are named too
    lines[6] = "approved_by: Anna Andersson"
    path.write_text("\n".join(lines), encoding="utf-8")
    (f,) = [f for f in check(repo, "--base", "main")[1] if f["code"] == "LGS302"]
    assert f["line"] == 7 and "approved_by changed, also lines 24, 30, " in str(f["message"]), f["message"]


def test_editing_an_approved_meeting_fails_with_base(repo: Path) -> None:
    path = approved(repo)
    path.write_text(path.read_text(encoding="utf-8").replace("Dagordningen godkänns.", "Dagordningen ändras."),
                    encoding="utf-8")
    code, findings = check(repo, "--base", "main")
    assert code == 1
    (f,) = findings
    assert f["code"] == "LGS302" and f["line"] == 24 and str(f["file"]).endswith("minutes/2024/2024-01-12.md")
    assert "changed since main (" in str(f["message"]) and "first change on line 24," in str(f["message"])
    assert "also line" not in str(f["message"])
    assert check(repo) == (0, [])  # without --base the edit is not visible
    commit(repo)
    assert check(repo, "--base", "main")[0] == 1  # committed on the branch: still a change against main
    assert check(repo, "--base", "HEAD")[0] == 0


CORRECTION = "corrections:\n  - {date: 2024-02-01, by: Bertil Berg, note: Stavfel i punkt 1 rättat.}\n"


def test_a_recorded_correction_allows_the_change(repo: Path) -> None:
    path = approved(repo)
    text = path.read_text(encoding="utf-8").replace("Dagordningen godkänns.", "Dagordningen godkänns!")
    path.write_text(text.replace("attendees:", CORRECTION + "attendees:"), encoding="utf-8")
    assert check(repo, "--base", "main") == (0, [])
    commit(repo, "correction")
    # a second change needs a second correction; editing the first one is not allowed
    git(repo, "checkout", "-q", "-b", "again")
    edited = path.read_text(encoding="utf-8").replace("Stavfel i punkt 1", "Stavfel")
    path.write_text(edited, encoding="utf-8")
    code, findings = check(repo, "--base", "feature")
    assert code == 1 and "earlier correction was changed" in str(findings[0]["message"])
    # a new one may not be dated before the one before it
    backdated = text.replace("attendees:", CORRECTION + "  - {date: 2024-01-31, by: Bertil Berg, note: Ett "
                             "namn rättat.}\nattendees:").replace("godkänns!", "godkänns!!")
    path.write_text(backdated, encoding="utf-8")
    code, findings = check(repo, "--base", "feature")
    assert code == 1 and "before the approval or an earlier correction (2024-02-01)" in str(findings[0]["message"])


def test_a_correction_merged_without_its_note_can_be_completed(repo: Path) -> None:
    """A correction that reached main without 'note' (a direct push) fails every
    check (LGS004): completing it, in a change with a correction of its own, is
    allowed; changing what it says is not."""
    path = approved(repo)
    bare = "corrections:\n  - {date: 2024-02-01, by: Bertil Berg}\n"
    path.write_text(path.read_text(encoding="utf-8").replace("attendees:", bare + "attendees:"), encoding="utf-8")
    commit(repo, "a correction without its note")
    git(repo, "checkout", "-q", "-b", "mend")
    mended = ("corrections:\n  - {date: 2024-02-01, by: Bertil Berg, note: Stavfel i punkt 1 rättat.}\n"
              "  - {date: 2024-02-02, by: Bertil Berg, note: Rättelsen ovan kompletterad med vad som rättades.}\n")
    path.write_text(path.read_text(encoding="utf-8").replace(bare, mended), encoding="utf-8")
    assert check(repo, "--base", "feature") == (0, [])
    changed = mended.replace("{date: 2024-02-01, by: Bertil Berg", "{date: 2024-02-01, by: Anna Andersson")
    path.write_text(path.read_text(encoding="utf-8").replace(mended, changed), encoding="utf-8")
    code, findings = check(repo, "--base", "feature")
    assert code == 1 and "earlier correction was changed" in str(findings[0]["message"])


@pytest.mark.parametrize("correction, reason", [
    ("corrections:\n  - {date: 2024-02-01, by: Bertil Berg}\n", "needs 'note'"),
    ("corrections:\n  - {date: 2024-01-15, by: Bertil Berg, note: Stavfel}\n", "before the approval"),
    ("corrections:\n  - {date: 2030-01-01, by: Bertil Berg, note: Stavfel}\n", "in the future"),
    ("corrections:\n  - {date: 2024-02-01, by: not-recorded, note: Stavfel}\n", "not 'not-recorded'"),
    ("corrections:\n  - {date: 2024-02-01, by: Bertil Berg, note: .}\n", "says what was corrected"),
])
def test_an_incomplete_correction_does_not(repo: Path, correction: str, reason: str) -> None:
    path = approved(repo)
    text = path.read_text(encoding="utf-8").replace("Dagordningen godkänns.", "Dagordningen godkänns!")
    path.write_text(text.replace("attendees:", correction + "attendees:"), encoding="utf-8")
    code, findings = check(repo, "--base", "main")
    assert code == 1
    assert [f["code"] for f in findings if f["code"] == "LGS302"] == ["LGS302"]
    assert reason in str(next(f for f in findings if f["code"] == "LGS302")["message"])
    assert not [f for f in findings if f["code"] == "LGS016"]  # said once, by the error


def test_an_earlier_correction_s_warning_stays_beside_the_error_about_a_new_one(repo: Path) -> None:
    path = approved(repo)
    text = path.read_text(encoding="utf-8")
    bare = "corrections:\n  - {date: 2024-02-01, by: Bertil Berg}\n"
    path.write_text(text.replace("attendees:", bare + "attendees:"), encoding="utf-8")
    commit(repo, "a correction merged without its note")
    git(repo, "branch", "-f", "main")
    text = path.read_text(encoding="utf-8").replace("Dagordningen godkänns.", "Dagordningen godkänns!")
    path.write_text(text.replace(bare, bare + "  - {date: 2024-02-02, note: Utropstecken.}\n"), encoding="utf-8")
    code, findings = check(repo, "--base", "main")
    assert code == 1
    assert sorted((f["code"], str(f["message"])[:13]) for f in findings if f["code"] in ("LGS016", "LGS302")) == [
        ("LGS016", "correction 1 "), ("LGS302", "the approved ")]
    new_one = next(f for f in findings if "the new correction needs 'by'" in str(f["message"]))
    assert str(new_one["hint"]).startswith("Mend the new entry")  # not "record it as a correction": it is one


def test_status_change_of_approved_minutes_fails_even_with_a_correction(repo: Path) -> None:
    path = approved(repo)
    text = path.read_text(encoding="utf-8").replace("status: approved", "status: draft")
    path.write_text(text.replace("attendees:", CORRECTION + "attendees:"), encoding="utf-8")
    code, findings = check(repo, "--base", "main")
    assert code == 1 and any(f["code"] == "LGS302" and "status changed" in str(f["message"]) for f in findings)
    hint = next(str(f["hint"]) for f in findings if f["code"] == "LGS302")
    assert "with or without a correction" in hint and "record it as a correction" not in hint


def _unapproved_is_one_change_where_the_archive_was(root: Path) -> None:
    """Turn the approved meeting back into a draft in the moved archive ``root``: one
    LGS302, compared with the base's archive where it was (minutes/)."""
    path = root / "2024" / "2024-01-12.md"
    path.write_text(path.read_text(encoding="utf-8").replace("status: approved", "status: draft"), encoding="utf-8")
    result = run_cli("check", str(root), "--base", "main", "--format", "json", *TODAY)
    findings = json.loads(result.stdout)["findings"]
    assert result.exit_code == 1 and [f["code"] for f in findings] == ["LGS302"]
    assert "where the archive is minutes" in str(findings[0]["message"])


@pytest.mark.parametrize("how", ["folder", "link"])
def test_approved_minutes_stay_a_record_when_the_archive_moves(repo: Path, how: str) -> None:
    """The base revision's one archive is compared with the head's wherever each
    is: moving the archive (a folder renamed, or the old name made a link to the
    new one) does not hide a change or a removal of approved minutes."""
    if how == "folder":
        git(repo, "mv", "minutes", "protokoll")
        root = repo / "protokoll"
    else:
        git(repo, "mv", "minutes", "protokoll")
        os.symlink("protokoll", repo / "minutes")
        root = repo / "minutes"
    assert run_cli("check", str(root), "--base", "main", *TODAY).exit_code == 0  # a move alone changes nothing
    _unapproved_is_one_change_where_the_archive_was(root)


def test_the_moved_archive_is_found_among_several_of_the_base(repo: Path) -> None:
    """The base has a second archive (an example): moving the archive compares the
    base archive that is gone from where it was, not the example that is still
    there (copying the example's files in does not make it the one compared)."""
    (repo / "exempel" / "2022").mkdir(parents=True)
    shutil.copy(repo / "minutes" / "lgs.yaml", repo / "exempel" / "lgs.yaml")
    example = approved(repo).read_text(encoding="utf-8").replace("2024-01-12", "2022-05-06")
    (repo / "exempel" / "2022" / "2022-05-06.md").write_text(example, encoding="utf-8")
    git(repo, "checkout", "-q", "main")
    commit(repo, "an example archive")
    git(repo, "checkout", "-q", "-b", "moved")
    git(repo, "mv", "minutes", "protokoll")
    root = repo / "protokoll"
    (root / "2022").mkdir()
    shutil.copy(repo / "exempel" / "2022" / "2022-05-06.md", root / "2022" / "2022-05-06.md")
    _unapproved_is_one_change_where_the_archive_was(root)
    diff = run_cli("diff", "main", "--archive", str(root)).stdout
    assert "Meetings added (1)" in diff  # the example's copy; none of the moved ones
    # a new archive beside the example: nothing of the example is compared with it
    git(repo, "checkout", "-q", "-f", "main")
    new = repo / "nytt"
    new.mkdir()
    shutil.copy(repo / "minutes" / "lgs.yaml", new / "lgs.yaml")
    assert check_at(new, "--base", "main") == (0, [])


def test_several_archives_gone_and_none_that_holds_these_files_cannot_be_compared(repo: Path) -> None:
    (repo / "exempel").mkdir()
    shutil.copy(repo / "minutes" / "lgs.yaml", repo / "exempel" / "lgs.yaml")
    git(repo, "checkout", "-q", "main")
    commit(repo, "an example archive")
    git(repo, "checkout", "-q", "-b", "moved")
    git(repo, "mv", "minutes", "protokoll")
    git(repo, "rm", "-q", "-r", "exempel")
    root = repo / "protokoll"
    assert run_cli("check", str(root), "--base", "main", *TODAY).exit_code == 0  # the moved one is found
    for p in root.rglob("*.md"):  # none of the base's meeting files where they were: which archive was it?
        p.rename(p.with_name("x" + p.name))
    result = run_cli("check", str(root), "--base", "main", *TODAY)
    assert result.exit_code == 2 and "cannot tell which one to compare" in result.stderr


def test_the_record_rules_cannot_be_switched_off(repo: Path) -> None:
    """The change under review cannot turn off (or down) the check of itself."""
    path = approved(repo)
    path.write_text(path.read_text(encoding="utf-8").replace("status: approved", "status: draft"), encoding="utf-8")
    with (repo / "minutes" / "lgs.yaml").open("a", encoding="utf-8") as fh:
        fh.write("rules:\n  LGS302: off\n  LGS303: warning\n  LGS304: off\n")
    code, findings = check(repo, "--base", "main")
    assert code == 1
    assert sorted((f["code"], f["severity"]) for f in findings) == [
        ("LGS302", "error"), ("LGS401", "error"), ("LGS401", "error")]
    diff = run_cli("diff", "main", "--archive", str(repo / "minutes")).stdout
    assert "Roster (lgs.yaml) (1)\n  rule LGS304: default -> off" in diff


def test_removing_an_approved_meeting_fails(repo: Path) -> None:
    approved(repo).unlink()
    code, findings = check(repo, "--base", "main")
    assert code == 1
    (f,) = findings
    assert f["code"] == "LGS303" and f["line"] is None and str(f["file"]).endswith("2024/2024-01-12.md")


def test_moving_or_converting_line_endings_is_not_a_change(repo: Path) -> None:
    path = approved(repo)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert check(repo, "--base", "main") == (0, [])
    (repo / "minutes" / "arkiv").mkdir()
    git(repo, "mv", "minutes/2024/2024-01-12.md", "minutes/arkiv/2024-01-12.md")
    assert check(repo, "--base", "main") == (0, [])


def test_drafts_may_change(repo: Path) -> None:
    draft = repo / "minutes" / "2024" / "2024-02-02.md"
    draft.write_text(FOLLOW_UPS, encoding="utf-8")
    commit(repo, "draft")
    draft.write_text(FOLLOW_UPS.replace("Kommunerna har svarat.", "Alla har svarat."), encoding="utf-8")
    assert check(repo, "--base", "HEAD") == (0, [])


def test_github_format_with_base(repo: Path) -> None:
    approved(repo).unlink()
    result = run_cli("check", str(repo / "minutes"), "--base", "main", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=") and ",title=LGS303::" in result.stdout


# -- export: only regular files, never outside the temporary folder --------------------------

def test_export_keeps_links_inside_the_archive_and_nothing_else(repo: Path, tmp_path: Path) -> None:
    """A link is exported when it ends, through the commit's tree, at a file inside
    the archive's folder (that file too, whatever its name): a link to itself of the
    same text, relative. Links out of the archive (absolute, or up and out), loops
    and links to links out are left out: nothing outside the export is ever read."""
    minutes = repo / "minutes"
    (minutes / ".store").mkdir()
    (minutes / ".store" / "kept.txt").write_text("---\ndate: 2024-03-01\n---\n", encoding="utf-8")
    os.symlink("../.store/kept.txt", minutes / "2024" / "2024-03-01.md")
    os.symlink("2024-03-01.md", minutes / "2024" / "2024-03-02.md")  # a link to a link inside
    os.symlink("/etc/hostname", minutes / "2024" / "absolute.md")
    os.symlink("../../elsewhere.md", minutes / "2024" / "up-and-out.md")
    os.symlink("loop.md", minutes / "2024" / "loop.md")
    os.symlink("/etc/passwd", minutes / ".store" / "out")
    os.symlink("../.store/out", minutes / "2024" / "via-link.md")
    (repo / "elsewhere.md").write_text("not part of the archive", encoding="utf-8")
    commit(repo, "links")
    sha = gitops.resolve_commit("HEAD", repo)
    dest = tmp_path / "export"
    folder = gitops.export_archive(sha, repo, "minutes", dest)
    found = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file() or p.is_symlink())
    assert folder == dest / "minutes"
    assert found == ["minutes/.store/kept.txt", "minutes/2024/2024-01-12.md", "minutes/2024/2024-03-01.md",
                     "minutes/2024/2024-03-02.md", "minutes/lgs.yaml"]
    assert os.readlink(folder / "2024" / "2024-03-01.md") == "../.store/kept.txt"
    assert os.readlink(folder / "2024" / "2024-03-02.md") == "../.store/kept.txt"
    assert (folder / "2024" / "2024-03-02.md").read_text(encoding="utf-8").startswith("---\ndate: 2024-03-01")


def test_a_roster_linked_out_of_the_archive_is_not_read(repo: Path, tmp_path: Path) -> None:
    """Neither in the working tree nor in an exported revision: a commit cannot make
    lgs read a file elsewhere on the machine as its roster."""
    outside = tmp_path / "secret.yaml"
    outside.write_text("people:\n  - name: Anna Andersson\n    api_token: hemligt\n", encoding="utf-8")
    roster = repo / "minutes" / "lgs.yaml"
    roster.unlink()
    os.symlink(outside, roster)
    code, findings = check(repo)
    assert code == 1 and [(f["code"], "outside the archive" in str(f["message"])) for f in findings
                          if f["code"] == "LGS401"] == [("LGS401", True)]
    assert not any("api_token" in str(f["message"]) for f in findings)
    commit(repo, "roster linked out")
    sha = gitops.resolve_commit("HEAD", repo)
    folder = gitops.export_archive(sha, repo, "minutes", tmp_path / "export")
    assert not os.path.lexists(folder / "lgs.yaml")


def test_approved_minutes_moved_behind_a_link_stay_a_record(repo: Path) -> None:
    """Moving approved minutes behind a link (the same text) is no change; editing
    them through the link's target afterwards is one (LGS302), as it would be
    without the link: the base revision's link is read as the working tree's is."""
    path = approved(repo)
    store = repo / "minutes" / ".store"
    store.mkdir()
    git(repo, "mv", str(path), str(store / path.name))
    os.symlink(f"../.store/{path.name}", path)
    assert check(repo, "--base", "main") == (0, [])
    commit(repo, "behind a link")
    git(repo, "branch", "-f", "main", "HEAD")  # merged
    target = store / path.name
    target.write_text(target.read_text(encoding="utf-8").replace("Dagordningen godkänns.", "Dagordningen ändras."),
                      encoding="utf-8")
    code, findings = check(repo, "--base", "main")
    assert code == 1 and [f["code"] for f in findings] == ["LGS302"]
    assert str(findings[0]["file"]).endswith("minutes/2024/2024-01-12.md")


def test_approved_minutes_moved_behind_a_link_to_a_file_of_another_name_stay_a_record(repo: Path) -> None:
    path = approved(repo)
    store = repo / "minutes" / ".store"
    store.mkdir()
    git(repo, "mv", str(path), str(store / "2024-01-12.txt"))
    os.symlink("../.store/2024-01-12.txt", path)
    assert check(repo, "--base", "main") == (0, [])
    commit(repo, "behind a link")
    git(repo, "branch", "-f", "main", "HEAD")
    target = store / "2024-01-12.txt"
    target.write_text(target.read_text(encoding="utf-8").replace("Dagordningen godkänns.", "Dagordningen ändras."),
                      encoding="utf-8")
    code, findings = check(repo, "--base", "main")
    assert code == 1 and [f["code"] for f in findings] == ["LGS302"]


# -- lgs diff ----------------------------------------------------------------------------------

def diff_json(repo: Path, *args: str) -> dict[str, list[dict[str, Any]]]:
    result = run_cli("diff", *args, "--archive", str(repo / "minutes"), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    return {key: rows for key, rows in data["changes"].items() if rows}


def test_diff_of_a_branch_that_adds_a_meeting_and_closes_two_actions(repo: Path) -> None:
    (repo / "minutes" / "2024" / "2024-02-02.md").write_text(FOLLOW_UPS, encoding="utf-8")
    commit(repo, "new meeting")
    changes = diff_json(repo)  # default: merge base with main .. working tree
    assert set(changes) == {"meetings_added", "actions_closed"}
    (added,) = changes["meetings_added"]
    assert added["date"] == "2024-02-02" and added["status"] == "draft" and added["followups"] == 2
    assert [(c["id"], c["status"], c["closed_at"]) for c in changes["actions_closed"]] == [
        ("2024-01-12-A1", "done", "2024-02-02"), ("2024-01-12-A2", "dropped", "2024-02-02")]
    assert diff_json(repo, "main", "feature") == changes
    text = run_cli("diff", "main", "--archive", str(repo / "minutes"))
    assert text.exit_code == 0
    assert text.stdout.splitlines()[0].startswith("Changes to the record: main (")
    assert text.stdout.splitlines()[1:] == [
        "",
        "Meetings added (1)",
        "  2024-02-02 (draft): 1 item, 0 decisions, 0 actions, 2 follow-ups, 3 attendees",
        "",
        "Actions closed (2)",
        "  2024-01-12-A1 Kommunerna återkommer med svar. -- done at 2024-02-02 (Kommunerna har svarat.)",
        "  2024-01-12-A2 Regionen tar fram underlag. -- dropped at 2024-02-02 (Behövs inte längre.)",
    ]
    assert "3 change(s) to the record." in text.stderr
    md = run_cli("diff", "main", "--archive", str(repo / "minutes"), "--format", "markdown").stdout
    assert "**Actions closed (2)**" in md and "- `2024-01-12-A1` Kommunerna återkommer med svar. — done" in md


def test_diff_without_changes(repo: Path) -> None:
    result = run_cli("diff", "--archive", str(repo / "minutes"))
    assert result.exit_code == 0 and "No changes to the record." in result.stdout
    assert diff_json(repo) == {}
    # a checkout with CRLF line endings (core.autocrlf) and a byte-order mark changes nothing either
    for path in (repo / "minutes" / "lgs.yaml", approved(repo)):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert diff_json(repo) == {}


def test_diff_reports_reassigned_redated_attendance_decisions_and_approval(repo: Path) -> None:
    meeting = repo / "minutes" / "2024" / "2024-02-02.md"
    meeting.write_text(FOLLOW_UPS, encoding="utf-8")
    commit(repo, "draft")
    git(repo, "checkout", "-q", "-b", "review")
    text = FOLLOW_UPS.replace("status: draft", "status: approved\napproved_by: Bertil Berg\n"
                              "approved_on: 2024-02-09\njusterare: [Bertil Berg]")
    text = text.replace("  - Cecilia Carlsson, RGK\n", "  - Cecilia Carlsson, RGK\n  - Ulrika Ek, Ljungby\n")
    text = text.replace("- [x] **Uppföljning 2024-01-12-A2:** Behövs inte längre.\n  - Status: struken\n",
                        "- [ ] **Uppföljning 2024-01-12-A2:** Pågår.\n  - Status: kvarstår\n"
                        "  - Ansvarig: Anna Andersson\n  - Senast: 2024-04\n\n"
                        "- **Beslut B1:** Ett nytt beslut.\n  - Ansvarig: AU\n  - Avser: 2024-01-12-U1\n")
    meeting.write_text(text, encoding="utf-8")
    base = approved(repo)
    base.write_text(base.read_text(encoding="utf-8").replace("Dagordningen godkänns.", "Dagordningen godkänd."),
                    encoding="utf-8")
    changes = diff_json(repo, "feature")
    assert set(changes) == {"meetings_changed", "decisions_added", "decisions_changed", "actions_reopened",
                            "actions_reassigned", "actions_redated", "deferred_settled", "attendance"}
    changed = {c["date"]: c["changes"] for c in changes["meetings_changed"]}
    assert changed["2024-02-02"][0] == "status draft -> approved (approved by Bertil Berg on 2024-02-09)"
    assert changed["2024-01-12"] == ["text edited"]
    assert changes["actions_reassigned"] == [{"id": "2024-01-12-A2", "text": "Regionen tar fram underlag.",
                                              "from": ["Cecilia Carlsson"], "to": ["Anna Andersson"]}]
    assert [(c["from"], c["to"]) for c in changes["actions_redated"]] == [("2024-03", "2024-04")]
    assert [c["id"] for c in changes["actions_reopened"]] == ["2024-01-12-A2"]
    assert changes["attendance"] == [{"date": "2024-02-02", "added": ["Ulrika Ek"], "removed": [], "now_absent": [],
                                      "organisation_changed": [], "list": None}]
    assert [(c["id"], c["settled_by"]) for c in changes["deferred_settled"]] == [("2024-01-12-U1", "2024-02-02-B1")]
    assert [c["id"] for c in changes["decisions_changed"]] == ["2024-01-12-B1"]
    # and the protection: the approved 2024-01-12 changed against main
    assert [f["code"] for f in check(repo, "--base", "main")[1]] == ["LGS302"]


def test_diff_reports_deferred_matters_re_dated_and_re_assigned_and_attendance_moves(repo: Path) -> None:
    meeting = repo / "minutes" / "2024" / "2024-02-02.md"
    meeting.write_text(FOLLOW_UPS, encoding="utf-8")
    commit(repo, "draft")
    git(repo, "checkout", "-q", "-b", "review")
    text = FOLLOW_UPS.replace("  - Bertil Berg, Växjö\n", "  - Bertil Berg, Ljungby\n")
    text = text.replace("  - Anna Andersson, Alvesta\n", "").replace("---\n\n", "absent:\n  - Anna Andersson, Alvesta\n"
                                                                      "---\n\n", 1)
    text += ("\n- [ ] **Uppföljning 2024-01-12-U1:** Tas i maj i stället.\n  - Status: kvarstår\n"
             "  - Senast: 2024-05\n  - Ansvarig: AU\n")
    meeting.write_text(text, encoding="utf-8")
    changes = diff_json(repo, "feature")
    assert [(c["id"], c["from"], c["to"]) for c in changes["deferred_redated"]] == [("2024-01-12-U1", "2024-06",
                                                                                     "2024-05")]
    assert [(c["id"], c["to"]) for c in changes["deferred_reassigned"]] == [("2024-01-12-U1", ["AU"])]
    (att,) = changes["attendance"]
    assert (att["removed"], att["now_absent"]) == (["Anna Andersson"], ["Anna Andersson"])
    assert att["organisation_changed"] == [{"name": "Bertil Berg", "from": "Växjö", "to": "Ljungby"}]
    out = run_cli("diff", "feature", "--archive", str(repo / "minutes")).stdout
    assert "2024-01-12-U1 Beslut om årshjulet tas i juni. -- to 2024-06 -> 2024-05" in out
    assert "removed Anna Andersson (now absent); organisation Bertil Berg: Växjö -> Ljungby" in out


def test_diff_markdown_is_inert(repo: Path) -> None:
    text = FOLLOW_UPS.replace("Kommunerna har svarat.", "Se [länk](http://x) <img src=x> @someone **fet**")
    text = text.replace("Behövs inte längre.", "https://evil.example/a _www.evil.example &#64;octocat")
    (repo / "minutes" / "2024" / "2024-02-02.md").write_text(text, encoding="utf-8")
    md = run_cli("diff", "main", "--archive", str(repo / "minutes"), "--format", "markdown").stdout
    assert r"Se \[länk\](http\://x) \<img src=x\> \@someone \*\*fet\*\*" in md
    # no link, HTML, mention, entity or URL that GitHub would make a link of
    assert r"https\://evil.example/a \_www\.evil.example \&#64;octocat" in md
    assert not re.search(r"(?<!\\)[\[<@&]|(?<!\\)://|(?<!\\)www\.", md.split("Actions closed", 1)[1])


def test_diff_json_escapes_bidi_and_control_characters(repo: Path) -> None:
    text = FOLLOW_UPS.replace("Kommunerna har svarat.", "Svar \u202eevil\x1b[31m")
    (repo / "minutes" / "2024" / "2024-02-02.md").write_text(text, encoding="utf-8")
    out = run_cli("diff", "main", "--archive", str(repo / "minutes"), "--format", "json").stdout
    assert "\u202e" not in out and "\x1b" not in out
    assert "Svar \u202eevil" in json.dumps(json.loads(out), ensure_ascii=False)


def test_diff_markdown_hides_confidential_text_unless_asked(repo: Path) -> None:
    secret = (FOLLOW_UPS.rstrip("\n") + "\n\n## 2. Personalärende {konfidentiellt}\n\n"
              "- [ ] **Åtgärd A1:** HEMLIG åtgärd om person X.\n  - Ansvarig: AU\n\n"
              "## 3. Övrigt\n\n<!-- konfidentiellt -->\n- **Beslut B1:** HEMLIGT beslut Y.\n"
              "  - Ansvarig: AU\n<!-- /konfidentiellt -->\n")
    (repo / "minutes" / "2024" / "2024-02-02.md").write_text(secret, encoding="utf-8")
    args = ("diff", "main", "--archive", str(repo / "minutes"))
    md = run_cli(*args, "--format", "markdown")
    assert md.exit_code == 0, md.stderr
    assert "HEMLIG" not in md.stdout and "`2024-02-02-A1` (konfidentiellt)" in md.stdout
    assert "`2024-02-02-B1` (konfidentiellt)" in md.stdout
    assert "HEMLIG åtgärd" in run_cli(*args, "--format", "markdown", "--no-public").stdout
    assert "HEMLIGT beslut" in run_cli(*args).stdout  # text for the reviewer's own terminal
    assert "HEMLIG" not in run_cli(*args, "--public").stdout


def test_default_base_needs_a_main_branch(repo: Path) -> None:
    git(repo, "branch", "-m", "main", "trunk")
    result = run_cli("diff", "--archive", str(repo / "minutes"))
    assert result.exit_code == 2 and "no main branch found" in result.stderr
    assert run_cli("diff", "trunk", "--archive", str(repo / "minutes")).exit_code == 0


def test_revisions_share_one_cache_found_by_content(repo: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`--base` exports the revision to a new temporary folder on every run: its
    files are cached under one name for the archive's revisions and found again by
    their content, so a second run parses none of them and no store piles up."""
    from lgs_cli import archive as archive_mod

    cache = tmp_path / "cache"
    monkeypatch.setenv("LGS_CACHE_DIR", str(cache))
    for path in (repo / "minutes").rglob("*"):
        os.utime(path, (1_600_000_000, 1_600_000_000))  # the working tree: old enough to cache too
    first = check(repo, "--base", "main")
    parsed: list[str] = []
    real = archive_mod.parse_meeting_file

    def spy(path: Path, relpath: str, digest: list[bytes] | None = None) -> object:
        parsed.append(str(path))
        return real(path, relpath, digest)

    monkeypatch.setattr(archive_mod, "parse_meeting_file", spy)
    stores = sorted(p.name for p in (cache / "archives").glob("*.cache"))
    assert len(stores) == 2  # the working tree's, and the revisions'
    for _ in range(2):
        assert check(repo, "--base", "main") == first
        assert parsed == []
        assert sorted(p.name for p in (cache / "archives").glob("*.cache")) == stores


def test_diff_says_when_the_roster_or_a_meeting_cannot_be_read(repo: Path) -> None:
    """A roster that cannot be read is not compared as if every person were removed,
    and files that are no meetings at a revision are named on stderr."""
    with (repo / "minutes" / "lgs.yaml").open("a", encoding="utf-8") as fh:
        fh.write("people: [\n")
    (repo / "minutes" / "2024" / "2024-05-03.md").write_bytes("---\ndate: 2024-05-03\n".encode("utf-16"))
    result = run_cli("diff", "main", "--archive", str(repo / "minutes"))
    assert result.exit_code == 0, result.stderr
    assert "lgs.yaml: cannot be read at the head" in result.stdout and "removed" not in result.stdout
    assert "Note: 1 file(s) at the working tree could not be read as meetings: 2024/2024-05-03.md" in result.stderr
    # and in the PR comment, which is what reviewers read
    comment = run_cli("diff", "main", "--archive", str(repo / "minutes"), "--format", "markdown").stdout
    assert "> **Not compared:** 1 file(s) could not be read as meetings and are not compared: 2024/2024-05-03.md" \
        in comment
    data = json.loads(run_cli("diff", "main", "--archive", str(repo / "minutes"), "--format", "json").stdout)
    assert data["unreadable"] == ["2024/2024-05-03.md"]
    assert "Not compared: 1 file(s)" in run_cli("diff", "main", "--archive", str(repo / "minutes")).stdout


def test_diff_names_owners_as_the_roster_does(repo: Path) -> None:
    """A follow-up that names the owner by an alias ("RGK" for Region Kronoberg) is
    no re-assignment: each revision's owners as its roster names them."""
    folder = repo / "minutes" / "2024"
    head = "---\ndate: {0}\nstatus: draft\nsecretary: not-recorded\nattendees: not-recorded\n---\n\n## 1. Punkt\n\n"
    (folder / "2024-06-07.md").write_text(
        head.format("2024-06-07") + "- [ ] **Åtgärd A1:** Regionen återkommer.\n  - Ansvarig: Region Kronoberg\n",
        encoding="utf-8")
    commit(repo, "an action")
    git(repo, "checkout", "-q", "-b", "followup")
    (folder / "2024-07-05.md").write_text(
        head.format("2024-07-05") + "- [ ] **Uppföljning 2024-06-07-A1:** Pågår.\n  - Status: kvarstår\n"
        "  - Ansvarig: RGK\n", encoding="utf-8")
    data = json.loads(run_cli("diff", "feature", "--archive", str(repo / "minutes"), "-f", "json").stdout)
    assert data["changes"]["actions_reassigned"] == []
    assert [c["id"] for c in data["changes"]["actions_carried"]] == ["2024-06-07-A1"]


def test_a_correction_merged_without_a_date_can_be_completed_with_a_valid_one(repo: Path) -> None:
    path = approved(repo)
    bare = "corrections:\n  - {by: Bertil Berg, note: Stavfel i punkt 1 rättat.}\n"
    path.write_text(path.read_text(encoding="utf-8").replace("attendees:", bare + "attendees:"), encoding="utf-8")
    commit(repo, "a correction without its date")
    git(repo, "checkout", "-q", "-b", "mend")
    extra = "  - {date: 2024-02-03, by: Bertil Berg, note: Datum för rättelsen ovan tillagt.}\n"
    for date, ok in (("2024-02-02", True), ("2030-01-01", False)):
        mended = bare.replace("{by:", f"{{date: {date}, by:") + extra
        text = path.read_text(encoding="utf-8")
        start = text.index("corrections:\n")
        end = text.index("attendees:")
        path.write_text(text[:start] + mended + text[end:], encoding="utf-8")
        code, findings = check(repo, "--base", "feature")
        assert (code == 0) == ok, findings
        assert ok or "the completed correction is dated in the future" in str(findings[0]["message"])


def test_a_roster_change_alone_re_assigns_nothing(repo: Path) -> None:
    """A person added to the roster can make a short name ambiguous: owners are
    compared as the head's roster names them on both sides."""
    folder = repo / "minutes" / "2024"
    (folder / "2024-06-07.md").write_text(
        "---\ndate: 2024-06-07\nstatus: draft\nsecretary: not-recorded\nattendees: not-recorded\n---\n\n"
        "## 1. Punkt\n\n- [ ] **Åtgärd A1:** Något.\n  - Ansvarig: Bertil\n", encoding="utf-8")
    commit(repo, "an action")
    git(repo, "checkout", "-q", "-b", "roster")
    with (repo / "minutes" / "lgs.yaml").open("a", encoding="utf-8") as fh:
        fh.write("")
    text = (repo / "minutes" / "lgs.yaml").read_text(encoding="utf-8")
    (repo / "minutes" / "lgs.yaml").write_text(text.replace("people:\n", "people:\n  - name: Bertil Nilsson\n", 1),
                                                encoding="utf-8")
    data = json.loads(run_cli("diff", "feature", "--archive", str(repo / "minutes"), "-f", "json").stdout)
    assert data["changes"]["actions_reassigned"] == [] and data["changes"]["roster"]


def test_diff_says_a_roster_linked_out_cannot_be_read(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((repo / "minutes" / "lgs.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (repo / "minutes" / "lgs.yaml").unlink()
    os.symlink(outside, repo / "minutes" / "lgs.yaml")
    out = run_cli("diff", "main", "--archive", str(repo / "minutes")).stdout
    assert "lgs.yaml: cannot be read at the head" in out and "removed" not in out


def test_a_branch_behind_its_target_is_compared_with_where_it_left_it(repo: Path) -> None:
    """Minutes approved on main after a branch left it are no change the branch
    makes: --base and diff compare with the merge base, not main's tip."""
    minutes = repo / "minutes"
    git(repo, "checkout", "-q", "main")
    (minutes / "2024" / "2024-02-02.md").write_text(FOLLOW_UPS, encoding="utf-8")
    commit(repo, "draft of 2024-02-02")
    git(repo, "checkout", "-q", "-b", "next")
    (minutes / "2024" / "2024-03-01.md").write_text(
        FOLLOW_UPS.replace("2024-02-02", "2024-03-01").split("## 1.")[0] + "## 1. Öppnande\n\nText.\n",
        encoding="utf-8")
    commit(repo, "draft of 2024-03-01")
    git(repo, "checkout", "-q", "main")
    approved_run = run_cli("approve", "2024-02-02", "--by", "Bertil Berg", "--on", "2024-02-09",
                           "--archive", str(minutes), "--today", "2024-02-09")
    assert approved_run.exit_code == 0, approved_run.stderr
    commit(repo, "justering of 2024-02-02")
    git(repo, "checkout", "-q", "next")  # behind main: 2024-02-02 is a draft here
    code, findings = check(repo, "--base", "main")
    assert (code, [f["code"] for f in findings if f["code"].startswith("LGS30")]) == (0, [])
    assert set(diff_json(repo, "main")) == {"meetings_added"}
    assert set(diff_json(repo, "main", "next")) == {"meetings_added"}
    text = run_cli("diff", "main", "--archive", str(minutes)).stdout
    assert f"{gitops.short(git(repo, 'merge-base', 'main', 'next'))} (where HEAD left main)" in text
    approved(repo).write_text(approved(repo).read_text(encoding="utf-8").replace("godkänns.", "ändras."),
                              encoding="utf-8")
    code, findings = check(repo, "--base", "main")  # approved where the branch left main: still a record
    assert code == 1 and [f["code"] for f in findings if f["code"].startswith("LGS30")] == ["LGS302"]
    git(repo, "checkout", "-q", "--", ".")
    # approved on main after the branch left it, and changed by the branch: merged, the change would land
    # in approved minutes unchecked
    draft = minutes / "2024" / "2024-02-02.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("Kommunerna har svarat.", "Alla har svarat."),
                     encoding="utf-8")
    code, findings = check(repo, "--base", "main")
    assert code == 1 and [(f["code"], f["file"].endswith("2024-02-02.md")) for f in findings
                          if f["code"].startswith("LGS30")] == [("LGS302", True)]
    assert "were approved on main (" in str(findings[0]["message"]) and "after this branch left it" in str(
        findings[0]["message"])
    draft.unlink()
    code, findings = check(repo, "--base", "main")
    assert code == 1 and [f["code"] for f in findings if f["code"].startswith("LGS30")] == ["LGS303"]
    git(repo, "checkout", "-q", "--", ".")
    (minutes / "arkiv").mkdir()
    draft.rename(minutes / "arkiv" / draft.name)  # moved by the branch, not changed: git merges it cleanly
    code, findings = check(repo, "--base", "main")
    assert [f["code"] for f in findings if f["code"].startswith("LGS30")] == [], findings
    (minutes / "arkiv" / draft.name).rename(draft)
    same = run_cli("approve", "2024-02-02", "--by", "Bertil Berg", "--on", "2024-02-09", "--archive", str(minutes),
                   "--today", "2024-02-09")  # approved on the branch as on main: the same file
    assert same.exit_code == 0, same.stderr
    code, findings = check(repo, "--base", "main")
    assert [f["code"] for f in findings if f["code"].startswith("LGS30")] == [], findings
    # a shallow clone has no merge base: main itself is compared, and stderr says so
    git(repo, "checkout", "-q", "--", ".")
    shallow = repo.parent / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-single-branch", "--branch", "next",
                    f"file://{repo}", str(shallow)], check=True, capture_output=True)
    result = run_cli("check", str(shallow / "minutes"), "--base", "origin/main", *TODAY)
    assert result.exit_code == 1 and "LGS302" in result.stdout and "status changed to 'draft'" in result.stdout
    assert "have no merge base here (a shallow clone?)" in result.stderr
    git(shallow, "remote", "set-head", "origin", "-d")  # the default base: origin/main, unrelated here
    default = run_cli("diff", "--archive", str(shallow / "minutes"))
    assert default.exit_code == 2 and "no merge base with origin/main here (a shallow clone?)" in default.stderr


def test_a_branch_named_with_swedish_letters_is_a_base(repo: Path) -> None:
    git(repo, "branch", "rättelse-maj", "main")
    code, findings = check(repo, "--base", "rättelse-maj")
    assert code == 0 and not findings


def test_git_s_reason_is_told_not_its_advice() -> None:
    proc = subprocess.CompletedProcess(["git"], 128, b"", (
        b"fatal: detected dubious ownership in repository at '/srv/minutes'\n"
        b"To add an exception for this directory, call:\n\n\tgit config --global --add safe.directory /srv/minutes\n"))
    assert gitops._message(proc) == "fatal: detected dubious ownership in repository at '/srv/minutes'"


def test_a_tmpdir_inside_the_archive_holds_no_minutes_lgs_reads(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    inside = repo / "minutes" / "tmp"
    inside.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(inside))
    leftover = inside / ".lgs-rev-killed" / "2024"  # what a run killed with SIGKILL leaves behind
    leftover.mkdir(parents=True)
    shutil.copy(approved(repo), leftover / approved(repo).name)
    code, findings = check(repo, "--base", "main")
    assert code == 0 and not findings  # neither the export nor the leftover is a second 2024-01-12
    assert [p.name for p in inside.iterdir()] == [".lgs-rev-killed"]  # the export was removed


def test_diff_counts_deputies_in_the_attendance(repo: Path) -> None:
    meeting = repo / "minutes" / "2024" / "2024-02-02.md"
    meeting.write_text(FOLLOW_UPS.replace("---\n\n", "deputies:\n  - {name: Anna Andersson, org: Växjö, for: Bertil Berg}"
                                                    "\n---\n\n", 1).replace("  - Anna Andersson, Alvesta\n", ""),
                       encoding="utf-8")
    commit(repo, "draft with a deputy")
    text = meeting.read_text(encoding="utf-8").replace("org: Växjö, for", "org: Alvesta, for")
    meeting.write_text(text.replace("  - Cecilia Carlsson, RGK\n", ""), encoding="utf-8")
    (att,) = diff_json(repo, "HEAD")["attendance"]
    assert att["organisation_changed"] == [{"name": "Anna Andersson", "from": "Växjö", "to": "Alvesta"}]
    assert att["removed"] == ["Cecilia Carlsson"]


def test_diff_markdown_publishes_no_text_behind_inline_confidential_markers(repo: Path) -> None:
    from test_public import LEAKS

    (repo / "minutes" / "2024" / "2024-02-02.md").write_text(
        FOLLOW_UPS.split("## 1.")[0] + "## 1. Ärende\n\n" + LEAKS, encoding="utf-8")
    out = run_cli("diff", "main", "--archive", str(repo / "minutes"), "--format", "markdown").stdout
    assert "Decisions added" in out and "HEMLIG" not in out


def test_diff_shows_a_new_action_as_the_change_leaves_it(repo: Path) -> None:
    """An action raised and re-assigned / re-dated in the same change: the PR
    comment shows the owner and due date it has now, not those it was raised with."""
    (repo / "minutes" / "2024" / "2024-02-02.md").write_text(FOLLOW_UPS + (
        "\n## 2. Nytt\n\n- [ ] **Åtgärd A1:** Anna tar fram underlag.\n  - Ansvarig: Anna Andersson\n"
        "  - Senast: 2024-03\n\n- **Uppskjutet U1:** Budgeten.\n  - Till: 2024-03\n"), encoding="utf-8")
    (repo / "minutes" / "2024" / "2024-03-01.md").write_text(FOLLOW_UPS.replace("2024-02-02", "2024-03-01").split(
        "## 1.")[0] + (
        "## 1. Uppföljning\n\n- [ ] **Uppföljning 2024-02-02-A1:** Bertil tar över.\n  - Status: kvarstår\n"
        "  - Ansvarig: Bertil Berg\n  - Senast: 2024-04\n\n"
        "- [ ] **Uppföljning 2024-02-02-U1:** Till april.\n  - Status: kvarstår\n  - Senast: 2024-04\n"),
        encoding="utf-8")
    changes = diff_json(repo)
    assert [(r["id"], r["owners"], r["due"]) for r in changes["actions_opened"]] == [
        ("2024-02-02-A1", ["Bertil Berg"], "2024-04")]
    assert [(r["id"], r["to"]) for r in changes["deferred_added"]] == [("2024-02-02-U1", "2024-04")]


def test_diff_does_not_call_a_meeting_that_cannot_be_read_now_removed(repo: Path) -> None:
    (repo / "minutes" / "2024" / "2024-01-12.md").write_text("status approved\n", encoding="utf-8")
    result = run_cli("diff", "main", "--archive", str(repo / "minutes"))
    assert result.exit_code == 0, result.stderr
    assert "Not compared: 1 file(s) could not be read as meetings and are not compared: 2024/2024-01-12.md" \
        in result.stdout.replace("\n", " ")
    assert "removed" not in result.stdout.lower(), result.stdout


def test_diff_shows_a_due_date_written_in_words(repo: Path) -> None:
    (repo / "minutes" / "2024" / "2024-02-02.md").write_text(FOLLOW_UPS + (
        "\n## 2. Nytt\n\n- [ ] **Åtgärd A1:** Anna tar fram underlag.\n  - Ansvarig: Anna Andersson\n"
        "  - Senast: innan sommaren\n\n- **Uppskjutet U1:** Budgeten.\n  - Till: när budgeten är klar\n"),
        encoding="utf-8")
    changes = diff_json(repo)
    assert [(r["due"], r["due_written"]) for r in changes["actions_opened"]] == [(None, "innan sommaren")]
    assert [(r["to"], r["to_written"]) for r in changes["deferred_added"]] == [(None, "när budgeten är klar")]
    text = run_cli("diff", "main", "--archive", str(repo / "minutes")).stdout
    assert "owner Anna Andersson, due innan sommaren (no date)" in text
    assert "-- to när budgeten är klar (no date)" in text


def test_diff_says_when_a_change_makes_confidential_text_public(repo: Path) -> None:
    secret = (FOLLOW_UPS.rstrip("\n") + "\n\n## 2. Personalärende {konfidentiellt}\n\n"
              "- [ ] **Åtgärd A1:** HEMLIG åtgärd om person X.\n  - Ansvarig: AU\n\n"
              "## 3. Övrigt\n\n<!-- konfidentiellt -->\n- **Beslut B1:** HEMLIGT beslut Y.\n"
              "  - Ansvarig: AU\n<!-- /konfidentiellt -->\n")
    path = repo / "minutes" / "2024" / "2024-02-02.md"
    path.write_text(secret, encoding="utf-8")
    commit(repo, "secret")
    git(repo, "checkout", "-q", "-b", "declassify")
    path.write_text(secret.replace(" {konfidentiellt}", "").replace("<!-- konfidentiellt -->\n", "")
                    .replace("<!-- /konfidentiellt -->\n", ""), encoding="utf-8")
    (changed,) = diff_json(repo, "feature")["meetings_changed"]
    assert "no longer confidential: item 2" in changed["changes"]
    assert "no longer confidential: 2024-02-02-A1, 2024-02-02-B1" in changed["changes"]


def test_diff_with_its_revisions_swapped_says_so(repo: Path) -> None:
    (repo / "minutes" / "2024" / "2024-02-02.md").write_text(FOLLOW_UPS, encoding="utf-8")
    commit(repo, "new meeting")
    swapped = run_cli("diff", "HEAD", "HEAD~1", "--archive", str(repo / "minutes"))
    assert swapped.exit_code == 0 and "No changes to the record." in swapped.stdout
    assert "Note: HEAD~1 is behind HEAD: it holds nothing HEAD has not." in swapped.stderr
    assert "lgs diff HEAD~1 HEAD" in swapped.stderr
    right = run_cli("diff", "HEAD~1", "HEAD", "--archive", str(repo / "minutes"))
    assert "behind" not in right.stderr and "Meetings added (1)" in right.stdout


def test_diff_shows_a_due_date_re_dated_in_words(repo: Path) -> None:
    path = repo / "minutes" / "2024" / "2024-02-02.md"
    path.write_text(FOLLOW_UPS + "\n## 2. Nytt\n\n- [ ] **Åtgärd A1:** Underlag.\n  - Ansvarig: Anna Andersson\n"
                    "  - Senast: 2024-03\n", encoding="utf-8")
    commit(repo, "raised")
    git(repo, "checkout", "-q", "-b", "redate")
    (repo / "minutes" / "2024" / "2024-03-01.md").write_text(FOLLOW_UPS.replace("2024-02-02", "2024-03-01").split(
        "## 1.")[0] + "## 1. Uppföljning\n\n- [ ] **Uppföljning 2024-02-02-A1:** Senare.\n  - Status: kvarstår\n"
        "  - Senast: efter sommaren\n", encoding="utf-8")
    (row,) = diff_json(repo, "feature")["actions_redated"]
    assert (row["from"], row["to"]) == ("2024-03", "efter sommaren (no date)")
