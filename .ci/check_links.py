"""Every relative link of README.md and docs/*.md leads to a file that exists,
and an anchor (#...) to a heading of it. Exit 1 naming each broken link."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def anchors(path: Path) -> set[str]:
    """GitHub's anchors of a Markdown file's headings."""
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            out.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return out


def broken() -> list[str]:
    found = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
        for target in LINK.findall(text):
            if re.match(r"^[a-z]+:", target):
                continue  # a URL: not ours to check offline
            file_part, _, anchor = target.partition("#")
            linked = (page.parent / file_part).resolve() if file_part else page
            if not linked.exists():
                found.append(f"{page.relative_to(ROOT)}: {target}: no such file")
            elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
                found.append(f"{page.relative_to(ROOT)}: {target}: no heading #{anchor} in {linked.name}")
    return found


if __name__ == "__main__":
    problems = broken()
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"links: {'all lead somewhere' if not problems else f'{len(problems)} broken'}")
    sys.exit(1 if problems else 0)
