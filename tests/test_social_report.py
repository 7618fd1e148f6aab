"""The social report sheet (bilancio sociale) as its readers get it: a page
per organisation and one consolidated, by the guidelines' sections with
Italian titles and English subtitles, every figure defined in a footnote and
on hover, counts of people below k withheld; from the CLI on the
hand-checked consortium, and in a partner's extract of the bundled sample."""

from __future__ import annotations

import re

import pytest

from orchestration.cli import main as cli
from orchestration.core.marts import mart
from orchestration.report.social_sheet import SECTIONS
from tests.marts_helpers import rows

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hand_checked")]
FIGURES = [column for _, _, figures in SECTIONS for column in figures]
K = 5  # the hand-checked registry's most careful partner (funder, k: 5)


def figure_of(page: str, label: str) -> str:
    cell = re.search(re.escape(label) + r"<sup>.*?</sup></td><td class='figure'>(.*?)</td>", page)
    assert cell, label
    return cell.group(1)


def test_a_year_gives_a_page_per_organisation_and_one_consolidated(marts, tmp_path, capsys):
    assert cli(["social-report", "--year", "2025", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alfa.html", "beta.html", "consortium.html", "gamma.html"]
    assert "print each page to PDF" in capsys.readouterr().out
    definitions = {name: c.description for name, c in mart("mart_social_report").columns.items()}
    consortium = (tmp_path / "consortium.html").read_text()
    for italian, english, _ in SECTIONS:
        assert f"<h2>{italian.replace(chr(39), '&#x27;')}<span class='en' lang='en'>{english}</span></h2>" in consortium
    # every figure has its definition as a footnote and on hover: as many footnotes as figures
    assert len(re.findall(r"<li id='n\d+'>", consortium)) == len(FIGURES) == 24
    assert consortium.count("<tr title='") == 24
    assert f"<code>volunteer_hours</code>: {definitions['volunteer_hours']}" in consortium
    assert "each person counted once" in consortium
    # counts of people below k are withheld; other figures are shown as the mart holds them
    [(total, hours, initiatives)] = rows(marts, "SELECT members_total, volunteer_hours, initiatives_active FROM "
                                                "marts.mart_social_report WHERE scope = 'consortium' "
                                                "AND year = DATE '2025-01-01'")
    shown = figure_of(consortium, "active members at year end")
    assert shown == (f"<span class='suppressed'>fewer than {K}</span>" if total < K else f"{total:,}")
    assert figure_of(consortium, "volunteer hours") == f"{hours:,.2f}"
    assert figure_of(consortium, "initiatives active") == f"{initiatives:,}"
    assert '@page{size:A4' in consortium and "break-before:page" in consortium


def test_one_organisation_s_sheet_and_an_unknown_one(marts, tmp_path, capsys):
    assert cli(["social-report", "--year", "2025", "--org", "beta", "--out", str(tmp_path)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["beta.html"]
    assert "<h1>Bilancio sociale 2025</h1>" in (tmp_path / "beta.html").read_text()
    capsys.readouterr()
    assert cli(["social-report", "--year", "2025", "--org", "nowhere", "--out", str(tmp_path / "x")]) == 2
    assert "'nowhere' is not an organisation of" in capsys.readouterr().err
    assert cli(["social-report", "--year", "1999", "--out", str(tmp_path / "y")]) == 2
    assert "no social report figures for 1999" in capsys.readouterr().err
