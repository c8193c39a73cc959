"""What a person sees of ``repokit ci``: state changes, not pip's output; failures in full."""

from __future__ import annotations

from pathlib import Path

from ci_project import ci, git, project, summary_row


def test_steps_output_goes_to_the_log_and_a_failed_steps_tail_to_the_terminal(
    tmp_path: Path,
) -> None:
    root = project(
        tmp_path,
        "jobs:\n"
        "  quiet:\n    steps:\n"
        "      - name: Chatty\n        run: for i in $(seq 1 500); do echo chatter $i; done\n"
        "  broken:\n    steps:\n"
        "      - name: Breaks\n"
        "        run: for i in $(seq 1 80); do echo detail $i; done; exit 4\n",
    )
    result = ci(root, verbose=False)
    assert result.returncode == 1
    out = result.stdout
    assert "chatter" not in out  # a passing step's output stays in its log
    (log,) = root.glob(".ci-artifacts/*/logs/quiet.log")
    assert "chatter 500" in log.read_text()
    lines = out.splitlines()
    assert "[quiet] step Chatty" in lines
    assert any(line.startswith("[quiet] Chatty: passed (") for line in lines)
    failed = next(i for i, line in enumerate(lines) if line.startswith("[broken] Breaks: failed"))
    assert "exit 4" in lines[failed] and "its last 50 line(s)" in lines[failed]
    assert lines[failed + 1 : failed + 51] == [f"[broken] detail {n}" for n in range(31, 81)]
    assert "[broken] detail 30" not in lines
    assert summary_row(out, "broken")[1] == "failed"


def test_independent_workflows_run_at_the_same_time(tmp_path: Path) -> None:
    """Two workflows a pull request starts: their jobs overlap, as two jobs of one would."""
    stamp = "python -c \"import time,sys; open(sys.argv[1],'w').write(repr(time.time()))\""
    job = (
        "jobs:\n  {name}:\n    steps:\n"
        f"      - run: {stamp} $STAMPS/{{name}}.start && sleep 1.5\n"
        f"          && {stamp} $STAMPS/{{name}}.end\n"
    )
    header = "on: pull_request\n"
    root = project(tmp_path / "p", job.format(name="first"), name="one.yml", header=header)
    (root / ".github/workflows/two.yml").write_text(header + job.format(name="second"))
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "second workflow")
    stamps = tmp_path / "stamps"
    stamps.mkdir()
    result = ci(root, workflow=None, verbose=False, env={"STAMPS": str(stamps)})
    assert result.returncode == 0, result.stdout + result.stderr

    def read(name: str) -> float:
        return float((stamps / name).read_text())

    assert read("first.start") < read("second.end") and read("second.start") < read("first.end")
    out = result.stdout
    assert "-> one/first: started" in out and "-> two/second: started" in out
    assert "[two/second] step run python" in out
    table = out[out.index("\njob ") :]
    assert table.index("\none.yml\n") < table.index("\nfirst ") < table.index("\ntwo.yml\n")
    assert "jobs: 2 passed, 0 failed, 0 partial, 0 skipped" in out
    assert len(list(root.glob(".ci-artifacts/*/logs/*.log"))) == 2  # a run folder each
