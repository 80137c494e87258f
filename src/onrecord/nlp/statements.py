"""Finding statements: direct quotes, reported speech, mixed quotes and "according to".

Three passes over one parsed document:

1. *Reported speech* from the dependency parse: a reporting verb (lexicon) with a
   clausal complement is a cue; its subject (inherited through "and said" / "adding
   that") is the source; the complement is the content.
2. *According to*: "according to X" anywhere in a sentence makes X the source of the
   rest of the sentence.
3. *Quotes* the parse did not attach: a quote with a cue beside it ("…,” he said /
   said: “…”), a quote paragraph that continues the previous speaker, or a second
   quote after "“A,” he said." Every other quote is a scare quote and is ignored.

A statement's type comes from how its content overlaps quotation marks: all inside
one quote is ``direct``, partly quoted is ``mixed``, unquoted is ``indirect``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from onrecord.nlp.lexicon import (
    COGNITION_VERBS,
    INTENTION_VERBS,
    OBJECT_CONTENT_VERBS,
    PHRASAL_CUES,
    REPORTING_VERBS,
    ROLE_WORDS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    STANCE_VERBS,
)
from onrecord.nlp.quotes import Quote, find_quotes
from onrecord.nlp.spanindex import SpanIndex

TRIM = " \t\r\n,;:.–—-"
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
CONTENT_DEPS = ("ccomp", "parataxis")
# What a stance verb governs that belongs to the attributed position.
STANCE_PARTS = ("dobj", "oprd", "xcomp", "ccomp", "prep", "dative", "attr", "acomp")
# A stance verb in these positions is a purpose or modifier ("is needed to support X"),
# not an attribution to the subject it would inherit.
NON_FINITE_DEPS = ("xcomp", "acl", "pcomp", "advcl", "amod")
# Belief, intention and stance verbs inside someone else's reported words are part of
# those words ("he said he believed …", "Macron said 26 allies have pledged to …").
NESTED_NOT_CUES = COGNITION_VERBS | INTENTION_VERBS | STANCE_VERBS
SOURCE_STOP = {",", "—", "–", "(", ";", ":", "-", '"', "“", "”"}


@dataclass
class Found:
    """A statement found in the text, before its speakers are resolved."""

    type: str
    content: tuple[int, int]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    source_token: Token | None = None  # head of the source phrase, for resolution
    continues: Found | None = None  # an unattributed quote continuing this statement
    parent: Found | None = None  # the statement whose reported words contain this one's cue
    origin: str = "rules"  # which readers found it: "rules", "tagger", "tagger+rules"


def doc_text(doc: Doc) -> str:
    """The document text, built once: spaCy's ``Doc.text`` joins every token on each call."""
    if "onrecord_text" not in doc.user_data:
        doc.user_data["onrecord_text"] = doc.text
    return doc.user_data["onrecord_text"]


ACCORDING = frozenset({"according"})


def tokens_with(doc: Doc, attr: str, words: frozenset[str]) -> list[Token]:
    """Tokens whose ``attr`` (LEMMA or LOWER) is one of ``words``, found with one array
    lookup instead of building a Python object for every token of the document."""
    ids = doc.to_array(attr)
    strings = doc.vocab.strings
    wanted = {strings.add(w) for w in words}
    return [doc[i] for i, v in enumerate(ids.tolist()) if v in wanted]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow ``start:end`` past surrounding whitespace and clause punctuation."""
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def _in_quote(quotes: list[Quote], start: int, end: int) -> Quote | None:
    return next((q for q in quotes if q.start <= start and end <= q.end), None)


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, or the subject it shares with the verb it hangs off."""
    seen = 0
    while seen < 4:
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            # With two candidates (a stray "that" and the real one), the nearest wins.
            return min(subjects, key=lambda c: abs(verb.i - c.i))
        if verb.dep_ in ("conj", "advcl", "xcomp", "relcl") and verb.head is not verb:
            if verb.dep_ == "relcl":
                return None
            verb = verb.head
            seen += 1
            continue
        return None
    return None


