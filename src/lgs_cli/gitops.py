"""Running ``git``: revision checks, the default base, and exporting an archive
as it was at a revision.

``git`` always runs through :func:`subprocess.run` with an argument list (never a
shell). A revision given by the user is checked *before* git sees it: it may not
start with ``-`` and must match :data:`SAFE_REV`; then
``git rev-parse --verify --end-of-options REV^{commit}`` turns it into a commit
id, and only that id is passed on to other git commands.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import GitError, UsageError

# Branch and tag names, hashes, HEAD~2, HEAD^, origin/main, @{u}, main@{1}.
SAFE_REV = re.compile(r"^[\w@][\w./@{}~^+-]{0,199}$")  # \w: also "rättelse-maj" (git allows å, ä, ö)
# Candidates for "the main branch", in order.
MAIN_BRANCHES = ("origin/HEAD", "main", "master", "origin/main", "origin/master")
# Only these files are taken from a revision: the roster and meeting files.
MAX_BLOB_BYTES = 4 * 1024 * 1024
GIT_TIMEOUT = 120


def validate_rev(rev: str, option: str = "REV") -> str:
    """Reject anything that is not plainly a revision name, before git runs."""
    if not rev or rev.startswith("-"):
        raise UsageError(f"'{rev}' is not a revision (a revision may not start with '-')", option=option)
    if not SAFE_REV.fullmatch(rev) or ".." in rev or rev.endswith((".", "/")) or "//" in rev:
        raise UsageError(
            f"'{rev}' is not a revision lgs accepts",
            option=option,
            hint="Give a branch, tag or commit: main, origin/main, v1.2, HEAD~1, 1a2b3c4.",
        )
    return rev


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "LANG": "C", "GIT_OPTIONAL_LOCKS": "0",
                "GIT_LITERAL_PATHSPECS": "1"})  # the archive folder is a path, never a pattern
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


def run_git(args: list[str], cwd: Path, *, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``git ARGS`` in ``cwd``; never through a shell. Does not raise on a non-zero exit."""
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=input,
            capture_output=True,
            env=_env(),
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed (or not on PATH)",
                       hint="Install git; lgs diff and lgs check --base need it.") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {args[0]} took longer than {GIT_TIMEOUT} s") from exc


def _message(proc: subprocess.CompletedProcess[bytes]) -> str:
    text = proc.stderr.decode("utf-8", "replace").strip() or proc.stdout.decode("utf-8", "replace").strip()
    if not text:
        return f"exit status {proc.returncode}"
    lines = text.splitlines()
    # git's reason is its "fatal:" line; what follows may be advice ("To add an exception …")
    return next((ln for ln in lines if ln.startswith(("fatal:", "error:"))), lines[-1])


def toplevel(path: Path) -> Path:
    """The top folder of the git work tree that holds ``path``."""
    proc = run_git(["rev-parse", "--show-toplevel"], path)
    if proc.returncode != 0:
        raise GitError(f"{path} is not inside a git repository ({_message(proc)})",
                       hint="lgs diff and lgs check --base compare git revisions of the archive.")
    return Path(proc.stdout.decode("utf-8", "surrogateescape").strip())


def resolve_commit(rev: str, repo: Path, option: str = "REV") -> str:
    """The full commit id of ``rev`` (validated first)."""
    validate_rev(rev, option)
    proc = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], repo)
    sha = proc.stdout.decode("ascii", "replace").strip()
    if proc.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", sha):
        raise UsageError(f"'{rev}' is not a commit in {repo}", option=option,
                         hint="'git branch -a' and 'git log --oneline' list what exists.")
    return sha


def try_commit(rev: str, repo: Path) -> str | None:
    """The commit id of ``rev``, or None when it is none (a repository without commits has no HEAD)."""
    try:
        return resolve_commit(rev, repo)
    except UsageError:
        return None


@dataclass(frozen=True, slots=True)
class Base:
    sha: str
    label: str  # how to describe it: "main", "merge base with origin/HEAD"


