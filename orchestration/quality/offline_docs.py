"""GX Data Docs that read offline. GX writes pages that load bootstrap,
jQuery, bootstrap-table, Font Awesome and Vega from CDNs (and its logo from
the web): opened from disk without a network they are unstyled and their
tables empty. `make` installs those packages, pinned in
data_docs_assets.json, into .venv/web with npm; after each rendering every
page is pointed at copies under the site's static/vendor/, by relative path.
(GX has no setting for where its page assets come from.)

    python -m orchestration.quality.offline_docs install   # what make runs
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from orchestration.core.settings import PROJECT_ROOT

SPEC = json.loads((Path(__file__).parent / "data_docs_assets.json").read_text(encoding="utf-8"))
WEB = PROJECT_ROOT / ".venv" / "web"
MODULES = WEB / "node_modules"
_EXTERNAL = re.compile(r"""(src|href)=["'](https?://[^"']+)["']""")
LOGO = "static/images/logo-long.png"
VENDOR = "static/vendor"


class AssetsMissing(RuntimeError):
    """The pinned web assets are not installed (make installs them)."""


def install() -> int:
    packages = [f"{name}@{version}" for name, version in SPEC["packages"].items()]
    WEB.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["npm", "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund",
                           "--legacy-peer-deps", "--ignore-scripts", "--silent", "--prefix", str(WEB), *packages],
                          check=False).returncode


def _vendor(site: Path) -> Path:
    """Copy the assets into the site once; return the vendor folder."""
    vendor = site / VENDOR
    for relative in SPEC["urls"].values():
        source = MODULES / relative
        if not source.is_file():
            raise AssetsMissing(f"{source} is missing: run make (it installs the Data Docs' web assets)")
        target = vendor / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    for relative in SPEC["folders_with"].values():
        shutil.copytree(MODULES / relative, vendor / relative, dirs_exist_ok=True)
    return vendor


def local_assets(text: str, to_site: str) -> str:
    """The page with each known CDN asset replaced by its copy in the site
    (`to_site`: the relative path from the page's folder to the site)."""
    def local(match: re.Match) -> str:
        attribute, url = match.group(1), match.group(2)
        if url in SPEC["urls"]:
            return f'{attribute}="{to_site}/{VENDOR}/{SPEC["urls"][url]}"'
        if "great-expectations-web-assets" in url:  # GX's logo: the copy GX ships in the site
            return f'{attribute}="{to_site}/{LOGO}"'
        return match.group(0)  # a link for the reader to follow (docs, help), not a page asset

    return _EXTERNAL.sub(local, text)


def make_offline(site: Path) -> int:
    """Point every page of the site at local assets; returns the pages changed."""
    _vendor(site)
    changed = 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        offline = local_assets(text, "/".join([".."] * (len(page.relative_to(site).parts) - 1)) or ".")
        if offline != text:
            page.write_text(offline, encoding="utf-8")
            changed += 1
    return changed


def main(argv: list[str]) -> int:
    if argv[:1] == ["install"]:
        return install()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
