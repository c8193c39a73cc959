"""``hynek/build-and-inspect-python-package``, mirrored whole: build, check, describe, upload.

As the action does: it builds the sdist and a wheel from it (``SOURCE_DATE_EPOCH`` from the
last commit), uploads them as ``Packages``, lints the wheel with check-wheel-contents, runs
``twine check --strict``, reads the metadata (the sdist's ``PKG-INFO``, else the wheel's
``METADATA``) for its outputs, uploads it as ``Package Metadata`` and the PyPI README as
``PyPI README``, which fails, as on GitHub, unless the README is Markdown or reStructuredText.
Only the provenance attestation (``attest-build-provenance-github``) needs GitHub's service:
asked for, it is not mirrored and the job is partial.
"""

from __future__ import annotations

import email.parser
import json
import re
import tarfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from repokit import gitrepo
from repokit.ci import python
from repokit.ci.artifacts import upload
from repokit.ci.model import Step
from repokit.ci.script import run_process

if TYPE_CHECKING:
    from repokit.ci.job_state import JobRun

#: What the action installs into its tools' environment (its requirements/tools.in), and
#: the build frontend that stands in for ``uv build``.
TOOLS = ("build", "twine", "check-wheel-contents", "wheel")
README_SUFFIXES = {"text/markdown": "md", "text/x-rst": "rst"}
_CLASSIFIER = re.compile(r"Programming Language :: Python :: (\d+)\.(\d+)$")


@dataclass(frozen=True)
class PackageMetadata:
    """What the action reads from the built package's core metadata."""

    name: str | None
    version: str
    pythons: tuple[str, ...]  # classifier-declared X.Y versions, in order
    readme_type: str | None
    readme: str
    text: str  # the metadata file as built


def read_metadata(text: str, *, free_threaded: bool = False) -> PackageMetadata:
    """Core metadata (``PKG-INFO``/``METADATA``) as the action reads it.

    With ``free_threaded``, each version from 3.14 on is followed by its ``t`` sibling.
    """
    message = email.parser.Parser().parsestr(text)
    pythons: list[str] = []
    for classifier in message.get_all("Classifier", []):
        match = _CLASSIFIER.match(str(classifier))
        if match:
            major, minor = int(match.group(1)), int(match.group(2))
            pythons.append(f"{major}.{minor}")
            if free_threaded and (major, minor) >= (3, 14):
                pythons.append(f"{major}.{minor}t")
    payload = message.get_payload()
    return PackageMetadata(
        name=message.get("Name"),
        version=message.get("Version", "0.0.0"),
        pythons=tuple(pythons),
        readme_type=message.get("Description-Content-Type"),
        readme=payload if isinstance(payload, str) else "",
        text=text,
    )


def outputs_of(metadata: PackageMetadata, dist: Path, artifact: str) -> dict[str, str]:
    """The action's outputs."""
    pythons = list(metadata.pythons)
    return {
        "artifact-name": artifact,
        "dist": str(dist),
        "package_name": metadata.name or "",
        "package_version": metadata.version,
        "supported_python_classifiers_json_array": json.dumps(pythons),
        "supported_python_classifiers_json_job_matrix_value": json.dumps(
            {"python-version": pythons}
        ),
    }


def metadata_file(dist: Path) -> tuple[str, str] | None:
    """(file name, text) of the canonical metadata: the sdist's ``PKG-INFO``, else the
    wheel's ``METADATA``; None when neither was built."""
    for sdist in sorted(dist.glob("*.tar.gz"))[:1]:
        with tarfile.open(sdist) as archive:
            for member in archive.getmembers():
                if member.name.count("/") == 1 and member.name.endswith("/PKG-INFO"):
                    handle = archive.extractfile(member)
                    if handle is not None:
                        return "PKG-INFO", handle.read().decode("utf-8", "replace")
    for wheel in sorted(dist.glob("*.whl"))[:1]:
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if name.endswith(".dist-info/METADATA") and name.count("/") == 1:
                    return "METADATA", archive.read(name).decode("utf-8", "replace")
    return None