def inverted_subject(verb: Token) -> Token | None:
    """ "…," says Early: the capitalised name right after a cue that the parse gave no
    subject (it read the name as an adverb), ending its clause."""
    doc = verb.doc
    names: list[Token] = []
    for t in doc[verb.i + 1 : verb.i + 5]:
        if not (t.is_alpha and t.text[:1].isupper()):
            break
        names.append(t)
    after = verb.i + 1 + len(names)
    if names and (after >= len(doc) or doc[after].text in (".", ",", ";", "!", "?")):
        return names[-1]
    return None


def _relative_head(verb: Token) -> Token | None:
    """For "X, who said ...", the X a relative-clause cue hangs off."""
    return verb.head if verb.dep_ == "relcl" else None


def source_phrase(tok: Token) -> tuple[int, int]:
    """The whole source phrase headed by ``tok``, appositions and asides included
    ("Rep. Jo Bell (D-N.C.), head of the caucus"), as PolNeAR annotates sources."""
    doc = tok.doc
    left, right = tok.left_edge.i, tok.right_edge.i
    while right > tok.i and (doc[right].is_punct or doc[right].is_space) and not (
            doc[right].text == ")" and "(" in doc[left:right].text):
        right -= 1
    while left < tok.i and doc[left].is_punct and doc[left].text != "(":
        left += 1
    return doc[left].idx, doc[right].idx + len(doc[right])


def source_span(tok: Token) -> tuple[int, int]:
    """The core of the source phrase headed by ``tok``, cut before relative clauses and
    asides: the words that name the speaker, used to resolve who it is."""
    left = tok.left_edge.i
    right = tok.i
    doc = tok.doc
    # Extend right over the phrase's own words until a comma, dash or clause starts.
    for t in doc[tok.i + 1 : tok.right_edge.i + 1]:
        if t.text in SOURCE_STOP or t.dep_ in ("relcl", "acl") or t.is_space:
            break
        right = t.i
    # Cut a leading aside ("(Russian President Vladimir) Putin" keeps its words).
    while left < tok.i and (doc[left].is_punct and doc[left].text not in "("):
        left += 1
    return doc[left].idx, doc[right].idx + len(doc[right])


def cue_span(verb: Token) -> tuple[int, int]:
    """The verb group: auxiliaries, negation and adverbs inside it, and a particle
    ("has said", "has also said", "did not immediately respond", "pointed out")."""
    doc = verb.doc
    inner = {c.i for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "advmod")}
    start_i = verb.i
    # Walk left over the group, but only as far as an auxiliary anchors it: a bare
    # adverb in front of the verb ("also said") is not part of the cue.
    i = verb.i - 1
    while i >= 0 and i in inner:
        if doc[i].dep_ in ("aux", "auxpass", "neg"):
            start_i = i
        i -= 1
    end_i = verb.i
    for child in verb.children:
        if child.dep_ == "prt" and child.i == end_i + 1:
            end_i = child.i
    return doc[start_i].idx, doc[end_i].idx + len(doc[end_i])


def _according_tokens(doc: Doc) -> set[int]:
    """Token indices of every "according to X" phrase, to keep them out of contents."""
    out: set[int] = set()
    for tok in tokens_with(doc, "LOWER", ACCORDING):
        if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            out.update(range(tok.i, tok.right_edge.i + 1))
            out.update(range(doc[tok.i + 1].i, doc[tok.i + 1].right_edge.i + 1))
    return out


def _content_span(tokens: list[Token], skip: set[int], text: str) -> tuple[int, int] | None:
    """Character span over ``tokens`` (in order), stopping at an "according to" phrase."""
    kept = [t for t in tokens if not t.is_space]
    if not kept:
        return None
    # Drop a trailing "according to X" phrase (it belongs to the according-to statement)
    # and a dangling conjunction or punctuation left by the parse.
    while kept and (kept[-1].i in skip or kept[-1].dep_ == "cc" or kept[-1].is_punct):
        kept.pop()
    if not kept:
        return None
    start, end = trim(text, kept[0].idx, kept[-1].idx + len(kept[-1]))
    return (start, end) if end > start else None