def default_base(repo: Path) -> Base:
    """The merge base of HEAD with the main branch (origin/HEAD, main, master …)."""
    head = try_commit("HEAD", repo)
    if head is None:
        raise GitError("the repository has no commits yet")
    unrelated: list[str] = []
    for name in MAIN_BRANCHES:
        branch = try_commit(name, repo)
        if branch is None:
            continue
        proc = run_git(["merge-base", head, branch], repo)
        sha = proc.stdout.decode("ascii", "replace").strip()
        if proc.returncode == 0 and sha:
            return Base(sha, f"merge base with {name}")
        unrelated.append(name)
    if unrelated:
        raise UsageError(f"HEAD has no merge base with {unrelated[0]} here (a shallow clone?)",
                         hint="Fetch the history (git fetch --unshallow; in CI: fetch-depth 0), "
                              "or give the base revision: lgs diff BASE.")
    raise UsageError("no main branch found (tried " + ", ".join(MAIN_BRANCHES) + ")",
                     hint="Give the base revision: lgs diff BASE.")


def merge_base(sha: str, other: str, repo: Path) -> str | None:
    """Where the histories of two commits met (``git merge-base``): a branch is
    compared with the point it left its target branch, not with what the target
    has gained since. None when there is none to be had (unrelated histories, a
    shallow clone)."""
    proc = run_git(["merge-base", "--end-of-options", sha, other], repo)
    found = proc.stdout.decode("ascii", "replace").strip()
    return found if proc.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", found) else None


def short(sha: str) -> str:
    return sha[:10]


def archive_subpath(archive_root: Path, repo: Path) -> str:
    """The archive's folder relative to the top of the repository ('' for the top itself)."""
    rel = os.path.relpath(archive_root.resolve(), repo.resolve())
    if rel == ".":
        return ""
    if rel.startswith(".."):
        raise GitError(f"the archive {archive_root} is not inside the git repository {repo}")
    return PurePosixPath(Path(rel).as_posix()).as_posix()


def _wanted(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1].lower()
    return name == "lgs.yaml" or name.endswith(".md")


EXPORTED_MTIME = 946684800  # 2000-01-01: the modification time of exported files


def export_archive(sha: str, repo: Path, subpath: str, dest: Path) -> Path:
    """Write the roster and meeting files of ``subpath`` at commit ``sha`` below
    ``dest`` and return the folder to load (``dest/subpath``; it exists even when
    the archive did not exist at that commit).

    A link (named as a meeting file or the roster) whose target, followed through
    the commit's tree, is a file inside the archive's folder is made a link to
    that file again (exported too, whatever its name): the revision is read by the
    rules of the working tree, where such a link is followed, and a meeting moved
    behind a link is still the same meeting, compared with its earlier text. Any
    other link is left out (as a link out of the archive is not followed), so no
    file outside ``dest`` is ever read through the export. Submodules are skipped,
    and no path written can leave ``dest``."""
    _resolved(sha)
    args = ["ls-tree", "-r", "-z", "-l", "--full-tree", sha]
    if subpath:
        args += ["--", subpath]
    proc = run_git(args, repo)
    if proc.returncode != 0:
        raise GitError(f"git ls-tree failed: {_message(proc)}")
    root = dest / subpath if subpath else dest
    root.mkdir(parents=True, exist_ok=True)
    prefix = subpath + "/" if subpath else ""
    files: dict[str, str] = {}  # path -> object of each regular file (of a size to read)
    link_objects: dict[str, str] = {}  # path -> object of each link
    for record in proc.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        parts = meta.split()
        if len(parts) != 4:
            continue
        mode, kind, obj, size = (p.decode("ascii", "replace") for p in parts)
        path = raw_path.decode("utf-8", "surrogateescape")
        if kind != "blob" or not path.startswith(prefix) or any(s in ("", ".", "..") for s in path.split("/")):
            continue
        if mode == "120000":
            link_objects[path] = obj
        elif mode in ("100644", "100755") and not (size.isdigit() and int(size) > MAX_BLOB_BYTES):
            files[path] = obj
    targets = dict(zip(link_objects, _blobs(repo, list(link_objects.values())), strict=True)) if link_objects else {}
    links: dict[str, str] = {}  # a link kept -> the file it ends at
    for path in link_objects:
        end = _link_end(path, targets, prefix)
        if _wanted(path) and end is not None and end in files:
            links[path] = end
    wanted = [p for p in files if _wanted(p)]
    wanted += sorted({end for end in links.values() if end not in wanted})
    dest_real = dest.resolve()
    for path, content in zip(wanted, _blobs(repo, [files[p] for p in wanted]), strict=True):
        target = dest / path
        if dest_real not in target.resolve().parents:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        # Not "modified just now": the cache may keep what it parses of these files
        # (found again by content in the next export; lgs_cli.cache).
        os.utime(target, (EXPORTED_MTIME, EXPORTED_MTIME))
    for path, end in links.items():  # after the files: nothing is written through a link
        link = dest / path
        parent = link.parent.resolve()
        if parent != dest_real and dest_real not in parent.parents:
            continue
        with contextlib.suppress(OSError):  # no links on this system: the file is missing, as before
            parent.mkdir(parents=True, exist_ok=True)
            if not os.path.lexists(parent / link.name):
                os.symlink(posixpath.relpath(end, posixpath.dirname(path) or "."), parent / link.name)
    return root