def contents(dist: Path) -> list[str]:
    """The files of every built package, for the log (the action prints their trees)."""
    lines: list[str] = []
    for package in sorted(dist.iterdir()):
        if package.name.endswith(".tar.gz"):
            with tarfile.open(package) as archive:
                names = sorted(m.name for m in archive.getmembers() if m.isfile())
        elif package.suffix == ".whl":
            with zipfile.ZipFile(package) as archive:
                names = sorted(archive.namelist())
        else:
            continue
        lines += [f"{package.name}:", *(f"    {name}" for name in names)]
    return lines


def build_and_inspect(state: JobRun, step: Step, inputs: Mapping[str, str]) -> str:
    """Run the action; "success", "failure", or "unmirrored" when only the attestation,
    which needs GitHub, was left out."""
    skip_wheel = inputs.get("skip-wheel", "false") == "true"
    skip_sdist = inputs.get("skip-sdist", "false") == "true"
    if skip_wheel and skip_sdist:
        state.say("build-and-inspect: skip-wheel and skip-sdist cannot both be 'true'")
        return "failure"
    suffix = inputs.get("upload-name-suffix", "")
    tools = python.tool("build-and-inspect", *TOOLS)
    project = state.workspace / (inputs.get("path") or ".")
    dist = state.temp / "baipp" / "dist"
    env = state.step_env({})
    epoch = gitrepo.head_commit_time(gitrepo.Repo(state.workspace))
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
    kind = ["--sdist"] if skip_wheel else ["--wheel"] if skip_sdist else []
    build = [str(tools / "python"), "-m", "build", *kind, "--outdir", str(dist), str(project)]
    if run_process(state, build, project, env) != 0:
        state.say("build-and-inspect: the build failed")
        return "failure"
    artifact = "Packages" + suffix
    _set_outputs(state, step, {"artifact-name": artifact, "dist": str(dist)})
    if not upload(state, {"name": artifact, "path": str(dist / "*")}):
        return "failure"
    wheels = [str(p) for p in sorted(dist.glob("*.whl"))]
    checks = [
        ("check-wheel-contents", [str(tools / "check-wheel-contents"), *wheels]),
        ("twine check --strict", [str(tools / "twine"), "check", "--strict", *_built(dist)]),
    ]
    for what, command in checks[skip_wheel:]:
        if run_process(state, command, project, env) != 0:
            state.say(f"build-and-inspect: {what} failed")
            return "failure"
    found = metadata_file(dist)
    if found is None:
        state.say("build-and-inspect: the built package has no metadata file")
        return "failure"
    file_name, text = found
    metadata = read_metadata(text, free_threaded=inputs.get("include-free-threaded") == "true")
    if not metadata.name:
        state.say("build-and-inspect: the package's name is not set in its metadata")
        return "failure"
    _set_outputs(state, step, outputs_of(metadata, dist, artifact))
    for line in contents(dist):
        state.log.write(line + "\n")
    meta_folder = dist.parent / "metadata"
    meta_folder.mkdir(exist_ok=True)
    (meta_folder / file_name).write_text(text, encoding="utf-8")
    if not upload(state, {"name": "Package Metadata" + suffix, "path": str(meta_folder)}):
        return "failure"
    readme_suffix = README_SUFFIXES.get(metadata.readme_type or "")
    if readme_suffix is None:
        state.say(
            f"build-and-inspect: the PyPI README check failed: Description-Content-Type is "
            f"{metadata.readme_type or 'not set'}, not text/markdown or text/x-rst"
        )
        return "failure"
    readme = dist.parent / f"PyPI-README.{readme_suffix}"
    readme.write_text(metadata.readme, encoding="utf-8")
    if not upload(state, {"name": "PyPI README" + suffix, "path": str(readme)}):
        return "failure"
    state.say(f"build-and-inspect: {metadata.name} {metadata.version} built and checked")
    if inputs.get("attest-build-provenance-github", "false") == "true":
        state.worked += 1  # the build and its checks did run here
        state.say("build-and-inspect: the provenance attestation needs GitHub: not made here")
        return "unmirrored"
    return "success"


def _built(dist: Path) -> list[str]:
    return sorted(str(p) for p in dist.iterdir() if p.name.endswith((".tar.gz", ".whl")))


def _set_outputs(state: JobRun, step: Step, outputs: Mapping[str, str]) -> None:
    if step.id:
        state.steps.setdefault(step.id, {"outputs": {}})["outputs"].update(outputs)
