"""The console command leaves without freeing the loaded archive object by object
(``cli.main``: ``os._exit`` once the streams are flushed): exit codes, complete
output and a reader that goes away early must be exactly as before."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MINUTES, bench_generator, run_cli

MAIN = "import sys; sys.argv = ['lgs', *sys.argv[1:]]; from lgs_cli.entry import main; main()"


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    # PYTHONUNBUFFERED would write everything at once and hide what the last flush does
    full = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return {**full, "NO_COLOR": "1", "COLUMNS": "80", "LGS_ARCHIVE": "", **(extra or {})}


def lgs(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-c", MAIN, *args], capture_output=True, env=_env(env), check=False,
                          stdin=subprocess.DEVNULL)


@pytest.mark.parametrize(("args", "code"), [
    (("actions", "--open", "--today", "2026-01-01"), 0),
    (("decisions", "--format", "json"), 0),
    (("attendance", "--format", "csv"), 0),
    (("show", "1999-01-01"), 1),  # not found: a domain error
    (("actions", "--bogus"), 2),  # usage
    (("actions", "--format", "yaml"), 2),
])
def test_exit_codes_and_output_are_those_of_the_command(args: tuple[str, ...], code: int) -> None:
    proc = lgs(*args, "--archive", str(MINUTES))
    assert proc.returncode == code, proc.stderr
    inproc = run_cli(*args, "--archive", str(MINUTES))
    assert inproc.exit_code == code
    assert proc.stdout.decode("utf-8").replace("\r\n", "\n") == inproc.stdout.replace("\r\n", "\n")
    assert proc.stderr.decode("utf-8") == inproc.stderr


def test_check_findings_exit_1(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    meeting = root / "2025" / "2025-04-04.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("Ansvarig:", "Ansvarig: Okänd Person,", 1),
                       encoding="utf-8")
    proc = lgs("check", str(root))
    assert proc.returncode == 1, proc.stderr
    assert "Okänd Person" in (proc.stdout + proc.stderr).decode("utf-8")


def test_a_reader_that_goes_away_early() -> None:
    """`lgs decisions | head -1`: exit 0, nothing about a broken pipe."""
    proc = subprocess.Popen([sys.executable, "-c", MAIN, "decisions", "--archive", str(MINUTES)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), stdin=subprocess.DEVNULL)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert first.startswith(b"ID")
    assert b"Broken pipe" not in err and b"Exception ignored" not in err


def _many_findings(tmp_path: Path) -> Path:
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    actions = "".join(f"- [ ] **Åtgärd A{n}:** Något.\n  - Ansvarig: Okänd Person {n}\n\n" for n in range(1, 400))
    (root / "2026").mkdir()
    (root / "2026" / "2026-01-09.md").write_text(
        "---\ndate: 2026-01-09\nstatus: draft\nattendees: not-recorded\n---\n\n## 1. Ärende\n\n" + actions,
        encoding="utf-8")
    return root


def _closed_reader(args: list[str], *, both: bool) -> tuple[int, bytes]:
    """Run lgs with its stdout (and its stderr too, when ``both``: ``2>&1 | head -0``)
    going to a pipe whose reader has gone; the exit status and stderr."""
    read_fd, write_fd = os.pipe()
    os.close(read_fd)
    try:
        proc = subprocess.run([sys.executable, "-c", "import time; time.sleep(0.2)\n" + MAIN, *args],
                              stdout=write_fd, stderr=write_fd if both else subprocess.PIPE, env=_env(),
                              stdin=subprocess.DEVNULL, check=False)
    finally:
        os.close(write_fd)
    return proc.returncode, proc.stderr or b""


@pytest.mark.parametrize("both", [False, True])
def test_a_reader_gone_keeps_checks_verdict(tmp_path: Path, both: bool) -> None:
    """`lgs check | head -1` and `lgs check 2>&1 | head -1` (with pipefail, a CI
    gate): the output is cut short, the findings' exit status 1 is not lost."""
    root = _many_findings(tmp_path)
    code, err = _closed_reader(["check", str(root)], both=both)
    assert code == 1, err
    assert b"Traceback" not in err and b"Broken pipe" not in err
    code, err = _closed_reader(["check", str(MINUTES)], both=both)
    assert code == 0, err


