"""Import of the Ministry of the Interior's monthly resident-population CSV (주민등록 인구통계).

Rows are matched by full name (province + 시군구), never by the Ministry's agency codes, which are
not KOSTAT codes; names from before a rename are brought to today's first, so 중구 or 남구 of one
province is never taken for another's. A city with non-autonomous districts is the sum of its
districts. Any unmatched row stops the import: nothing is half-imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from geodata.models import Area
from scorecards.models import Population

NAME_COLUMN = "행정구역"
MONTH_COLUMN = re.compile(r"^(\d{4})년(\d{2})월_총인구수$")
ROW_NAME = re.compile(r"^(.*?)\s*\((\d{10})\)\s*$")
# The governments carry today's names (geodata's code-change table is applied to every vintage);
# a file from before a rename names them as they were then.
RENAMES = {
    "강원도": "강원특별자치도",
    "전라북도": "전북특별자치도",
    "인천광역시 남구": "인천광역시 미추홀구",
    "경상북도 군위군": "대구광역시 군위군",
}
NATIONAL = "전국"


@dataclass
class PopulationImport:
    month: date
    imported: int = 0
    skipped: list[str] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError("invalid_population_file", _("The file is neither UTF-8 nor CP949 text."))


def _normalise(name: str) -> str:
    name = " ".join(name.split())
    for old, new in RENAMES.items():
        if name == old or name.startswith(old + " "):
            name = new + name[len(old):]
    return name


def _government_names() -> tuple[dict[str, Area], set[str]]:
    """Full names of the current governments, and the full names of units below them."""
    areas = (
        Area.objects.current().exclude(level="submunicipal").select_related("parent")
        .defer("geom", "parent__geom")
    )
    provinces = {area.pk: area.name for area in areas if area.level == "province"}
    governments: dict[str, Area] = {}
    below: set[str] = set()
    for area in areas:
        if area.level == "province":
            full = area.name
        else:
            province_id = area.parent_id if area.parent and area.parent.level == "province" else area.parent.parent_id
            full = f"{provinces[province_id]} {area.name}"
        if area.is_local_government:
            governments[full] = area
        else:
            below.add(full)
    return governments, below


def population_import(*, raw: bytes, month: str | None = None, source: str = "") -> PopulationImport:
    """Store one month's population of every government in the file, or nothing at all."""
    reader = csv.DictReader(io.StringIO(_decode(raw)))
    columns = [column.strip() for column in reader.fieldnames or []]
    if NAME_COLUMN not in columns:
        raise DomainError("invalid_population_file", _("The file has no 행정구역 column: is it the resident-population CSV?"))
    months = {}
    for column in columns:
        found = MONTH_COLUMN.match(column)
        if found:
            months[f"{found[1]}-{found[2]}"] = column
    if not months:
        raise DomainError("invalid_population_file", _("The file has no YYYY년MM월_총인구수 column."))
    chosen = month or max(months)
    if chosen not in months:
        raise DomainError(
            "invalid_population_file",
            _("The file has no column for %(month)s; it has %(months)s.") % {"month": chosen, "months": ", ".join(sorted(months))},
        )
    column = months[chosen]
    governments, below = _government_names()
    totals: dict[int, int] = {}
    from_districts: dict[int, int] = {}
    result = PopulationImport(month=date(int(chosen[:4]), int(chosen[5:]), 1))
    unmatched: list[str] = []
    for line, row in enumerate(reader, start=2):
        row = {(key or "").strip(): (value or "").strip() for key, value in row.items()}
        found = ROW_NAME.match(row.get(NAME_COLUMN, ""))
        if not found:
            unmatched.append(_("line %(line)d: %(name)s") % {"line": line, "name": row.get(NAME_COLUMN, "")})
            continue
        name = _normalise(found[1])
        try:
            count = int(row.get(column, "").replace(",", ""))
        except ValueError:
            unmatched.append(_("line %(line)d: %(name)s has no number of residents") % {"line": line, "name": name})
            continue
        parts = name.split(" ")
        if name == NATIONAL:
            continue
        if name in governments:
            totals[governments[name].pk] = count
        elif len(parts) == 3 and f"{parts[0]} {parts[1]}" in governments and parts[1].endswith("시") and parts[2].endswith("구"):
            # A district of a city with non-autonomous districts: the city is their sum.
            city = governments[f"{parts[0]} {parts[1]}"]
            from_districts[city.pk] = from_districts.get(city.pk, 0) + count
        elif name in below or (len(parts) >= 3 and (f"{parts[0]} {parts[1]}" in governments or f"{parts[0]} {parts[1]}" in below)):
            result.skipped.append(name)  # a unit inside a government (읍면동, or Jeju's 행정시)
        else:
            unmatched.append(_("line %(line)d: %(name)s") % {"line": line, "name": name})
    if unmatched:
        raise DomainError(
            "unmatched_population_rows",
            _("%(count)d rows match no local government; nothing was imported: %(rows)s")
            % {"count": len(unmatched), "rows": "; ".join(unmatched[:20])},
            fields={"rows": unmatched},
        )
    totals.update(from_districts)
    if not totals:
        raise DomainError("invalid_population_file", _("The file has no row of a local government."))
    with transaction.atomic():
        Population.objects.filter(month=result.month).delete()
        Population.objects.bulk_create(
            Population(area_id=area_id, month=result.month, population=count, source=source[:300])
            for area_id, count in totals.items()
        )
    result.imported = len(totals)
    return result
