"""Reading the reports page: a report's table as rows of cell texts."""

from __future__ import annotations

import html
import re


def table_rows(response, key: str) -> list[list[str]]:
    """The body rows of the report table `key`, each a list of its cells' texts."""
    body = response.get_data(as_text=True)
    match = re.search(rf'<table class="nhsuk-table" id="table-{key}">(.*?)</table>', body, re.S)
    assert match, f"no table {key}"
    tbody = match.group(1).split("<tbody", 1)[1]
    return [[re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", cell))).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", tbody, re.S)]
