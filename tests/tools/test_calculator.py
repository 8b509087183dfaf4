"""The calculator evaluates arithmetic exactly and refuses everything else, without ever using eval."""

from __future__ import annotations

import pytest

from livetui.tools.calculator import MAX_EXPONENT, MAX_LENGTH, CalculatorError, evaluate


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("6 * 7", 42),
        ("12 + 30", 42),
        ("(12 + 30) / 2", 21),
        ("84 / 2", 42),
        ("7 / 2", 3.5),
        ("7 // 2", 3),
        ("-7 // 2", -4),
        ("7 % 3", 1),
        ("2 ** 10", 1024),
        ("2 ^ 10", 1024),
        ("-3 ** 2", -9),
        ("+-+5", -5),
        ("1.5 * 4", 6),
        ("0.1 + 0.2", 0.1 + 0.2),
        ("6 × 7", 42),
        ("84 ÷ 2", 42),
        ("1_000 * 3", 3000),
        ("2 ** -1", 0.5),
        ("  ((((1))))  ", 1),
    ],
)
def test_arithmetic_is_exact(expression: str, expected: float) -> None:
    result = evaluate(expression)
    assert result == expected
    assert type(result) is type(expected)


def test_big_integers_stay_exact() -> None:
    assert evaluate("2 ** 100") == 1267650600228229401496703205376
    assert evaluate("123456789123456789 * 987654321987654321") == 121932631356500531347203169112635269


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("__import__('os').system('true')", "function calls are not allowed"),
        ("x + 1", "names are not allowed (x)"),
        ("abs(-1)", "function calls are not allowed"),
        ("(1).real", "attributes are not allowed"),
        ("'a' * 3", "only numbers are allowed"),
        ("True + 1", "only numbers are allowed"),
        ("1j * 2", "only numbers are allowed"),
        ("[1, 2]", "list is not allowed"),
        ("1 if 1 else 2", "ifexp is not allowed"),
        ("lambda: 1", "lambda is not allowed"),
        ("1 < 2", "compare is not allowed"),
        ("1 << 100", "only + - * / // % ** are allowed"),
        ("~1", "only + - * / // % ** are allowed"),
        ("not 1", "only + - * / // % ** are allowed"),
        ("1 +", "not an arithmetic expression"),
        ("", "the expression is empty"),
        ("1 / 0", "division by zero"),
        ("1 % 0", "division by zero"),
        ("0 ** -1", "division by zero"),
        ("(-8) ** 0.5", "not a real number"),
    ],
)
def test_anything_but_arithmetic_is_refused(expression: str, message: str) -> None:
    with pytest.raises(CalculatorError) as caught:
        evaluate(expression)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "expression",
    [
        f"2 ** {MAX_EXPONENT + 1}",
        "9 ** 9 ** 9",
        "(10 ** 5000) ** 10",
        "10 ** 9999 * 10 ** 9999 * 10 ** 9999 * 10 ** 9999",
        "2.0 ** 5000",
        "1e308 * 10",
    ],
)
def test_huge_results_are_refused_before_they_are_computed(expression: str) -> None:
    with pytest.raises(CalculatorError) as caught:
        evaluate(expression)
    assert "large" in str(caught.value)


def test_long_and_deeply_nested_expressions_are_refused() -> None:
    with pytest.raises(CalculatorError, match="longer than"):
        evaluate("1 + " * MAX_LENGTH + "1")
    with pytest.raises(CalculatorError, match="nested too deeply|not an arithmetic"):
        evaluate("(" * 240 + "1" + ")" * 240)
