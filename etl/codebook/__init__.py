"""The CAMEO codebook: event codes with Goldstein scores and QuadClass, and the blocks of actor codes.

The tables are the TSV files beside this module; this module only reads them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from etl.settings import CODEBOOK_DIR


@dataclass(frozen=True, slots=True)
class EventCode:
    code: str
    root: str
    level: str
    name: str
    goldstein: float
    quad_class: int


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = (line for line in handle if line.strip() and not line.startswith("#"))
        return list(csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE))


@lru_cache(maxsize=1)
def event_codes() -> dict[str, EventCode]:
    """All CAMEO event codes by code string ("0231")."""
    return {
        row["code"]: EventCode(
            code=row["code"],
            root=row["root"],
            level=row["level"],
            name=row["name"],
            goldstein=float(row["goldstein"]),
            quad_class=int(row["quad_class"]),
        )
        for row in _read_tsv(CODEBOOK_DIR / "cameo_events.tsv")
    }


@lru_cache(maxsize=1)
def country_blocks() -> dict[str, str]:
    """First blocks of actor codes: ISO alpha-3 countries, CAMEO regions and IGO/NGO/MNC -> kind."""
    return {row["code"]: row["kind"] for row in _read_tsv(CODEBOOK_DIR / "countries.tsv")}


@lru_cache(maxsize=1)
def role_blocks() -> dict[str, str]:
    """Later blocks of actor codes: roles (GOV, MIL ...) and known groups (UNO, NAT ...) -> kind."""
    return {row["code"]: row["kind"] for row in _read_tsv(CODEBOOK_DIR / "actor_roles.tsv")}


def actor_code_problem(code: str) -> str | None:
    """Why `code` is not a valid CAMEO actor code, or None when it is."""
    if not code or len(code) % 3 or not code.isalnum() or code.upper() != code:
        return "an actor code is one or more upper-case 3-character blocks"
    blocks = [code[i : i + 3] for i in range(0, len(code), 3)]
    if blocks[0] not in country_blocks():
        return f"{blocks[0]!r} is not a country, region or IGO/NGO/MNC block"
    for block in blocks[1:]:
        if block not in role_blocks() and block not in country_blocks():
            return f"{block!r} is not a role, group, country or region block"
    return None


@lru_cache(maxsize=1)
def intentions() -> dict[str, str]:
    """Action code prefix -> the intention (03x) or threat (13x) code of announcing it."""
    return {row["action"]: row["intention"] for row in _read_tsv(CODEBOOK_DIR / "intentions.tsv")}


def intention_of(code: str) -> str | None:
    """The code of announcing `code` for the future, by the longest matching prefix; None when there is none."""
    table = intentions()
    for size in range(len(code), 1, -1):
        if code[:size] in table:
            return table[code[:size]]
    return None


def split_known_group(code: str) -> tuple[str, str | None]:
    """Separate a known-group block from a country actor code: PSEREBHMS -> (PSEREB, HMS).

    Event records carry country + role, as coders and GDELT's Actor1Code do at that level; the group goes
    to its own column. IGO/NGO/MNC codes keep their group, which is what names them (IGOUNO).
    """
    if code[:3] in ("IGO", "NGO", "MNC") or len(code) <= 3:
        return code, None
    roles = role_blocks()
    blocks = [code[i : i + 3] for i in range(0, len(code), 3)]
    kept = [blocks[0]]
    group = None
    for block in blocks[1:]:
        if roles.get(block) == "group":
            group = group or block
        elif len(kept) < 2:
            kept.append(block)
    return "".join(kept), group


def principal(code: str) -> str:
    """The country part of an actor code: six letters for IGO/NGO/MNC codes, else three."""
    return code[:6] if code[:3] in ("IGO", "NGO", "MNC") else code[:3]


@dataclass(frozen=True, slots=True)
class ActorAttributes:
    name: str
    country: str | None  # ISO alpha-3 country or CAMEO region block, None for IGO/NGO/MNC actors
    type: str | None  # first role block (GOV, MIL, REB ...), or IGO/NGO/MNC


@lru_cache(maxsize=1)
def _block_names() -> dict[str, str]:
    names = {row["code"]: row["name"] for row in _read_tsv(CODEBOOK_DIR / "countries.tsv")}
    # Role names carry an explanation after a colon or in brackets ("Government: executive, ministers ...").
    names.update({
        row["code"]: row["name"].split(":")[0].split(" (")[0].strip()
        for row in _read_tsv(CODEBOOK_DIR / "actor_roles.tsv")
    })
    return names


@lru_cache(maxsize=65536)
def actor_attributes(code: str) -> ActorAttributes:
    """Readable name, country and type of an actor code: CHNGOV -> China: Government, CHN, GOV."""
    blocks = [code[i : i + 3] for i in range(0, len(code), 3)]
    names = _block_names()
    kinds = country_blocks()
    first = blocks[0] if blocks else ""
    if kinds.get(first) == "sector":
        named = [names.get(block, block) for block in blocks[1:]] or [names.get(first, first)]
        return ActorAttributes(name=": ".join(named), country=None, type=first)
    roles = role_blocks()
    role = next((block for block in blocks[1:] if roles.get(block) == "role"), None)
    name = ": ".join([names.get(first, first), *(names.get(block, block) for block in blocks[1:])])
    return ActorAttributes(name=name, country=first or None, type=role)


@lru_cache(maxsize=1)
def event_families() -> dict[str, str]:
    """Event code -> its de-duplication family (etl/codebook/event_families.tsv)."""
    return {row["code"]: row["family"] for row in _read_tsv(CODEBOOK_DIR / "event_families.tsv")}


def event_family(code: str) -> str:
    """The family of an event code: a listed family, else the code's base code ("1662" -> "166")."""
    families = event_families()
    return families.get(code) or families.get(code[:3]) or code[:3]
