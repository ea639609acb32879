"""The domain's terms are cited from docs/domain.md or from the plan by section, never from a
document outside the repository; every citation of docs/domain.md names a section it has."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_DOC = ROOT / "docs" / "domain.md"

# Spelled in pieces so that this file does not cite what it forbids.
OUTSIDE_CITATIONS = re.compile(
    "|".join(
        [
            r"\b" + "DOM" + "AIN" + r"\b",  # an outside document, with or without ".md"
            r"(?<![\w.-])" + "seed" + r"/",
        ]
    )
)
DOMAIN_ANCHOR = re.compile(r"domain\.md#([a-z0-9-]+)")


def tracked_text_files() -> dict[str, str]:
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    texts = {}
    for name in filter(None, names):
        path = ROOT / name.decode()
        if not path.is_file():
            continue
        content = path.read_bytes()
        if b"\0" in content:
            continue  # images and other binary files
        try:
            texts[name.decode()] = content.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return texts


def heading_anchors(markdown: str) -> set[str]:
    """The anchors a Markdown renderer gives headings: lower case, punctuation dropped,
    spaces as hyphens."""
    anchors = set()
    for line in markdown.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


def test_no_tracked_file_cites_a_domain_document_or_seed_folder_outside_the_repository() -> None:
    texts = tracked_text_files()
    assert "docs/domain.md" in texts
    offending = [
        f"{name}:{number}: {line.strip()}"
        for name, text in texts.items()
        for number, line in enumerate(text.splitlines(), start=1)
        if OUTSIDE_CITATIONS.search(line)
    ]
    assert offending == []


def test_every_citation_of_the_domain_document_names_one_of_its_sections() -> None:
    anchors = heading_anchors(DOMAIN_DOC.read_text(encoding="utf-8"))
    cited = {
        (name, anchor)
        for name, text in tracked_text_files().items()
        for anchor in DOMAIN_ANCHOR.findall(text)
    }
    assert cited, "code and docs cite docs/domain.md by section"
    assert sorted(c for c in cited if c[1] not in anchors) == []


def test_the_readme_links_the_domain_document() -> None:
    assert "(docs/domain.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
