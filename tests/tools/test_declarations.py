"""Declarations come from a tools file's hints and docstrings; a broken file is one clear error."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from livetui.providers.gemini.client import Setup, SetupMessage
from livetui.providers.gemini.codec import encode, load_json
from livetui.providers.gemini.setup import function_declaration, setup_tools
from livetui.tools.loader import ToolsFileError, load_tools_file
from livetui.tools.registry import ToolRegistry

SAMPLE = Path(__file__).parent / "sample_tools.py"


def test_public_functions_of_the_file_become_tools_and_imports_do_not() -> None:
    names = [spec.name for spec in load_tools_file(SAMPLE)]
    assert names == ["weather", "add", "slow_search", "set_mode", "broken_tool"]


def test_a_declaration_has_the_docstring_and_a_schema_from_the_hints() -> None:
    specs = {spec.name: spec for spec in load_tools_file(SAMPLE)}
    weather = function_declaration(specs["weather"].declaration())
    assert weather.description == "The weather forecast for a city.\n\nLooks it up in a very small table."
    assert weather.behavior is None
    assert weather.parameters_json_schema == {
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": 'The city\'s name, e.g. "Paris".'},
            "unit": {"type": "string", "enum": ["C", "F"], "description": "The temperature unit."},
            "days": {"type": "integer", "description": "How many days ahead, counting today as the first."},
        },
        "required": ["city"],
    }
    assert specs["add"].is_async and not specs["weather"].is_async
    assert specs["add"].parameters == {
        "type": "object",
        "properties": {"a": {"type": "integer"}, "b": {"type": "number"}, "note": {"type": "string"}},
        "required": ["a", "b"],
    }
    assert specs["slow_search"].parameters == {
        "type": "object",
        "properties": {
            "query": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "limits": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
        "required": ["query", "tags"],
    }
    assert specs["set_mode"].parameters == {
        "type": "object",
        "properties": {
            "mode": {"type": "string", "enum": ["fast", "slow"]},
            "verbose": {"type": "boolean"},
            "note": {"type": "string", "description": "Why."},
        },
        "required": ["mode"],
    }
    assert specs["broken_tool"].parameters is None


def test_non_blocking_comes_from_the_module_or_the_decorator() -> None:
    specs = {spec.name: spec for spec in load_tools_file(SAMPLE)}
    assert (specs["slow_search"].behavior, specs["slow_search"].scheduling) == ("NON_BLOCKING", "WHEN_IDLE")
    assert (specs["set_mode"].behavior, specs["set_mode"].scheduling) == ("NON_BLOCKING", "SILENT")
    assert (specs["add"].behavior, specs["add"].scheduling) == (None, None)


def test_the_registry_puts_builtins_and_the_file_in_setup_on_the_wire() -> None:
    registry = ToolRegistry.load(SAMPLE)
    assert registry.names[:2] == ("current_time", "calculator")
    assert len(registry) == 7
    frame = load_json(
        encode(SetupMessage(setup=Setup(model="models/m", tools=setup_tools(registry.declarations()))))
    )
    declarations = frame["setup"]["tools"][0]["functionDeclarations"]
    assert [d["name"] for d in declarations] == list(registry.names)
    search = next(d for d in declarations if d["name"] == "slow_search")
    assert search["behavior"] == "NON_BLOCKING"
    tags = search["parametersJsonSchema"]["properties"]["tags"]
    assert tags == {"type": "array", "items": {"type": "string"}}
    calculator = next(d for d in declarations if d["name"] == "calculator")
    assert calculator["parametersJsonSchema"]["required"] == ["expression"]
    assert "parameters" not in calculator


def test_a_file_tool_replaces_a_builtin_of_the_same_name(tmp_path: Path) -> None:
    path = tmp_path / "tools.py"
    path.write_text('def calculator(expression: str) -> str:\n    """Mine."""\n    return "mine"\n')
    registry = ToolRegistry.load(path)
    assert registry.names == ("current_time", "calculator")
    spec = registry.get("calculator")
    assert spec is not None and spec.description == "Mine."


def test_dunder_all_chooses_the_tools(tmp_path: Path) -> None:
    path = tmp_path / "tools.py"
    path.write_text(
        textwrap.dedent(
            '''
            __all__ = ["b"]

            def a() -> None:
                """A."""

            def b(x: int) -> int:
                """B."""
                return x
            '''
        )
    )
    assert [spec.name for spec in load_tools_file(path)] == ["b"]


BROKEN = {
    "syntax": ("def f(:\n    pass\n", "SyntaxError: invalid syntax (line 1)"),
    "raises": ("x = 1\nraise RuntimeError('no config')\n", "RuntimeError: no config (line 2)"),
    "import": ("import not_a_module_anywhere\n", "ModuleNotFoundError: No module named 'not_a_module"),
    "exit": ("import sys\nsys.exit(3)\n", "SystemExit: 3 (line 2)"),
    "no hint": ("def f(x):\n    pass\n", "function f: parameter 'x' has no type hint"),
    "bad hint": ("def f(x: object) -> None:\n    pass\n", "parameter 'x': type object is not supported"),
    "union": ("def f(x: int | str) -> None:\n    pass\n", "parameter 'x': unions are not supported"),
    "varargs": ("def f(*x: int) -> None:\n    pass\n", "parameter 'x': only named parameters are supported"),
    "empty": ("X = 1\n", "defines no public function"),
    "all": ("__all__ = ['X']\nX = 1\n", "__all__ names 'X', which is not a function"),
    "non-blocking": ("NON_BLOCKING = ['g']\ndef f() -> None:\n    pass\n", "NON_BLOCKING names 'g'"),
    "scheduling": (
        "NON_BLOCKING = ['f']\nSCHEDULING = 'SOON'\ndef f() -> None:\n    pass\n",
        "SCHEDULING for f is 'SOON'; use one of SILENT, WHEN_IDLE, INTERRUPT",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_tools_file_is_one_line_naming_the_file(tmp_path: Path, case: str) -> None:
    source, expected = BROKEN[case]
    path = tmp_path / "tools.py"
    path.write_text(source)
    with pytest.raises(ToolsFileError) as caught:
        load_tools_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message


def test_a_missing_or_non_python_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ToolsFileError, match="no such tools file"):
        load_tools_file(tmp_path / "absent.py")
    other = tmp_path / "tools.txt"
    other.write_text("def f() -> None: pass\n")
    with pytest.raises(ToolsFileError, match="must be a Python file"):
        load_tools_file(other)


def test_declarations_are_neutral_json_schema_and_gemini_declares_them_as_before() -> None:
    specs = {spec.name: spec for spec in load_tools_file(SAMPLE)}
    search, broken = specs["slow_search"].declaration(), specs["broken_tool"].declaration()
    assert search.non_blocking and search.parameters["type"] == "object"
    assert broken.parameters == {"type": "object", "properties": {}}, "no arguments: an empty object schema"
    gemini = function_declaration(broken)
    assert gemini.parameters_json_schema is None and gemini.behavior is None, "Gemini declares no schema"
    assert function_declaration(search).behavior == "NON_BLOCKING"
    assert setup_tools(()) is None