def _clause_content(verb: Token, skip: set[int]) -> tuple[tuple[int, int], Token] | None:
    """The reported content of a reporting verb, if the parse gives it one."""
    doc = verb.doc
    text = doc_text(doc)
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ in CONTENT_DEPS and child.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
            if child.dep_ == "parataxis" and child.i > verb.i:
                continue  # "he said; others disagreed" is not content
            toks = list(child.subtree)
            span = _content_span(toks, skip, text)
            if span:
                return span, child
    if lemma in PHRASAL_CUES:
        # "called for the world to …": the particle may hang off the verb or the clause.
        for particle in doc[verb.i + 1 : verb.i + 3]:
            if particle.lower_ in PHRASAL_CUES[lemma]:
                objects = [c for c in particle.children if c.dep_ in ("pobj", "pcomp")]
                last = objects[-1].right_edge.i if objects else verb.right_edge.i
                toks = list(doc[particle.i + 1 : last + 1])
                span = _content_span(toks, skip, text)
                if span:
                    return span, particle
    if lemma in INTENTION_VERBS:
        for child in verb.children:
            if child.dep_ == "xcomp" and child.i > verb.i:
                span = _content_span(list(child.subtree), skip, text)
                if span:
                    return span, child
    bare = not any(c.dep_ in ("dobj", "xcomp", "oprd", "attr", "prep") for c in verb.children)
    if verb.dep_ in ("parataxis", "advcl") and bare and verb.lemma_ in SPEECH_VERBS:
        # "To prevent problems, he said, officials should be vigilant": the clause the
        # cue interrupts is the content; keep its longer side.
        own = {t.i for t in verb.subtree}
        clause = [t for t in verb.head.subtree if t.i not in own]
        left = [t for t in clause if t.i < verb.left_edge.i]
        right = [t for t in clause if t.i > verb.right_edge.i]
        for side in sorted((left, right), key=len, reverse=True):
            span = _content_span(side, skip, text)
            if span:
                return span, verb.head
    if lemma in STANCE_VERBS and verb.dep_ not in NON_FINITE_DEPS:
        # Everything the verb governs to its right: object, complement, "of"/"as"/"for" phrase.
        parts = [c for c in verb.children if c.i > verb.i and c.dep_ in STANCE_PARTS]
        if parts and any(c.dep_ in ("dobj", "oprd", "xcomp", "ccomp") for c in parts):
            toks = list(doc[parts[0].left_edge.i : parts[-1].right_edge.i + 1])
            span = _content_span(toks, skip, text)
            if span:
                return span, parts[0]
    if lemma in OBJECT_CONTENT_VERBS:
        for child in verb.children:
            if child.dep_ == "dobj" and child.pos_ in ("NOUN", "PROPN") and not child.like_num:
                toks = list(child.subtree)
                span = _content_span(toks, skip, text)
                if span:
                    return span, child
    return None


def _extend_over_conjunct(verb: Token, content: tuple[int, int], skip: set[int]) -> tuple[int, int]:
    """ "X said that A, but will aim B": a subjectless conjunct the parser hung on the cue
    verb continues the content (unless it is a reporting verb itself: "and said …")."""
    for conj in verb.children:
        if (
            conj.dep_ == "conj"
            and conj.idx >= content[1]
            and not any(c.dep_ in SUBJECT_DEPS for c in conj.children)
            and not _is_cue(conj)
        ):
            span = _content_span(list(conj.subtree), skip, doc_text(verb.doc))
            if span:
                return content[0], max(content[1], span[1])
    return content


def _is_cue(verb: Token) -> bool:
    return verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in REPORTING_VERBS


def _statement_type(
    text: str, content: tuple[int, int], quotes: list[Quote]
) -> tuple[str, tuple[int, int]]:
    """direct/mixed/indirect, and the content widened to the whole quote where one is in it.

    A leading "that" stays in the content, as in PolNeAR ("said that “…”" is direct)."""
    lead, end = content
    start = lead
    if text.startswith("that", start) and not text[start + 4 : start + 5].isalnum():
        start = trim(text, start + 4, end)[0]
    for q in quotes:
        if q.inner_start - 1 <= start and end <= q.end + 1:
            return "direct", (lead if lead < start else q.inner_start, q.inner_end)
    covering = [q for q in quotes if q.start < end and start < q.end and q.speech]
    if covering:
        first, last = covering[0], covering[-1]
        if (
            len(covering) == 1
            and first.inner_start - 2 <= start
            and (first.inner_end - first.inner_start) >= 0.8 * (end - start)
        ):
            return "direct", (lead if lead < start else first.inner_start, first.inner_end)
        # A quote that opens inside the content but runs past it belongs to it.
        return "mixed", (min(lead, first.start), max(end, last.end))
    return "indirect", content


