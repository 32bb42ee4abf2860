"""Strip embedded social media and boilerplate (tweets, captions, credits, teasers ...).

The patterns live in ``cleaners/rules/embeds.toml`` (documented there); this module only
loads, checks and applies them.  Every removed span becomes an edit whose ``kind`` is the
rule's category (``tweet``, ``caption``, ``credit`` ...), so users can see what went.

Text convention: paragraphs separated by one blank line, no other newlines.  Each paragraph
is handled on its own, except that a rule may also take the paragraph before it (the text of
a tweet whose signature line is a paragraph of its own) or the paragraphs after it (the list
under a "Related stories" heading).  Per paragraph:

1. ``paragraph`` rules: when one matches the whole paragraph, the paragraph goes.
2. Span rules, in file order, each on what is left: ``through_match``, ``match`` and
   ``post`` (an embed's signature and the post text before it).
3. The end of the paragraph: ``caption`` rules (a credit, with the caption sentence before
   it) and paragraph rules marked ``glued_end`` (a "Read more: ..." teaser, a credit line,
   a syndication note glued after prose) are tried on the trailing sentences.
4. What is left after a change is checked once more against the ``paragraph`` rules.

Where an embed is glued to prose, only the embed goes: text before a signature or a credit
is cut at a sentence boundary, and a sentence that reports speech ("..., Macron said.") is
never taken as embed text.  Removing content is the worst error, so when in doubt the text
stays.

One remover per family: ``strip_family(text, "tweet")`` (or ``strip_tweet(text)`` ...)
applies only that family's rules; ``strip_embeds`` applies all of them.

Speed: the paragraph rules of each length bucket run as one combined regex; the end-of-
paragraph rules likewise; rules with a ``trigger`` only run where the trigger occurs (looked
for once per document).

The package: ``rules`` (the rules model: ``EmbedRule``, ``Heuristics``, ``RuleSet``, loading
and checking a rules file), ``dispatch`` (matching many rules at once, on top of the general
``cleaners.regex_prefilter``), ``prose`` (telling embed text from prose) and ``strip``
(applying the rules).  Everything other code uses is importable from ``cleaners.embeds``.
"""

from __future__ import annotations

from cleaners.embeds.prose import caption_text_start, is_post_like, is_reported, post_text_start, sentence_spans
from cleaners.embeds.rules import (
    CATEGORIES,
    DEFAULT_RULES,
    FAMILIES,
    HEURISTIC_KEYS,
    POST_TEXT_MODES,
    PREVIOUS_MODES,
    REMOVE_MODES,
    RULE_KEYS,
    SPAN_MODES,
    EmbedRule,
    EmbedRuleError,
    Heuristics,
    RuleSet,
    load_rules,
    parse_rules,
    words_regex,
)
from cleaners.embeds.strip import (
    REMOVERS,
    STEP,
    TAIL_TRIES,
    embeds_state,
    strip_ad,
    strip_bio,
    strip_boilerplate,
    strip_caption,
    strip_comments,
    strip_credit,
    strip_cta,
    strip_disclaimer,
    strip_embeds,
    strip_facebook,
    strip_family,
    strip_header,
    strip_instagram,
    strip_nav,
    strip_other,
    strip_paragraph,
    strip_paragraphs,
    strip_pull_quote,
    strip_related,
    strip_share,
    strip_source,
    strip_tweet,
    strip_youtube,
)

__all__ = [
    "CATEGORIES",
    "DEFAULT_RULES",
    "FAMILIES",
    "HEURISTIC_KEYS",
    "POST_TEXT_MODES",
    "PREVIOUS_MODES",
    "REMOVERS",
    "REMOVE_MODES",
    "RULE_KEYS",
    "SPAN_MODES",
    "STEP",
    "TAIL_TRIES",
    "EmbedRule",
    "EmbedRuleError",
    "Heuristics",
    "RuleSet",
    "caption_text_start",
    "embeds_state",
    "is_post_like",
    "is_reported",
    "load_rules",
    "parse_rules",
    "post_text_start",
    "sentence_spans",
    "strip_ad",
    "strip_bio",
    "strip_boilerplate",
    "strip_caption",
    "strip_comments",
    "strip_credit",
    "strip_cta",
    "strip_disclaimer",
    "strip_embeds",
    "strip_facebook",
    "strip_family",
    "strip_header",
    "strip_instagram",
    "strip_nav",
    "strip_other",
    "strip_paragraph",
    "strip_paragraphs",
    "strip_pull_quote",
    "strip_related",
    "strip_share",
    "strip_source",
    "strip_tweet",
    "strip_youtube",
    "words_regex",
]
