"""The code-change table: how Korea's units were renamed, recoded, moved, split and merged.

KOSTAT boundary files of one base year carry that year's codes and names. The table
(geodata/boundary_changes.csv) brings any vintage to today's: `import_boundaries` applies it to
the staged units of every vintage it loads, before they are stored, skipping the rows the data
already reflects, so applying it twice changes nothing. It also moves the identities: an area
whose code changed keeps its row (and every foreign key to it) under the new code, and its old
code stays as an alias.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode

DEFAULT_CHANGES = Path(__file__).resolve().parent / "boundary_changes.csv"
COLUMNS = ("date", "kind", "code", "new_code", "new_name", "new_parent", "members")
KINDS = ("rename", "recode", "reparent", "split", "merge")
CODE_LENGTHS = (2, 5, 7)
SUBMUNICIPAL_LENGTH = 7


class BoundaryChangeError(DomainError):
    """A problem with the change table or with applying it (invalid_boundary_file): the message is for the operator."""

    def __init__(self, message: str):
        super().__init__(ErrorCode.INVALID_BOUNDARY_FILE, message)


@dataclass(frozen=True, slots=True)
class BoundaryChange:
    line: int
    date: datetime.date
    kind: str
    code: str
    new_code: str
    new_name: str
    new_name_en: str
    new_parent: str
    members: tuple[str, ...]

    @property
    def moves_code(self) -> bool:
        return self.kind in ("recode", "reparent")


def _is_code(value: str) -> bool:
    return value.isdigit() and len(value) in CODE_LENGTHS


def read_changes(path: Path) -> list[BoundaryChange]:
    """Parse and check the whole table, in date order; lines starting with # are comments."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BoundaryChangeError(_("Cannot read the change table %(path)s: %(error)s") % {"path": path, "error": exc}) from exc
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return []
    reader = csv.DictReader([line for _number, line in lines])
    missing = set(COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise BoundaryChangeError(
            _("The change table %(path)s lacks the columns %(columns)s.")
            % {"path": Path(path).name, "columns": ", ".join(sorted(missing))}
        )
    changes = [_parse(row, lines[index + 1][0], Path(path).name) for index, row in enumerate(reader)]
    return sorted(changes, key=lambda change: (change.date, change.line))


def _parse(row: dict, line: int, name: str) -> BoundaryChange:
    def error(message: str) -> BoundaryChangeError:
        return BoundaryChangeError(_("%(path)s, line %(line)d: %(message)s") % {"path": name, "line": line, "message": message})

    values = {key: (row.get(key) or "").strip() for key in (*COLUMNS, "new_name_en")}
    kind = values["kind"]
    if kind not in KINDS:
        raise error(_("unknown kind %(kind)r (expected one of %(kinds)s).") % {"kind": kind, "kinds": ", ".join(KINDS)})
    try:
        date = datetime.date.fromisoformat(values["date"])
    except ValueError:
        raise error(_("bad date %(date)r (expected YYYY-MM-DD).") % {"date": values["date"]}) from None
    code, new_code, parent = values["code"], values["new_code"], values["new_parent"]
    if not _is_code(code):
        raise error(_("code %(code)r is not a 2, 5 or 7 digit KOSTAT code.") % {"code": code})
    if kind == "rename":
        if not values["new_name"]:
            raise error(_("a rename needs new_name."))
    else:
        if not _is_code(new_code) or len(new_code) != len(code) or new_code == code:
            raise error(_("new_code %(new)r must be another code of the same length as %(code)s.")
                        % {"new": new_code, "code": code})
    if parent and (not _is_code(parent) or not _nests_under(new_code or code, parent)):
        raise error(_("new_parent %(parent)r is not the parent of code %(code)s.") % {"parent": parent, "code": new_code or code})
    members = tuple(values["members"].split())
    if members and kind not in ("split", "merge"):
        raise error(_("only a split or a merge has members."))
    if kind == "split" and not members:
        raise error(_("a split needs members (the 읍면동 that form the new unit)."))
    for member in members:
        if not (member.isdigit() and len(member) == SUBMUNICIPAL_LENGTH and member.startswith(code)):
            raise error(_("member %(member)r is not a 읍면동 code of %(code)s.") % {"member": member, "code": code})
    return BoundaryChange(line=line, date=date, kind=kind, code=code, new_code=new_code, new_name=values["new_name"],
                          new_name_en=values["new_name_en"], new_parent=parent, members=members)


def _nests_under(code: str, parent: str) -> bool:
    """A province is the first two digits; a city with districts the first four (then 0)."""
    if len(parent) == 2:
        return code.startswith(parent)
    return len(parent) == 5 and len(code) == 5 and code[:4] == parent[:4] and code != parent


# --- Applying the table to staged units --------------------------------------------------------
# The staging table holds one vintage's units: code, name, name_en, level, geom (MultiPolygon).

def apply_changes(cursor, changes: list[BoundaryChange], *, staging: str = "boundary_staging") -> list[BoundaryChange]:
    """Apply the rows the staged data does not reflect yet; return them. Records code moves in
    the temp table code_moves (old_code, new_code), for the aliases."""
    cursor.execute("CREATE TEMP TABLE IF NOT EXISTS code_moves (old_code text, new_code text) ON COMMIT DROP")
    cursor.execute("TRUNCATE code_moves")
    applied = []
    for change in changes:
        if _APPLY[change.kind](cursor, change, staging):
            applied.append(change)
    return applied


def _codes(cursor, staging: str, codes) -> set[str]:
    cursor.execute(f"SELECT code FROM {staging} WHERE code = ANY(%s)", [list(codes)])
    return {row[0] for row in cursor.fetchall()}


def _error(change: BoundaryChange, message: str) -> BoundaryChangeError:
    return BoundaryChangeError(
        _("Change table line %(line)d (%(kind)s of %(code)s): %(message)s")
        % {"line": change.line, "kind": change.kind, "code": change.code, "message": message}
    )


def _rename(cursor, change: BoundaryChange, staging: str) -> bool:
    cursor.execute(
        f"""
        UPDATE {staging} SET name = %(name)s, name_en = COALESCE(NULLIF(%(name_en)s, ''), name_en)
        WHERE code = %(code)s AND (name <> %(name)s OR (%(name_en)s <> '' AND name_en <> %(name_en)s))
        """,
        {"code": change.code, "name": change.new_name, "name_en": change.new_name_en},
    )
    return cursor.rowcount > 0


def _move_prefix(cursor, staging: str, old: str, new: str, only: tuple[str, ...] = ()) -> None:
    """Recode a unit and the units below it (their codes start with its code), or only some."""
    cursor.execute(
        f"""
        WITH moved AS (
            UPDATE {staging} s SET code = %(new)s || substr(s.code, length(%(old)s) + 1)
            WHERE (cardinality(%(only)s::text[]) = 0 AND (s.code = %(old)s OR s.code LIKE %(old)s || '%%'))
               OR s.code = ANY(%(only)s::text[])
            RETURNING s.code
        )
        INSERT INTO code_moves SELECT %(old)s || substr(code, length(%(new)s) + 1), code FROM moved
        """,
        {"old": old, "new": new, "only": list(only)},
    )


def _recode(cursor, change: BoundaryChange, staging: str) -> bool:
    present = _codes(cursor, staging, [change.code, change.new_code])
    if change.code not in present:
        return False  # already recoded, or not in this vintage
    if change.new_code in present:
        raise _error(change, _("both %(code)s and %(new)s are in the data.") % {"code": change.code, "new": change.new_code})
    _move_prefix(cursor, staging, change.code, change.new_code)
    if change.new_name:
        _rename(cursor, BoundaryChange(**{**_fields(change), "code": change.new_code}), staging)
    return True


def _fields(change: BoundaryChange) -> dict:
    return {name: getattr(change, name) for name in BoundaryChange.__slots__}


def _members(cursor, change: BoundaryChange, staging: str) -> tuple[str, ...]:
    """The 읍면동 that move (all of the unit's when none are listed); they keep their last two
    digits, so a move onto a code the receiving unit already has is an error, not a guess."""
    if change.members:
        members = change.members
        found = _codes(cursor, staging, members)
        missing = [member for member in members if member not in found]
        if missing:
            raise _error(change, _("member 읍면동 not found in the data: %(codes)s") % {"codes": ", ".join(missing)})
    else:
        cursor.execute(
            f"SELECT code FROM {staging} WHERE code LIKE %s AND length(code) = %s ORDER BY code",
            [change.code + "%", SUBMUNICIPAL_LENGTH],
        )
        members = tuple(row[0] for row in cursor.fetchall())
    taken = _codes(cursor, staging, [change.new_code + member[len(change.code):] for member in members])
    if taken:
        raise _error(change, _("the members' new codes are taken: %(codes)s") % {"codes": ", ".join(sorted(taken))})
    return members


def _split(cursor, change: BoundaryChange, staging: str) -> bool:
    present = _codes(cursor, staging, [change.code, change.new_code])
    if change.code not in present or change.new_code in present:
        return False  # not in this vintage, or already split
    if not change.new_name:
        raise _error(change, _("a split needs new_name."))
    members = _members(cursor, change, staging)
    _move_members(cursor, change, staging, members, create=True)
    return True


def _merge(cursor, change: BoundaryChange, staging: str) -> bool:
    present = _codes(cursor, staging, [change.code, change.new_code])
    if change.code not in present:
        return False  # not in this vintage, or already merged
    if change.new_code not in present and not change.new_name:
        raise _error(change, _("a merge into a new unit needs new_name."))
    members = _members(cursor, change, staging)
    cursor.execute(f"SELECT count(*) FROM {staging} WHERE code LIKE %s AND length(code) = %s",
                   [change.code + "%", SUBMUNICIPAL_LENGTH])
    whole = not change.members or len(members) == cursor.fetchone()[0]
    _move_members(cursor, change, staging, members, create=change.new_code not in present)
    if whole:
        cursor.execute(f"DELETE FROM {staging} WHERE code = %s", [change.code])
        cursor.execute("INSERT INTO code_moves VALUES (%s, %s)", [change.code, change.new_code])
    return True


def _move_members(cursor, change: BoundaryChange, staging: str, members: tuple[str, ...], *, create: bool) -> None:
    """The new (or receiving) unit gains the members' polygons; the old one loses them."""
    params = {"old": change.code, "new": change.new_code, "members": list(members),
              "name": change.new_name, "name_en": change.new_name_en}
    union = f"(SELECT ST_Union(geom) FROM {staging} WHERE code = ANY(%(members)s))"
    if create:
        cursor.execute(
            f"""
            INSERT INTO {staging} (code, name, name_en, level, geom)
            SELECT %(new)s, %(name)s, %(name_en)s, level, ST_Multi(ST_CollectionExtract(ST_MakeValid({union}), 3))
            FROM {staging} WHERE code = %(old)s
            """,
            params,
        )
    else:
        cursor.execute(
            f"""
            UPDATE {staging} SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(geom, {union})), 3)),
                name = COALESCE(NULLIF(%(name)s, ''), name), name_en = COALESCE(NULLIF(%(name_en)s, ''), name_en)
            WHERE code = %(new)s
            """,
            params,
        )
    cursor.execute(
        f"""
        UPDATE {staging} SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Difference(geom, {union})), 3))
        WHERE code = %(old)s
        """,
        params,
    )
    _move_prefix(cursor, staging, change.code, change.new_code, only=members)


_APPLY = {"rename": _rename, "recode": _recode, "reparent": _recode, "split": _split, "merge": _merge}


# --- Identities --------------------------------------------------------------------------------

def move_identities(cursor, changes: list[BoundaryChange]) -> None:
    """Stored areas whose code the table changed take their new code (with the units below
    them), unless an area already has it: the government keeps its row across the change."""
    moves = [(change.code, change.new_code) for change in changes if change.moves_code]
    if not moves:
        return
    cursor.execute("CREATE TEMP TABLE identity_moves (old_code text, new_code text) ON COMMIT DROP")
    cursor.executemany("INSERT INTO identity_moves VALUES (%s, %s)", moves)
    cursor.execute(
        """
        CREATE TEMP TABLE identity_moved ON COMMIT DROP AS
        SELECT DISTINCT ON (a.id) a.id, a.code AS old_code, m.new_code || substr(a.code, length(m.old_code) + 1) AS new_code
        FROM identity_moves m JOIN geodata_area a ON a.code = m.old_code OR a.code LIKE m.old_code || '%%'
        WHERE NOT EXISTS (SELECT 1 FROM geodata_area x WHERE x.code = m.new_code || substr(a.code, length(m.old_code) + 1))
        ORDER BY a.id;
        UPDATE geodata_area a SET code = m.new_code FROM identity_moved m WHERE a.id = m.id;
        INSERT INTO geodata_areacodealias (code, area_id) SELECT old_code, id FROM identity_moved
        ON CONFLICT (code) DO UPDATE SET area_id = EXCLUDED.area_id;
        DROP TABLE identity_moved; DROP TABLE identity_moves;
        """
    )


def record_aliases(cursor, changes: list[BoundaryChange]) -> None:
    """Old codes answer for the areas that carry their new code, where no area has the old one."""
    pairs = [(change.code, change.new_code) for change in changes if change.moves_code]
    if pairs:
        cursor.executemany("INSERT INTO code_moves VALUES (%s, %s)", pairs)
    cursor.execute(
        """
        INSERT INTO geodata_areacodealias (code, area_id)
        SELECT DISTINCT ON (m.old_code) m.old_code, a.id FROM code_moves m JOIN geodata_area a ON a.code = m.new_code
        WHERE NOT EXISTS (SELECT 1 FROM geodata_area x WHERE x.code = m.old_code)
        ORDER BY m.old_code
        ON CONFLICT (code) DO NOTHING
        """
    )