def reported_speech(doc: Doc, quotes: list[Quote], skip: set[int]) -> list[Found]:
    """Statements whose cue is a reporting verb with a clause (or object) as content."""
    text = doc_text(doc)
    found: list[Found] = []
    for verb in tokens_with(doc, "LEMMA", REPORTING_VERBS):
        if not _is_cue(verb) or _in_quote(quotes, verb.idx, verb.idx + len(verb)):
            continue
        got = _clause_content(verb, skip)
        if got is None:
            continue
        content, content_head = got
        content = _extend_over_conjunct(verb, content, skip)
        if content[0] <= verb.idx < content[1]:
            continue
        subj = subject_of(verb)
        rel = _relative_head(verb)
        if subj is None and rel is None:
            continue
        src_tok = subj if subj is not None else rel
        assert src_tok is not None
        core = source_span(src_tok)
        if core[0] < content[1] and content[0] < core[1]:
            continue
        source = source_phrase(src_tok)
        if source[0] < content[1] and content[0] < source[1]:
            source = core
        kind, content = _statement_type(text, content, quotes)
        cue = cue_span(verb)
        if content_head.lower_ in PHRASAL_CUES.get(verb.lemma_.lower(), ()):
            cue = (cue[0], content_head.idx + len(content_head))  # "called for"
        found.append(Found(kind, content, cue, source, src_tok))
    # Belief verbs inside someone else's reported words are part of those words.
    kept = []
    for f in found:
        cue_tok = doc.char_span(*f.cue, alignment_mode="expand") if f.cue else None
        verb_lemma = cue_tok.root.lemma_.lower() if cue_tok is not None else ""
        if verb_lemma in NESTED_NOT_CUES and f.cue and any(
                g is not f and g.content[0] <= f.cue[0] < g.content[1] for g in found):
            continue
        kept.append(f)
    return kept


def according_to(doc: Doc) -> list[Found]:
    """ "According to X" statements: X is the source of the rest of the sentence."""
    text = doc_text(doc)
    found: list[Found] = []
    for tok in tokens_with(doc, "LOWER", ACCORDING):
        if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        to = doc[tok.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj"] or [
            t for t in doc[to.i + 1 : to.i + 6] if t.pos_ in ("NOUN", "PROPN", "PRON")
        ]
        if not objs:
            continue
        src_tok = objs[0]
        phrase_end = max(src_tok.right_edge.i, to.i + 1)
        source = source_span(src_tok)
        source = (source[0], max(source[1], doc[phrase_end].idx + len(doc[phrase_end])))
        sent = tok.sent
        before = trim(text, sent.start_char, tok.idx)
        after = trim(text, doc[phrase_end].idx + len(doc[phrase_end]), sent.end_char)
        content = before if (before[1] - before[0]) >= (after[1] - after[0]) else after
        if content[1] - content[0] < 3:
            continue
        found.append(Found("according_to", content, (tok.idx, to.idx + len(to)), source, src_tok))
    return found


def quotes_of(doc: Doc) -> list[Quote]:
    if "onrecord_quotes" not in doc.user_data:
        doc.user_data["onrecord_quotes"] = find_quotes(doc_text(doc))
    return doc.user_data["onrecord_quotes"]


def _adjacent_cue(doc: Doc, q: Quote) -> Token | None:
    """A reporting verb right after a quote's close ("…,” he said) or before its open."""
    after = doc.char_span(q.end, min(len(doc_text(doc)), q.end + 120), alignment_mode="expand")
    if after is not None:
        for t in after[:10]:
            if t.text in (".", "!", "?", "“", '"') or "\n" in t.text:
                break
            if _is_cue(t):
                # Only the speaker (and the verb's auxiliaries) may stand between
                # the quote and its cue: "…,” the Nato chief said; not "…” in Paris, X said.
                subj = subject_of(t)
                allowed = {a.i for a in t.children if a.dep_ in ("aux", "neg", "advmod")}
                if subj is not None:
                    if subj.left_edge.idx <= q.start < subj.right_edge.idx:
                        break  # the quote is inside the subject phrase: a name, not speech
                    allowed |= {x.i for x in subj.subtree}
                between = [x for x in doc[after.start : t.i] if not (x.is_punct or x.is_space)]
                if all(x.i in allowed for x in between):
                    return t
                break
    before = doc.char_span(max(0, q.start - 80), q.start, alignment_mode="expand")
    if before is not None and len(before):
        toks = [t for t in before if not t.is_space and t.idx < q.start]
        # "said:" / "said," / "said that" immediately before the mark
        tail = toks[-3:]
        if tail and tail[-1].text in (":", ",", "that"):
            for t in reversed(tail[:-1]):
                if _is_cue(t):
                    return t
    return None


