"""How a reply is cut into spoken phrases and its transcript spread over the audio; espeak-ng's output."""

from __future__ import annotations

from livetui.server.core.senses.tts import RATE, shared_synthesizer
from livetui.server.core.speaking import next_phrase, spread


def phrases(text: str, *, final: bool = True) -> list[str]:
    """Every phrase `next_phrase` cuts from `text`, the first one as a reply's first."""
    out: list[str] = []
    while (split := next_phrase(text, final=final, first=not out)) is not None:
        phrase, text = split
        out.append(phrase)
    return out


def test_phrases_end_at_sentences_then_clauses_then_long_runs_of_words() -> None:
    text = "Hello there. It is sunny today, with a light breeze from the west, and no rain at all!"
    assert phrases(text) == [
        "Hello there. ",
        "It is sunny today, with a light breeze from the west, ",  # a clause needs six words
        "and no rain at all!",
    ]
    assert phrases("Oh yes, you see, it is fine today, really.") == [
        "Oh yes, ",  # a first phrase: two words are enough
        "you see, it is fine today, ",
        "really.",
    ]
    long = " ".join(f"w{n}" for n in range(30))
    assert [len(p.split()) for p in phrases(long)] == [3, 12, 12, 3], "the first phrase is shorter"
    assert "".join(phrases(long)) == long


def test_an_unfinished_phrase_waits_for_more_text_unless_it_is_the_end() -> None:
    assert next_phrase("It is sunny", final=False) is None
    assert next_phrase("It is sunny", final=True) == ("It is sunny", "")
    assert next_phrase("Done. And", final=False) == ("Done. ", "And")
    assert next_phrase("3.5 degrees", final=False) is None, "a decimal point is not the end of a sentence"


def test_the_transcript_is_spread_over_the_chunks_each_word_as_it_starts() -> None:
    assert spread("one two three", 6) == ["one", "", " two", "", " three", ""]
    assert spread("one two three four", 2) == ["one two", " three four"]
    assert "".join(spread("  odd  spacing here ", 4)) == "  odd  spacing here "
    assert spread("", 2) == ["", ""]


def test_espeak_speaks_24khz_speech_of_the_right_length() -> None:
    synth = shared_synthesizer()
    short, long = synth.speak("Hello."), synth.speak("Hello. This sentence is a good deal longer.")
    assert RATE == 24000
    assert 0.3 < len(short) / 2 / RATE < 1.5 and len(long) > 2 * len(short)
    assert synth.speak("   ") == b""
