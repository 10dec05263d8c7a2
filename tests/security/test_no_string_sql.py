"""No SQL is built from strings: what stops a value (or a slug) from crossing trusts.

Every statement is SQLAlchemy Core/ORM with bound parameters, or `text()` / psycopg with
placeholders; identifiers (schema and role names) are quoted with psycopg.sql.Identifier.
This test reads the source: a `text(...)`, `exec_driver_sql(...)`, `execute(...)` or
`sql.SQL(...)` whose SQL is an f-string, a `%` or `+` expression or a `.format()` call fails.
An f-string may interpolate UPPER_CASE module constants (table and schema names written in
the code, never input); the few other interpolations are listed below with their reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("peerpath", "tenants", "worker", "migrations", "bench")
SQL_CALLS = {"text", "exec_driver_sql", "execute", "executemany", "SQL"}
# (file, interpolated name): reviewed, each with why it cannot carry input.
REVIEWED = {
    ("peerpath/onboarding.py", "table"),  # sql.Identifier(schema, VERSION_TABLE).as_string()
    ("peerpath/migrate.py", "table"),  # a migration's own table name, written in its code
}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _interpolated(node: ast.JoinedStr) -> list[str]:
    """What an f-string interpolates, as source text."""
    return [ast.unparse(part.value) for part in node.values
            if isinstance(part, ast.FormattedValue)]


def _built_from_strings(node: ast.expr, filename: str) -> bool:
    if isinstance(node, ast.JoinedStr):
        return any(not name.isupper() and (filename, name) not in REVIEWED
                   for name in _interpolated(node))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return True
    # "...".format(...) is string building; sql.SQL("...").format(...) is psycopg's quoting.
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
        node.func.attr == "format" and isinstance(node.func.value, ast.Constant)


def string_built_sql(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call) and _name(node.func) in SQL_CALLS and node.args \
                and _built_from_strings(node.args[0], filename):
            found.append(f"{filename}:{node.lineno}")
    return found


def test_the_checker_catches_string_built_sql():
    assert string_built_sql('text(f"SELECT * FROM {table}")', "x.py")
    assert string_built_sql('text(f"SELECT * FROM t WHERE slug = \'{slug}\'")', "x.py")
    assert not string_built_sql('text(f"DELETE FROM {KEY_TABLE}")', "x.py")
    assert string_built_sql('conn.execute("SELECT %s" % value)', "x.py")
    assert string_built_sql('conn.exec_driver_sql("SET search_path = " + schema)', "x.py")
    assert string_built_sql('text("SELECT {}".format(v))', "x.py")
    assert not string_built_sql('text("SELECT * FROM t WHERE id = :id")', "x.py")
    assert not string_built_sql('sql.SQL("SET ROLE {}").format(sql.Identifier(r))', "x.py")


def test_no_sql_in_the_code_is_built_from_strings():
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found += string_built_sql(path.read_text(encoding="utf-8"),
                                      str(path.relative_to(ROOT)))
    assert found == [], "SQL built from strings (use bound parameters or sql.Identifier):\n" \
        + "\n".join(found)
