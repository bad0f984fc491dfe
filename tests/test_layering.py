"""The layering the README's "How it is built" describes, checked on every module's imports.

Every `import` and `from … import` is read with `ast`, at module level, under `if TYPE_CHECKING:`
and inside functions alike, so a rule cannot be dodged by importing late. The allow-lists below
only shrink: an entry that no longer matches a real import fails the test, so remove it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "models", "scheduler")
APPLICATION_FACTORY = "bot.application"

# Handler modules every audience may import: the shared helpers, not an audience of their own.
SHARED_HANDLER_MODULES = frozenset(
    {
        "handlers.common",  # who is talking, in which language, polite replies
        "handlers.authorization",  # who may act where
        "handlers.presses",  # the one guarded button press
        "handlers.group_replies",  # the one group-reply dispatcher
        "handlers.group_chat",  # refusals, confirmations and the agency chooser of group audiences
        "handlers.citizen_notices",  # what any audience tells a citizen about their item
        "handlers.supervisor_notices",  # what any audience posts to the supervisors' group
    }
)

# The audience of a handler module is the first word of its name (officer_*, supervisor_*, citizen_*);
# the modules of one audience may share code, an audience never imports another's.
MODULE_AUDIENCES = {"escalation_digest": "supervisor"}

# (importer, imported) pairs of handler modules that import another audience's module.
ALLOWED_HANDLER_CROSS_IMPORTS: frozenset[tuple[str, str]] = frozenset()  # none left (issue 10)

# (importer, imported) pairs of bot/ modules other than the application factory that import handlers.
ALLOWED_BOT_HANDLER_IMPORTS: frozenset[tuple[str, str]] = frozenset()

# Imports inside a function, each with its reason. Never to dodge a cycle, except where marked.
ALLOWED_FUNCTION_IMPORTS = {
    ("bot.cli", "bot.commands"): "startup time: `pakn --help` needs none of the commands' libraries",
    ("bot.views.report_tables", "openpyxl"): "startup time: only a workbook needs openpyxl",
    ("bot.views.report_tables", "openpyxl.styles"): "startup time: only a workbook needs openpyxl",
    ("bot.views.report_tables", "openpyxl.utils"): "startup time: only a workbook needs openpyxl",
    ("bot.views.report_chart", "matplotlib"): "startup time: only a chart needs matplotlib (about a second)",
    (
        "bot.views.report_chart",
        "matplotlib.backends.backend_agg",
    ): "startup time: only a chart needs matplotlib",
    ("bot.views.report_chart", "matplotlib.figure"): "startup time: only a chart needs matplotlib",
}

# bot/ modules that wire the application together; the presentation layer never reaches up to them.
COMPOSITION_MODULES = (
    "bot.application",
    "bot.runner",
    "bot.cli",
    "bot.commands",
    "bot.inbox",
    "bot.webhook",
    "bot.web",
)


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    in_function: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _project_modules() -> dict[str, Path]:
    return {
        _module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
    }


MODULES = _project_modules()


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = importer.split(".")
    if MODULES[importer].name != "__init__.py":
        package.pop()
    package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, *([node.module] if node.module else [])])


def _imports_of(module: str) -> list[Import]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend(Import(module, alias.name, child.lineno, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(module, child)
                for alias in child.names:
                    submodule = f"{base}.{alias.name}"  # `from handlers import officer_group`
                    imported = submodule if submodule in MODULES else base
                    found.append(Import(module, imported, child.lineno, in_function))
            visit(child, inner)

    visit(tree, False)
    return found


ALL_IMPORTS = [found for module in MODULES for found in _imports_of(module)]


def _is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


def _where(found: Import) -> str:
    return f"{found.importer} (line {found.line}) imports {found.imported}"


def _breaking(
    importers: str, forbidden: tuple[str, ...], allowed: frozenset[tuple[str, str]] = frozenset()
) -> list[str]:
    return [
        _where(found)
        for found in ALL_IMPORTS
        if _is_within(found.importer, importers)
        and any(_is_within(found.imported, package) for package in forbidden)
        and (found.importer, found.imported) not in allowed
    ]


def test_the_modules_are_found() -> None:
    assert {
        "bot.application",
        "bot.views.cards",
        "handlers.officer_card",
        "models.tables",
        "scheduler.jobs",
    } <= set(MODULES)
    assert any(found.in_function for found in ALL_IMPORTS)  # function-level imports are read too


def test_the_domain_imports_no_bot_handlers_scheduler_or_telegram() -> None:
    assert _breaking("models", ("bot", "handlers", "scheduler", "telegram")) == []


def test_the_views_import_no_handlers_no_scheduler_and_no_wiring() -> None:
    assert _breaking("bot.views", ("handlers", "scheduler", *COMPOSITION_MODULES)) == []


def test_the_views_hold_no_sql() -> None:
    """Views render what models/ read; a session is only passed on to a models function."""
    offending = [
        _where(found)
        for found in ALL_IMPORTS
        if _is_within(found.importer, "bot.views")
        and any(_is_within(found.imported, package) for package in ("sqlalchemy", "sqlmodel"))
        and found.imported != "sqlmodel.ext.asyncio.session"
    ]
    assert offending == []


def test_the_scheduler_imports_no_handlers() -> None:
    assert _breaking("scheduler", ("handlers",)) == []


def test_scheduler_jobs_hold_no_sql_and_compose_no_text() -> None:
    """A job selects through models/ and renders through bot/views/ (the session type is only passed on)."""
    offending = [
        _where(found)
        for found in ALL_IMPORTS
        if _is_within(found.importer, "scheduler")
        and any(
            _is_within(found.imported, package) for package in ("sqlalchemy", "sqlmodel", "bot.texts", "html")
        )
        and found.imported != "sqlmodel.ext.asyncio.session"
    ]
    assert offending == []


def test_handlers_import_no_scheduler_and_no_wiring() -> None:
    assert _breaking("handlers", ("scheduler", *COMPOSITION_MODULES)) == []


def test_only_the_application_factory_imports_handlers_from_bot() -> None:
    offending = [
        _where(found)
        for found in ALL_IMPORTS
        if _is_within(found.importer, "bot")
        and found.importer != APPLICATION_FACTORY
        and _is_within(found.imported, "handlers")
        and (found.importer, found.imported) not in ALLOWED_BOT_HANDLER_IMPORTS
    ]
    assert offending == []


def audience_of(module: str) -> str:
    """Return whose conversation a handler module holds: the first word of its name (officer_answer → officer)."""
    name = module.removeprefix("handlers.")
    return MODULE_AUDIENCES.get(name, name.split("_")[0])


def test_handler_audiences_do_not_import_each_other() -> None:
    offending = [
        _where(found)
        for found in ALL_IMPORTS
        if _is_within(found.importer, "handlers")
        and _is_within(found.imported, "handlers")
        and found.imported != "handlers"
        and found.imported not in SHARED_HANDLER_MODULES
        and found.importer not in SHARED_HANDLER_MODULES | {"handlers"}
        and audience_of(found.importer) != audience_of(found.imported)
        and (found.importer, found.imported) not in ALLOWED_HANDLER_CROSS_IMPORTS
    ]
    assert offending == []


def test_shared_handler_helpers_import_no_audience() -> None:
    offending = [
        _where(found)
        for found in ALL_IMPORTS
        if found.importer in SHARED_HANDLER_MODULES
        and _is_within(found.imported, "handlers")
        and found.imported not in SHARED_HANDLER_MODULES
    ]
    assert offending == []


def test_imports_inside_functions_are_listed_with_their_reason() -> None:
    offending = [
        _where(found)
        for found in ALL_IMPORTS
        if found.in_function and (found.importer, found.imported) not in ALLOWED_FUNCTION_IMPORTS
    ]
    assert offending == []


@pytest.mark.parametrize(
    ("allowed", "function_level_only"),
    [
        (ALLOWED_HANDLER_CROSS_IMPORTS, False),
        (ALLOWED_BOT_HANDLER_IMPORTS, False),
        (frozenset(ALLOWED_FUNCTION_IMPORTS), True),
    ],
    ids=["handler cross-imports", "bot imports of handlers", "function-level imports"],
)
def test_the_allow_lists_only_shrink(allowed: frozenset[tuple[str, str]], function_level_only: bool) -> None:
    present = {
        (found.importer, found.imported)
        for found in ALL_IMPORTS
        if found.in_function or not function_level_only
    }
    stale = sorted(allowed - present)
    assert stale == [], f"these imports are gone: remove them from the allow-list in {Path(__file__).name}"


def test_production_code_uses_no_assert_for_control_flow() -> None:
    """`python -O` drops asserts; a check that matters raises, a state that cannot happen is typed away."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Assert)
            ]
    assert found == []