@pytest.mark.parametrize(("args", "code"), [
    (["actions", "--since", "32 maj"], 2),  # a usage error said to a reader that went away is still one
    (["bogus"], 2),
    (["check", "/nonexistent/archive"], 2),
    (["show", "1999-01-01"], 1),
    (["actions"], 0),
])
def test_stderr_to_a_reader_gone_keeps_the_exit_status(args: list[str], code: int) -> None:
    got, err = _closed_reader([*args, "--archive", str(MINUTES)] if args[0] in ("actions", "show") else args, both=True)
    assert got == code


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [
    ("show", "2025-04-04"),  # more than a buffer: the command's own write fails
    ("show", "2025-04-04", "--format", "json"),
    ("meetings",),  # a few lines: only the last flush, before the fast exit, fails
])
def test_output_that_cannot_be_written_is_an_error(args: tuple[str, ...]) -> None:
    """A full disk: the output is lost, so the command must not say it succeeded."""
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-c", MAIN, *args, "--archive", str(MINUTES)], stdout=full,
                              stderr=subprocess.PIPE, env=_env(), stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == 74, proc.stderr
    assert b"lgs: cannot write: No space left on device" in proc.stderr
    assert b"Traceback" not in proc.stderr and b"internal error" not in proc.stderr


def test_a_closed_stdout_gives_no_traceback() -> None:
    proc = subprocess.run([sys.executable, "-c", "import os; os.close(1)\n" + MAIN, "show", "2025-04-04",
                           "--archive", str(MINUTES)], stderr=subprocess.PIPE, env=_env(),
                          stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode != 0
    assert b"Traceback" not in proc.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [("--help",), ("-h",), ("--version",), ("schema",), ("check", "--help")])
@pytest.mark.parametrize("unbuffered", [False, True])
def test_help_and_version_on_a_full_disk(args: tuple[str, ...], unbuffered: bool, tmp_path: Path) -> None:
    env = _env({"LGS_CACHE_DIR": str(tmp_path / "cache")})
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    for _ in range(2):  # the help from Typer, then from its saved copy
        with open("/dev/full", "wb") as full:
            proc = subprocess.run([sys.executable, "-c", MAIN, *args], stdout=full, stderr=subprocess.PIPE,
                                  env=env, stdin=subprocess.DEVNULL, check=False)
        assert proc.returncode == 74, proc.stderr
        assert proc.stderr == b"lgs: cannot write: No space left on device\n"


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("actions",), ("schema",), ("check", "--help")])
def test_started_with_stdout_closed(args: tuple[str, ...]) -> None:
    """`lgs actions >&-`: the output cannot be written (74), no internal error."""
    proc = subprocess.run([sys.executable, "-c", "import sys; sys.stdout = None\n" + MAIN, *args,
                           *(["--archive", str(MINUTES)] if args == ("actions",) else [])],
                          stderr=subprocess.PIPE, env=_env(), stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == 74, proc.stderr
    assert proc.stderr == b"lgs: cannot write: the standard output is closed\n"


@pytest.mark.parametrize(("args", "code"), [(("bogus",), 2), (("check", str(MINUTES)), 0)])
def test_stdout_closed_but_nothing_to_write(args: tuple[str, ...], code: int) -> None:
    """A usage error (stderr only) is still 2; a command that writes nothing to stdout succeeds."""
    proc = subprocess.run([sys.executable, "-c", "import sys; sys.stdout = None\n" + MAIN, *args],
                          stderr=subprocess.PIPE, env=_env(), stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == code, proc.stderr
    assert b"Traceback" not in proc.stderr


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("schema",)])
def test_a_reader_that_reads_nothing(args: tuple[str, ...]) -> None:
    """`lgs --version | head -0`: exit 0, nothing on stderr."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.3)\n" + MAIN, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env({"PYTHONUNBUFFERED": "1"}),
                            stdin=subprocess.DEVNULL)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0, err
    assert err == b""


@pytest.mark.skipif(sys.platform != "linux", reason="file names of any bytes: Linux")
def test_every_json_is_valid_utf8_json_without_raw_bidi_or_control_characters(tmp_path: Path) -> None:
    """A file name that is not UTF-8 and bidi characters in names reach `check`'s
    JSON as \\u escapes, as every listing's: UTF-8 that a JSON reader takes, and
    nothing a terminal would act on."""
    import json

    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    meeting = root / "2025" / "2025-12-05.md"
    meeting.write_text(meeting.read_text(encoding="utf-8")
                       + "\n## 99. Extra\n\n- [ ] **Åtgärd A99:** Text.\n  - Ansvarig: Evil\u202eKorp\n",
                       encoding="utf-8")
    with open(os.path.join(os.fsencode(root / "2025"), b"2026-01-09\xff.md"), "wb") as fh:
        fh.write(b"---\ndate: 2026-01-09\n---\n")
    for args in (("check", str(root), "-f", "json"), ("meetings", "-a", str(root), "-f", "json")):
        out = lgs(*args).stdout
        assert b"\xe2\x80\xae" not in out and b"\xff" not in out, args
        found = json.dumps(json.loads(out), ensure_ascii=False)  # bytes: must be UTF-8
        assert "2026-01-09\udcff.md" in found
        assert args[0] != "check" or "Evil\u202eKorp" in found


def test_ctrl_c_while_starting_says_interrupted(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C while Typer and lgs are still being imported (before the command's own
    handler is in place) is "Interrupted." and 130, not a traceback."""
    from lgs_cli import entry

    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(entry, "_main", interrupted)
    with pytest.raises(SystemExit) as raised:
        entry.main()
    assert raised.value.code == 130 and capsys.readouterr().err == "Interrupted.\n"


