"""Loading a user's tools file (``--tools tools.py``): its functions become tools.

Every public function the file defines (or every name in its ``__all__``) becomes a tool, declared from
its hints and docstring (`ToolSpec.from_function`). A function is NON_BLOCKING when it is marked with
``@tool(non_blocking=True)`` (from ``livetui.tools``) or listed in a module-level ``NON_BLOCKING``; the
``scheduling`` of its responses comes from ``@tool(scheduling=...)`` or a module-level ``SCHEDULING``: one
value for all of them, or a dict by function name.

Anything wrong with the file (it cannot be read or imported, a function has an unsupported hint, an option
is misspelt) is one `ToolsFileError` line naming the file.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from livetui.live.tools import Scheduling
from livetui.tools.schema import SchemaError
from livetui.tools.spec import OPTIONS_ATTRIBUTE, SCHEDULINGS, ToolOptions, ToolSpec

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")


class ToolsFileError(Exception):
    """A tools file that cannot be used; the message is one line naming the file."""


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _where(path: Path, error: BaseException) -> str:
    if isinstance(error, SyntaxError) and error.lineno:
        return f" (line {error.lineno})"
    lines = [
        frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == str(path)
    ]
    return f" (line {lines[-1]})" if lines and lines[-1] else ""


def _import(path: Path) -> ModuleType:
    if not path.is_file():
        raise ToolsFileError(f"{path}: no such tools file")
    if path.suffix != ".py":
        raise ToolsFileError(f"{path}: a tools file must be a Python file (.py)")
    module_name = "livetui_user_tools_" + re.sub(r"\W", "_", path.stem)
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ToolsFileError(f"{path}: cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # so dataclasses and hints defined in the file resolve
    try:
        spec.loader.exec_module(module)
    except BaseException as error:  # SystemExit and KeyboardInterrupt in a user's file are errors too
        sys.modules.pop(module_name, None)
        if isinstance(error, KeyboardInterrupt):
            raise
        detail = _one_line(error.msg if isinstance(error, SyntaxError) else error)
        kind = type(error).__name__
        raise ToolsFileError(
            f"{path}: {kind}{': ' + detail if detail else ''}{_where(path, error)}"
        ) from None
    return module


def _functions(path: Path, module: ModuleType) -> dict[str, Callable[..., Any]]:
    exported = getattr(module, "__all__", None)
    if exported is not None:
        found: dict[str, Callable[..., Any]] = {}
        for name in exported:
            value = getattr(module, str(name), None)
            if not inspect.isfunction(value):
                raise ToolsFileError(f"{path}: __all__ names {name!r}, which is not a function in the file")
            found[str(name)] = value
        return found
    return {
        name: value
        for name, value in vars(module).items()
        if inspect.isfunction(value) and not name.startswith("_") and value.__module__ == module.__name__
    }


def _scheduling(path: Path, value: object, where: str) -> Scheduling:
    if value not in SCHEDULINGS:
        raise ToolsFileError(f"{path}: {where} is {value!r}; use one of {', '.join(SCHEDULINGS)}")
    return value


def _module_options(path: Path, module: ModuleType, names: set[str]) -> dict[str, ToolOptions]:
    listed = getattr(module, "NON_BLOCKING", ())
    if isinstance(listed, str) or not all(isinstance(name, str) for name in listed):
        raise ToolsFileError(f"{path}: NON_BLOCKING must be a list of function names")
    unknown = sorted(set(listed) - names)
    if unknown:
        raise ToolsFileError(f"{path}: NON_BLOCKING names {unknown[0]!r}, which is not a tool in the file")
    scheduling = getattr(module, "SCHEDULING", None)
    by_name: dict[str, object] = {}
    if isinstance(scheduling, dict):
        by_name = dict(scheduling)
        unknown = sorted(set(map(str, by_name)) - names)
        if unknown:
            raise ToolsFileError(f"{path}: SCHEDULING names {unknown[0]!r}, which is not a tool in the file")
    options: dict[str, ToolOptions] = {}
    for name in names:
        value = by_name.get(name) if isinstance(scheduling, dict) else scheduling
        if name in listed or name in by_name:
            chosen = _scheduling(path, value, f"SCHEDULING for {name}") if value is not None else None
            options[name] = ToolOptions(non_blocking=True, scheduling=chosen)
    return options


def load_tools_file(path: Path) -> list[ToolSpec]:
    """The tools a Python file defines.

    Raises:
        ToolsFileError: the file is missing, fails to import, defines no function, or a function cannot be
            declared (one line, naming the file and the function).
    """
    module = _import(path)
    functions = _functions(path, module)
    if not functions:
        raise ToolsFileError(f"{path}: defines no public function to offer as a tool")
    from_module = _module_options(path, module, set(functions))
    specs: list[ToolSpec] = []
    for name, function in functions.items():
        marked: ToolOptions | None = getattr(function, OPTIONS_ATTRIBUTE, None)
        options = marked or from_module.get(name)
        if marked and marked.scheduling is not None:
            _scheduling(path, marked.scheduling, f"the scheduling of {name}")
        try:
            spec = ToolSpec.from_function(function, options)
        except SchemaError as error:
            raise ToolsFileError(f"{path}: function {name}: {error}") from None
        if not _NAME.match(spec.name):
            raise ToolsFileError(f"{path}: {spec.name!r} is not a valid tool name (letters, digits, _ . -)")
        specs.append(spec)
    return specs
