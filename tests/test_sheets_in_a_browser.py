"""The social report sheet in a real browser: headless Chromium renders it
and prints it to A4 pages, one section a page after the first (the print
stylesheet), and the page's text, as rendered, holds the sections' titles.
`make test-browser` installs Debian's Chromium when the machine has none."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from orchestration.cli import main as cli
from orchestration.report.social_sheet import SECTIONS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("hand_checked")]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
QUIET = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    assert Path(CHROMIUM).exists(), "make test-browser installs chromium"
    return subprocess.run([CHROMIUM, *QUIET, f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, timeout=120)


def test_the_consolidated_sheet_prints_to_a4_pages(marts, tmp_path):
    assert cli(["social-report", "--year", "2025", "--out", str(tmp_path / "sheets")]) == 0
    page = (tmp_path / "sheets" / "consortium.html").as_uri()
    pdf = tmp_path / "consortium.pdf"
    done = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page)
    assert done.returncode == 0 and pdf.stat().st_size > 0, done.stderr[-2000:]
    body = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", body))
    assert pages == len(SECTIONS) + 1  # the four sections and the definitions, each from a new page
    # every page is A4, 210 x 297 mm: 595.3 x 841.9 points
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", body)
    assert len(boxes) == pages and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes)
    dom = chromium(tmp_path, "--dump-dom", page)
    text = dom.stdout.decode()
    for italian, english, _ in SECTIONS:
        assert italian in text.replace("&#x27;", "'") and english in text
    png = tmp_path / "consortium.png"
    shot = chromium(tmp_path, "--window-size=900,1400", f"--screenshot={png}", page)
    assert shot.returncode == 0 and png.read_bytes().startswith(b"\x89PNG")


def test_the_reports_read_in_words_and_say_whose_figures_they_are(marts, tmp_path):
    assert cli(["report", "--out", str(tmp_path / "consortium.html")]) == 0
    pages = {"consortium": tmp_path / "consortium.html", "alfa": marts.parent / "extracts" / "alfa" / "report.html"}
    text = {}
    for name, page in pages.items():
        png = tmp_path / f"{name}.png"
        shot = chromium(tmp_path, "--window-size=1100,4000", f"--screenshot={png}", page.as_uri())
        assert shot.returncode == 0 and png.read_bytes().startswith(b"\x89PNG"), shot.stderr[-2000:]
        text[name] = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout.decode()
    consortium, alfa = text["consortium"], text["alfa"]
    # legends in words, the spillover axis in years, no column names or booleans drawn
    assert ">across organisations<" in consortium and ">active<" in consortium and ">2025<" in consortium
    assert not re.search(r">(true|false|crowdfunding_eur|public_grant_eur)<", consortium)
    assert ">resources committed<" in consortium and ">value contributed: own and co-produced<" in consortium
    # a partner's report says which figures are its own and which the consortium's
    assert "alfa (your organisation)" in alfa and "the consortium" in alfa
    assert "the most value went to" not in alfa
