"""Phrases said over and over: how the bench counts them, and the guard that ends a reply before one."""

from __future__ import annotations

from livetui.server.core.brains.repetition import LoopGuard, repeats_a_phrase


def test_a_phrase_said_three_times_is_a_repeat_whatever_its_case_and_punctuation() -> None:
    assert repeats_a_phrase("La Femme, la femme! LA FEMME, la Femme.")  # "la femme la", three times
    assert repeats_a_phrase("The answer is four. The answer is four. The answer is four.")
    assert not repeats_a_phrase("The answer is four. The answer is four.")
    assert not repeats_a_phrase("Red, orange and yellow are three colours of the rainbow.")


def test_the_guard_stops_the_delta_that_would_say_a_phrase_a_third_time() -> None:
    guard = LoopGuard()
    said = []
    for delta in ["L'Étoile,", " la Femme,", " la Femme,", " la Femme,", " la Femme,"]:
        if not guard.allows(delta):
            break
        said.append(delta)
    assert "".join(said) == "L'Étoile, la Femme, la Femme, la Femme,"
    assert not repeats_a_phrase("".join(said))


def test_the_guard_lets_an_ordinary_reply_through_whole() -> None:
    guard = LoopGuard()
    reply = ["Paris", " is the capital", " of France.", " It is known", " for the Eiffel Tower."]
    assert all(guard.allows(delta) for delta in reply)