def _looks_like_speech(doc: Doc, q: Quote) -> bool:
    """A quote long enough and clause-like enough to be someone's words, not a name."""
    inner = doc.char_span(q.inner_start, q.inner_end, alignment_mode="expand")
    if inner is None:
        return False
    words = [t for t in inner if t.is_alpha]
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in inner)
    sentence_like = q.inner_text.rstrip()[-1:] in (".", "!", "?", ",")
    return has_verb and (len(words) >= 4 or sentence_like)


def quoted_speech(doc: Doc, quotes: list[Quote], found: list[Found]) -> list[Found]:
    """Direct quotes the parse-based pass did not already cover."""
    text = doc_text(doc)
    out: list[Found] = []
    claimed = [f.content for f in found]

    def covered(q: Quote) -> bool:
        return any(s < q.inner_end and q.inner_start < e for s, e in claimed)

    for q in quotes:
        if covered(q):
            continue
        verb = _adjacent_cue(doc, q)
        if not (q.speech if verb is not None else _looks_like_speech(doc, q)):
            continue
        if verb is not None:
            subj = subject_of(verb) or (inverted_subject(verb) if verb.idx > q.start else None)
            if subj is not None and not (q.start <= subj.idx < q.end):
                f = Found(
                    "direct",
                    (q.inner_start, q.inner_end),
                    cue_span(verb),
                    source_phrase(subj),
                    subj,
                )
                out.append(f)
                claimed.append(f.content)
                continue
        # Continuation: a quote opening a sentence after an earlier statement.
        prev = max(
            (f for f in found + out if f.content[1] <= q.start),
            key=lambda f: f.content[1],
            default=None,
        )
        if prev is None or not _starts_sentence(doc, q):
            continue
        between = text[prev.content[1] : q.start]
        same_paragraph = "\n" not in between
        if not same_paragraph and not q.paragraph_start:
            continue
        if between.count("\n") > 2:
            continue
        if same_paragraph:
            f = Found(
                "direct", (q.inner_start, q.inner_end), prev.cue, prev.source, prev.source_token
            )
        else:
            f = Found("direct", (q.inner_start, q.inner_end), None, None, None, continues=prev)
        out.append(f)
        claimed.append(f.content)
    return out


def _starts_sentence(doc: Doc, q: Quote) -> bool:
    span = doc.char_span(q.start, q.start + 1, alignment_mode="expand")
    if span is None:
        return False
    tok = span[0]
    return (
        bool(tok.is_sent_start)
        or tok.i == 0
        or doc[tok.i - 1].is_space
        or doc[tok.i - 1].text in ".!?"
    )


def nominal_reports(doc: Doc, quotes: list[Quote], skip: set[int]) -> list[Found]:
    """ "Trump's claim that X": a speech noun with a possessor and a that-clause."""
    text = doc_text(doc)
    found: list[Found] = []
    for noun in tokens_with(doc, "LEMMA", SPEECH_NOUNS):
        if noun.pos_ != "NOUN":
            continue
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        clause = next(
            (
                c
                for c in noun.children
                if c.dep_ in ("acl", "ccomp", "relcl")
                and c.i > noun.i
                and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            ),
            None,
        )
        if owner is None or clause is None:
            continue
        content = _content_span(list(clause.subtree), skip, text)
        if content is None:
            continue
        kind, content = _statement_type(text, content, quotes)
        cue = (noun.idx, noun.idx + len(noun))
        found.append(Found(kind, content, cue, source_span(owner), owner))
    return found


_LABEL = re.compile(r"^[ \t]*([A-Z][\w.’'&-]*(?:[ \t]+[\w.’'&-]+){0,4}?)[ \t]*:[ \t]+(\S.*)$", re.M)


SALUTATIONS = frozenset(["dear", "hi", "hello", "to", "attention", "re"])