def _resolved(sha: str) -> None:
    if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", sha):
        raise UsageError(f"'{sha}' is not a resolved commit id")


def tree_paths(sha: str, repo: Path) -> list[str]:
    """Every file's path (relative to the top of the repository) at commit ``sha``."""
    _resolved(sha)
    proc = run_git(["ls-tree", "-r", "-z", "--name-only", "--full-tree", sha], repo)
    if proc.returncode != 0:
        raise GitError(f"git ls-tree failed: {_message(proc)}")
    return [raw.decode("utf-8", "surrogateescape") for raw in proc.stdout.split(b"\0") if raw]


def roster_folders(sha: str, repo: Path, paths: list[str] | None = None) -> list[str]:
    """The folders (relative to the top of the repository, '' for the top) that
    hold an ``lgs.yaml`` at commit ``sha``: the archives there. ``paths``: its
    :func:`tree_paths`, when they are at hand."""
    found = []
    for path in tree_paths(sha, repo) if paths is None else paths:
        if path == "lgs.yaml" or path.endswith("/lgs.yaml"):
            found.append(path[:-len("lgs.yaml")].rstrip("/"))
    return sorted(found)


MAX_LINK_HOPS = 8


def _link_end(path: str, targets: dict[str, bytes], prefix: str) -> str | None:
    """The path inside the archive's folder (``prefix``) that the link ``path`` ends
    at, through links of the same tree; None when it leaves the folder, is
    absolute, loops or goes on too long."""
    for _ in range(MAX_LINK_HOPS):
        raw = targets[path].decode("utf-8", "surrogateescape")
        if not raw or raw.startswith("/") or "\0" in raw or "\\" in raw:
            return None
        path = posixpath.normpath(posixpath.join(posixpath.dirname(path), raw))
        if path.startswith("../") or path == ".." or not path.startswith(prefix):
            return None
        if path not in targets:
            return path
    return None


def _blobs(repo: Path, objects: list[str]) -> list[bytes]:
    """The contents of these blobs, in order (one ``git cat-file --batch``)."""
    if not objects:
        return []
    batch = run_git(["cat-file", "--batch"], repo, input=b"".join(o.encode() + b"\n" for o in objects))
    if batch.returncode != 0:
        raise GitError(f"git cat-file failed: {_message(batch)}")
    data = batch.stdout
    out = []
    pos = 0
    for obj in objects:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        if len(header) != 3 or header[1] != b"blob":
            raise GitError(f"git cat-file: unexpected answer for {obj}")
        length = int(header[2])
        out.append(data[end + 1:end + 1 + length])
        pos = end + 1 + length + 1
    return out
