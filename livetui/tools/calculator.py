"""Safe arithmetic: an expression is parsed with `ast` and walked, never handed to `eval`.

Only numbers, the operators ``+ - * / // % **``, unary ``+``/``-`` and parentheses are allowed. ``^`` is read
as a power (as people and models often write it), ``×`` and ``÷`` as ``*`` and ``/``. Limits keep every
evaluation small: the expression's length, the size of an exponent, and the size of every integer along the
way, so no expression can keep a CPU busy or fill memory.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable

Number = int | float
"""What an expression evaluates to."""

MAX_LENGTH = 500
"""The longest expression accepted, in characters."""
MAX_EXPONENT = 10_000
"""The largest exponent magnitude accepted."""
MAX_BITS = 100_000
"""The largest integer magnitude any step may produce, in bits (about 30,000 decimal digits)."""

_BINARY: dict[type[ast.operator], Callable[[Number, Number], Number]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[Number], Number]] = {ast.UAdd: operator.pos, ast.USub: operator.neg}


class CalculatorError(ValueError):
    """The expression is not plain arithmetic, or its result would be too large; the message is one line."""


def _check_size(value: Number) -> Number:
    if isinstance(value, int) and value.bit_length() > MAX_BITS:
        raise CalculatorError("the result is too large")
    if isinstance(value, float) and math.isinf(value):
        raise CalculatorError("the result is too large")
    return value


def _power(base: Number, exponent: Number) -> Number:
    if abs(exponent) > MAX_EXPONENT:
        raise CalculatorError(f"exponents larger than {MAX_EXPONENT} are not allowed")
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0:
        if max(base.bit_length() - 1, 0) * exponent > MAX_BITS:
            raise CalculatorError("the result is too large")
    result = base**exponent
    if isinstance(result, complex):
        raise CalculatorError("the result is not a real number")
    return result


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return f"names are not allowed ({node.id})"
    if isinstance(node, ast.Call):
        return "function calls are not allowed"
    if isinstance(node, ast.Attribute):
        return "attributes are not allowed"
    if isinstance(node, ast.Constant):
        return f"only numbers are allowed, not {node.value!r}"
    if isinstance(node, ast.BinOp | ast.UnaryOp):
        return "only + - * / // % ** are allowed"
    return f"{type(node).__name__.lower()} is not allowed"


def _walk(node: ast.AST) -> Number:
    if isinstance(node, ast.Expression):
        return _walk(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if isinstance(node.value, bool):
            raise CalculatorError(_describe(node))
        return node.value
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_walk(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _walk(node.left), _walk(node.right)
        try:
            if isinstance(node.op, ast.Pow):
                return _check_size(_power(left, right))
            return _check_size(_BINARY[type(node.op)](left, right))
        except ZeroDivisionError:
            raise CalculatorError("division by zero") from None
        except OverflowError:
            raise CalculatorError("the result is too large") from None
    raise CalculatorError(_describe(node))


def _tidy(value: Number) -> Number:
    """A float with no fractional part that an int holds exactly becomes that int (84 / 2 is 42)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def evaluate(expression: str) -> Number:
    """The value of an arithmetic expression.

    Raises:
        CalculatorError: the expression is empty, too long, not arithmetic, or too large to compute.
    """
    text = expression.strip().replace("^", "**").replace("×", "*").replace("÷", "/")
    if not text:
        raise CalculatorError("the expression is empty")
    if len(text) > MAX_LENGTH:
        raise CalculatorError(f"the expression is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise CalculatorError(f"not an arithmetic expression ({error.msg})") from None
    except (RecursionError, MemoryError, ValueError):
        raise CalculatorError("the expression is nested too deeply") from None
    try:
        return _tidy(_walk(tree))
    except RecursionError:
        raise CalculatorError("the expression is nested too deeply") from None
    except OverflowError:
        raise CalculatorError("the result is too large") from None