def _names_someone(doc: Doc, label: str) -> bool:
    """An all-caps transcript label ("PENCE", "MODERATOR") is a word of a person's name in
    the text or a role, not a button ("SEE MORE")."""
    words = {w.lower() for w in label.split()}
    people = {t.lower_ for e in doc.ents if e.label_ == "PERSON" for t in e}
    return bool(words & (people | ROLE_WORDS))


def labelled_lines(doc: Doc) -> list[Found]:
    """Headline and transcript attributions: "Graham: Trump's rhetoric is hurting us",
    "PENCE: Well, I think …". The label must name someone (a named entity, or an
    all-caps transcript speaker); the colon is the cue."""
    text = doc_text(doc)
    found: list[Found] = []
    for m in _LABEL.finditer(text):
        label = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if label is None or any(t.pos_ in ("VERB", "AUX") and not t.is_upper for t in label):
            continue
        if label[0].lower_ in SALUTATIONS:
            continue  # "DEAR CONCERNED SISTER:" addresses someone, it does not quote them
        named = any(t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") for t in label)
        if not (named or (label.text.isupper() and len(label.text) > 2
                          and _names_someone(doc, label.text))):
            continue
        content = trim(text, m.start(2), m.end(2))
        if content[1] - content[0] < 8:
            continue
        colon = text.index(":", m.end(1))
        head = label.root
        kind, content = _statement_type(text, content, quotes_of(doc))
        found.append(Found(kind, content, (colon, colon + 1), (m.start(1), m.end(1)), head))
    return found


# "“…” ― Sonya Herridge": a quotation signed by a name after a dash, ending its line.
_SIGNED = re.compile(
    r"[^\S\n]*[,.]?[^\S\n]*([―—–-]{1,2})[^\S\n]*"
    r"([A-Z][\w.’'-]*(?:[^\S\n]+(?:[A-Z][\w.’'-]*|de|da|del|van|von|al|bin)){0,5})"
    r"[^\S\n]*(?:\n|$)"
)


def signed_quotes(doc: Doc, quotes: list[Quote]) -> list[Found]:
    """Quotations signed after a dash at the end of their line: the name is the source,
    the dash the cue (vox pops, epigraphs, readers' letters)."""
    text = doc_text(doc)
    found: list[Found] = []
    for q in quotes:
        m = _SIGNED.match(text, q.end)
        if m is None or not _looks_like_speech(doc, q):
            continue
        start, end = m.start(2), m.end(2)
        if text[end - 1] == "." and text[end - 3 : end - 1].isalpha():
            end -= 1  # the full stop after a name, not an initial's ("Edwin G.")
        name = doc.char_span(start, end, alignment_mode="expand")
        if name is None or not any(t.pos_ == "PROPN" for t in name):
            continue
        found.append(Found("direct", (q.inner_start, q.inner_end), (m.start(1), m.end(1)),
                           (start, end), name.root))
    return found


def find_statements(doc: Doc) -> list[Found]:
    """All statements in a parsed document, in text order."""
    quotes = quotes_of(doc)
    skip = _according_tokens(doc)
    found = reported_speech(doc, quotes, skip)
    found += according_to(doc)
    found += labelled_lines(doc)
    found += nominal_reports(doc, quotes, skip)
    found += signed_quotes(doc, quotes)
    found.sort(key=lambda f: f.content[0])
    found += quoted_speech(doc, quotes, found)
    found.sort(key=lambda f: (f.content[0], f.cue[0] if f.cue else 0))
    found = _dedupe(found)
    link_nested(found)
    return found


def link_nested(found: list[Found]) -> None:
    """Point each nested report ("Stubb said Trump emphasised X") at its outer statement:
    the narrowest other statement whose content contains its cue (none for the others,
    so the links always name statements of ``found``)."""
    by_content = SpanIndex(found, lambda g: g.content)
    for f in found:
        cue = f.cue
        outer = [] if cue is None else [g for g in by_content.containing(*cue) if g is not f]
        f.parent = min(outer, key=lambda g: g.content[1] - g.content[0]) if outer else None


def _dedupe(found: list[Found]) -> list[Found]:
    out: list[Found] = []
    seen: set[tuple[tuple[int, int], tuple[int, int] | None]] = set()
    for f in found:
        key = (f.content, f.cue)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