@pytest.mark.skipif(sys.platform != "linux", reason="signals and fork: Linux")
def test_sigterm_leaves_no_half_written_store(tmp_path: Path) -> None:
    """Ended by SIGTERM (`timeout`, a cancelled CI job) while it parses, lgs unwinds
    as for Ctrl-C: no half-written store is left in the cache, no process behind."""
    import signal
    import time

    from conftest import ROOT

    archive = tmp_path / "gen"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "600", str(archive)], check=True,
                   capture_output=True)
    cache = tmp_path / "cache"
    proc = subprocess.Popen([sys.executable, "-c", MAIN, "actions", "--all", "--archive", str(archive)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=_env({"LGS_CACHE_DIR": str(cache)}), stdin=subprocess.DEVNULL)
    time.sleep(0.25)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode in (0, 128 + signal.SIGTERM), err
    assert b"Traceback" not in err
    leftovers = [p.name for p in (cache / "archives").glob("*")] if (cache / "archives").exists() else []
    assert not [n for n in leftovers if n.startswith(".tmp")], leftovers


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_check_with_nothing_to_write_succeeds_on_a_full_disk() -> None:
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-c", MAIN, "check", str(MINUTES)], stdout=full,
                              stderr=subprocess.PIPE, env=_env(), stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize(("words", "offered"), [
    ("lgs actions -f ", ["table", "json", "csv", "markdown"]),
    ("lgs check --format ", ["text", "github", "json"]),
    ("lgs show latest --format ", ["text", "markdown", "json"]),
    ("lgs diff --format m", ["markdown"]),
])
def test_every_format_option_completes_its_values(words: str, offered: list[str]) -> None:
    parts = words.split(" ")  # a trailing space: the word being completed is empty
    env = {"_LGS_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    proc = subprocess.run([sys.executable, "-c", MAIN], capture_output=True, env=_env(env), check=False, timeout=60)
    assert proc.stdout.decode().split() == offered, proc.stderr


def _install(home: Path, shell: str) -> subprocess.CompletedProcess[bytes]:
    env = {"HOME": str(home), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}  # (the shell is then named)
    return lgs("--install-completion", shell, env=env)


def test_install_completion_keeps_every_byte_of_the_start_up_file(tmp_path: Path) -> None:
    rc = tmp_path / "dotfiles" / "bashrc"
    rc.parent.mkdir()
    original = b"alias ll='ls -l'\n# \xe5\xe4\xf6 in Latin-1, no final newline"
    rc.write_bytes(original)
    (tmp_path / ".bashrc").symlink_to(rc)  # a start-up file kept elsewhere: the link stays
    first = _install(tmp_path, "bash")
    assert first.returncode == 0, first.stderr
    script = tmp_path / ".bash_completions" / "lgs.sh"
    assert rc.read_bytes() == original + f"\nsource '{script}'\n".encode()
    assert (tmp_path / ".bashrc").is_symlink() and "_LGS_COMPLETE" in script.read_text(encoding="utf-8")
    again = _install(tmp_path, "bash")
    assert again.returncode == 0 and rc.read_bytes() == original + f"\nsource '{script}'\n".encode()
    assert sorted(p.name for p in rc.parent.iterdir()) == ["bashrc"]  # no temporary file left


def test_install_completion_where_it_cannot_write_says_so(tmp_path: Path) -> None:
    (tmp_path / ".zshrc").mkdir()  # not a file
    result = _install(tmp_path, "zsh")
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert b"cannot add completion to" in result.stderr and b".zshrc: it is not a regular file" in result.stderr
    fish = _install(tmp_path, "fish")
    assert fish.returncode == 0 and (tmp_path / ".config" / "fish" / "completions" / "lgs.fish").is_file()


def test_install_completion_leaves_a_read_only_start_up_file_and_needs_a_home(tmp_path: Path) -> None:
    rc = tmp_path / ".bashrc"
    rc.write_text("alias ll='ls -l'\n", encoding="utf-8")
    rc.chmod(0o444)
    try:
        refused = _install(tmp_path, "bash")
        assert refused.returncode == 1 and b"it is read-only" in refused.stderr
        assert rc.read_text(encoding="utf-8") == "alias ll='ls -l'\n"
    finally:
        rc.chmod(0o644)
    nowhere = lgs("--install-completion", "bash", env={"HOME": "", "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert nowhere.returncode == 2 and b"no home folder" in nowhere.stderr and b"Traceback" not in nowhere.stderr


@pytest.mark.parametrize(("args", "code"), [
    (("check", str(MINUTES)), 0),
    (("meetings", "--archive", str(MINUTES)), 0),
    (("actions", "--owner", "Ulrika", "--archive", str(MINUTES)), 2),  # ambiguous: a usage error still
])
def test_a_closed_standard_error_keeps_the_exit_status(args: tuple[str, ...], code: int) -> None:
    """Started with stderr closed (`lgs check 2>&-`): Python has no sys.stderr; the
    messages go nowhere and the exit status is the command's, not 1."""
    proc = subprocess.run([sys.executable, "-c", MAIN, *args], stdout=subprocess.DEVNULL, env=_env(),
                          preexec_fn=lambda: os.close(2), check=False, timeout=120)
    assert proc.returncode == code


def test_install_completion_again_with_a_read_only_start_up_file_that_has_the_line(tmp_path: Path) -> None:
    assert _install(tmp_path, "bash").returncode == 0
    rc = tmp_path / ".bashrc"
    rc.chmod(0o444)
    try:
        again = _install(tmp_path, "bash")
        assert again.returncode == 0, again.stderr  # nothing to add
    finally:
        rc.chmod(0o644)
    zdot = tmp_path / "zdot"
    zdot.mkdir()
    env = {"HOME": str(tmp_path), "ZDOTDIR": str(zdot), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    assert lgs("--install-completion", "zsh", env=env).returncode == 0
    assert (zdot / ".zshrc").is_file() and not (tmp_path / ".zshrc").exists()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_full_standard_error_keeps_the_exit_status() -> None:
    with open("/dev/full", "w") as full:
        clean = subprocess.run([sys.executable, "-c", MAIN, "check", str(MINUTES)], stdout=subprocess.DEVNULL,
                               stderr=full, env=_env(), check=False, timeout=120)
        listed = subprocess.run([sys.executable, "-c", MAIN, "actions", "--archive", str(MINUTES)],
                                stdout=subprocess.DEVNULL, stderr=full, env=_env(), check=False, timeout=120)
    assert clean.returncode == 0 and listed.returncode == 0


def test_an_output_that_cannot_hold_unicode_gets_escapes_not_an_internal_error() -> None:
    """PYTHONIOENCODING=ascii (or latin-1): every command still works; JSON uses its
    own escapes, CSV has no byte-order mark, tables are drawn in ASCII."""
    archive = ("--archive", str(MINUTES))
    for encoding in ("ascii", "latin-1"):
        env = {"PYTHONIOENCODING": encoding}
        every: list[tuple[str, ...]] = [("actions",), ("decisions", "-f", "markdown"), ("attendance",),
                                         ("show", "latest"), ("check",), ("meetings",)]
        for args in every:
            result = lgs(*args, *archive, env=env)
            assert result.returncode == 0, (encoding, args, result.stderr)
            assert (result.stdout or args == ("check",)) and b"internal error" not in result.stderr
            result.stdout.decode(encoding)  # only what the encoding holds
        data = json.loads(lgs("actions", *archive, "-f", "json", env=env).stdout.decode(encoding))
        assert any("ö" in a["text"] for a in data)  # escaped in the JSON, the same text when read
        for args in (("show", "2025-04-04", "-f", "json", *archive), ("check", str(MINUTES), "-f", "json"),
                     ("schema",)):  # every JSON lgs writes
            written = lgs(*args, env=env).stdout
            assert written.isascii() and json.loads(written) == json.loads(lgs(*args).stdout), args
        csv_out = lgs("actions", *archive, "-f", "csv", env=env).stdout
        assert csv_out.startswith(b"ID,")
    table = lgs("actions", *archive, env={"PYTHONIOENCODING": "ascii"}).stdout.decode("ascii")
    assert "\n" + "-" * 80 + "\n" in table and "Ordf\\xf6ringarna" in table


def test_arguments_in_a_c_locale_are_read_as_utf8(tmp_path: Path) -> None:
    env = {"PYTHONUTF8": "0", "LC_ALL": "C", "LANG": "C"}
    named = tmp_path / "arkiv_å"  # a path stays as the file system names it
    shutil.copytree(MINUTES, named)
    for args in (("check", str(named)), ("meetings", f"--archive={named}"), ("meetings", "-a", str(named))):
        result = lgs(*args, env=env)
        assert result.returncode == 0, (args, result.stderr)
    found = lgs("decisions", "--search", "våld", "--archive", str(MINUTES), "-f", "json", env=env)
    assert found.returncode == 0, found.stderr
    assert len(json.loads(found.stdout)) == 2
    owner = lgs("actions", "--owner", "Ulrika Boström", "--archive", str(MINUTES), env=env)
    assert owner.returncode == 0 and b"not a person" not in owner.stderr, owner.stderr


def test_a_non_blocking_output_with_a_slow_reader_loses_nothing(tmp_path: Path) -> None:
    """A standard output the caller left non-blocking (O_NONBLOCK on a shared pipe)
    and a reader that starts late: every byte arrives, as with a blocking one."""
    root = tmp_path / "big"
    bench_generator().generate(150, root, seed=5)
    args = ("actions", "--all", "--format", "json", "--archive", str(root))
    expected = lgs(*args).stdout
    assert len(expected) > 200_000  # more than a pipe holds
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    proc = subprocess.Popen([sys.executable, "-c", MAIN, *args], stdout=write_fd, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, env=_env())
    time.sleep(1.0)  # the pipe fills before anything is read
    got = b""
    while len(got) < len(expected) and (chunk := os.read(read_fd, 1 << 16)):
        got += chunk
    assert proc.wait(timeout=120) == 0
    assert got == expected
    assert not os.get_blocking(write_fd)  # left as the caller had it (the flag is shared)
    os.close(write_fd)
    os.close(read_fd)


_LOST_SIGNAL = """\
import os, signal, sys, weakref
sys.argv = ['lgs', 'meetings', '--archive', sys.argv[1]]
from lgs_cli import cli
run = cli.app
class Thing: pass
def app(**kw):
    thing = Thing()
    ref = weakref.ref(thing, lambda _: os.kill(os.getpid(), signal.SIGTERM))
    del thing  # the handler runs in the weak reference's callback, where its SystemExit is ignored
    run(**kw)
cli.app = app
cli.main()
"""


def test_a_termination_whose_exit_was_lost_in_a_callback_still_ends_with_its_status() -> None:
    proc = subprocess.run([sys.executable, "-c", _LOST_SIGNAL, str(MINUTES)], capture_output=True, env=_env(),
                          check=False, stdin=subprocess.DEVNULL)
    assert b"Exception ignored" in proc.stderr  # (the case this is about)
    assert proc.returncode == 128 + 15


def test_completion_with_a_broken_environment_prints_nothing() -> None:
    for extra in ({"_LGS_COMPLETE": "complete_bash"},
                  {"_LGS_COMPLETE": "complete_bash", "COMP_WORDS": "lgs act", "COMP_CWORD": "x"}):
        proc = lgs(env=extra)
        assert (proc.returncode, proc.stdout, proc.stderr) == (1, b"", b""), extra
    ok = lgs(env={"_LGS_COMPLETE": "complete_bash", "COMP_WORDS": "lgs act", "COMP_CWORD": "1"})
    assert ok.returncode == 0 and ok.stdout.split() == [b"actions"]


def test_show_completion_prints_the_script_or_says_the_shell_has_none() -> None:
    env = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}  # (the shell is then named)
    for shell in ("bash", "zsh", "fish"):
        shown = lgs("--show-completion", shell, env=env)
        assert shown.returncode == 0 and b"_LGS_COMPLETE" in shown.stdout and shown.stdout.endswith(b"\n")
    # run from sh (found as the shell lgs runs in): "; exit" keeps sh from replacing itself with lgs
    refused = subprocess.run(["sh", "-c", '"$0" -c "$1" --show-completion; exit $?', sys.executable, MAIN],
                             capture_output=True, env=_env({"SHELL": "/bin/sh"}), check=False,
                             stdin=subprocess.DEVNULL)
    assert refused.returncode == 2 and refused.stdout == b"", refused.stderr
    assert b"Error: Invalid value for --show-completion: 'sh' is a shell lgs has no completion for" in refused.stderr
    assert b"Hint: " in refused.stderr
