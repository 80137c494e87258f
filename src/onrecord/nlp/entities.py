"""Entities and speaker resolution: who each source mention refers to (docs/speakers.md).

Driven by the text alone:

* spaCy's named entities give people, bodies and places, people first; a person's
  mentions are merged by shared name tokens ("Emmanuel Macron" … "Mr Macron"), the
  fullest name canonical; a surname tagged as a body or place joins the person named in
  full; a bare surname two people share goes to the one the gender allows and the text
  mentions most.
* Titles come from the words in front of a name ("French President Emmanuel Macron")
  or an apposition; a role nominal ("the senator") refers to the person given that title.
* The head of the source phrase decides: a name inside a description ("Trump's running
  mate", "McConnell aides") is an owner or affiliation, not the speaker.
* A definite description ("the actor") is the story's salient person mentioned lately; a
  document noun ("the statement said") speaks for whoever the text says issued it.
* Pronouns go to the nearest earlier person in subject position, agreeing in gender
  (honorifics, first names); "who" to the noun its clause modifies.
* Any other source phrase ("a White House official") is a group entity; a bare title no
  one holds or a headline's capitalised description names no speaker at all.

Each resolution says how it was made (its *basis*), which sets the link's confidence.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from onrecord.nlp.confidence import speaker_confidence, statement_confidence
from onrecord.nlp.lexicon import (
    BODY_NOUNS,
    DETERMINERS,
    DOCUMENT_NOUNS,
    FINDING_NOUNS,
    HONORIFICS,
    ORG_NAME_ENDINGS,
    PERSONAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    ROLE_WORDS,
    SPOKESPERSON_NOUNS,
    TITLE_MODIFIERS,
)
from onrecord.nlp.names import (
    first_name_gender,
    honorific_gender,
    looks_like_person,
    name_word,
    possessor_split,
    role_word,
)
from onrecord.nlp.statements import Found, source_span
from onrecord.record import Entity, EntityType, Statement
from onrecord.record import Span as RecSpan

# Named-entity labels kept as entities: people, bodies and places (not nationalities).
NE_TYPES: dict[str, EntityType] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "FAC": "LOC",
}
CONTINUE_GAP = 400  # characters between a statement and a sourceless one that continues it
NOT_TITLE = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERSON", "MONEY", "PERCENT", "QUANTITY"}


# Speakers found for one source phrase, and how (see :mod:`onrecord.nlp.confidence`).
Resolved = tuple[list[int], str]


@dataclass
class Cluster:
    """An entity being built: its name parts, mentions and what we know of it."""

    type: EntityType
    name: str
    tokens: list[str]
    mentions: list[tuple[int, int]] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    gender: str | None = None
    part_of: int | None = None
    last_seen: int = 0
    described: bool = False  # made from a description ("the company"), not a name


class Resolver:
    """Entity clusters for one document and the rules that attach mentions to them."""

    def __init__(self, doc: Doc, text: str):
        self.doc = doc
        self.text = text
        self.clusters: list[Cluster] = []
        self.by_char: dict[int, int] = {}  # token char offset -> cluster index
        self._starts: list[int] | None = None
        self._mention_offsets: list[int] = []  # keys of by_char, sorted
        self._words: dict[str, list[int]] | None = None  # token text -> token indices
        self._nouns: dict[str, list[tuple[int, bool]]] | None = None  # lemma -> (i, "a/an")
        self._org_alias: dict[str, str] = {}  # "big machine" -> "Big Machine Records"
        self._described_as: dict[str, int] = {}  # "actor" -> who "the actor" was taken for
        self._collect_named()

    # -- building clusters ---------------------------------------------------------

    def _add_mention(self, ci: int, start: int, end: int) -> None:
        c = self.clusters[ci]
        if (start, end) not in c.mentions:
            c.mentions.append((start, end))
        c.last_seen = max(c.last_seen, start)
        for tok in self._tokens(start, end):
            if tok.idx not in self.by_char:
                self.by_char[tok.idx] = ci
                bisect.insort(self._mention_offsets, tok.idx)

    def _tokens(self, start: int, end: int) -> list[Token]:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return list(span) if span is not None else []

    def _new(self, kind: EntityType, name: str, tokens: list[str]) -> int:
        self.clusters.append(Cluster(kind, name, tokens))
        return len(self.clusters) - 1

    def _named_spans(self) -> list[tuple[Span, list[Token]]]:
        """Named entities with their name tokens; "(President Vladimir) Putin" is one name."""
        out: list[tuple[Span, list[Token]]] = []
        for ent in self.doc.ents:
            toks = [t for t in ent if t.tag_ == "POS" or not (t.is_punct or t.is_space)]
            if out and ent.label_ == "PERSON" and out[-1][0].label_ == "PERSON":
                gap = self.text[out[-1][0].end_char : ent.start_char]
                if gap.strip() and not gap.strip(" ()"):
                    out[-1] = (out[-1][0], out[-1][1] + toks)
                    continue
            # An organisation name ends at its last capitalised word ("Air Force morning").
            while ent.label_ == "ORG" and len(toks) > 1 and toks[-1].is_lower:
                toks.pop()
            # A name holds no figures: "Nicolas Jarry 6-4" is a score after a name.
            while ent.label_ == "PERSON" and len(toks) > 1 and toks[-1].like_num:
                toks.pop()
            owner = possessor_split(toks)
            if owner is not None and ent.label_ != "PERSON" and looks_like_person(
                toks[owner + 1 :]
            ):
                # "Fox News' Megyn Kelly": the outlet is her affiliation, she is a person.
                name = toks[owner + 1 :]
                toks = toks[:owner]
                out.append((Span(self.doc, toks[0].i, toks[-1].i + 1, label=ent.label_), toks))
                out.append((Span(self.doc, name[0].i, name[-1].i + 1, label="PERSON"), name))
                continue
            out.append((ent, toks))
        return out

    def _collect_named(self) -> None:
        """People first, so that a surname the tagger took for an organisation ("Trump"
        as ORG) can be seen to be a person's; then bodies and places."""
        named = []
        spans = self._named_spans()
        org_names = {tuple(t.lower_ for t in toks): toks for ent, toks in spans
                     if ent.label_ == "ORG" and len(toks) > 2}
        for ent, toks in spans:
            kind = NE_TYPES.get(ent.label_)
            longer = _longer_org_name(toks, org_names)
            short_form = longer is not None and (kind == "ORG" or (
                kind == "PERSON" and first_name_gender([t.text for t in toks]) is None))
            if short_form:
                # "Big Machine" beside "Big Machine Records": the company, whatever the
                # tagger or a first name ("Big") says.
                kind = "ORG"
                self._org_alias[_join(toks).lower()] = _join(longer or toks)
            prev = ent.doc[ent.start - 1] if ent.start > 0 else None
            if (prev is not None and prev.lower_ in HONORIFICS) or ent[0].lower_ in HONORIFICS:
                kind = "PERSON"  # "Sir Keir’s office", "Ms de Vries": an honorific makes a person
            elif kind in ("ORG", "GPE", "LOC") and _has_role(ent):
                kind = "PERSON"  # "Union leader Ines Okafor", "Ines Okafor, general secretary"
            elif (not short_form and kind != "PERSON"
                  and looks_like_person(toks, most=2 if kind else 3)):
                kind = "PERSON"  # "Lester Holt" tagged ORG: a known first name says who
            elif (kind == "PERSON" and len(toks) > 1
                  and toks[-1].lower_.rstrip(".") in ORG_NAME_ENDINGS):
                kind = "ORG"  # "Dick Clark Productions" tagged PERSON
            if kind is not None and toks:
                named.append((ent, toks, kind))
        for ent, toks, kind in sorted(named, key=lambda n: n[2] != "PERSON"):
            if kind in ("ORG", "GPE", "LOC") and self._surname_of_person(toks):
                kind = "PERSON"
            self._collect(ent, toks, kind)
        for c in self.clusters:
            if c.type == "PERSON" and len(c.tokens) == 1:
                self._complete_name(c)

    def _complete_name(self, c: Cluster) -> None:
        """A person known only by surname whose full name the text gives where the tagger
        missed it ("Zach Parise" untagged, "Parise" tagged): the first capitalised name
        words right before the surname, if no other person has them."""
        surname = c.tokens[0]
        others = {w.lower() for o in self.clusters if o is not c and o.type == "PERSON"
                  for w in o.tokens}
        if self._words is None:
            self._words = {}
            for t in self.doc:
                self._words.setdefault(t.text, []).append(t.i)
        for i in self._words.get(surname, []):
            tok = self.doc[i]
            if tok.i == 0:
                continue
            first: list[Token] = []
            i = tok.i - 1
            while i >= 0 and len(first) < 2 and name_word(self.doc[i]):
                first.insert(0, self.doc[i])
                i -= 1
            if first and not {t.lower_ for t in first} & others:
                c.tokens = [t.text for t in first] + [surname]
                c.name = " ".join(c.tokens)
                c.gender = c.gender or first_name_gender(c.tokens)
                self._add_mention(self.clusters.index(c), first[0].idx, tok.idx + len(tok))
                return

    def _surname_of_person(self, toks: list[Token]) -> bool:
        """A one-word "organisation" that is the surname of a person named in full."""
        words = [t.lower_ for t in toks if t.tag_ != "POS" and t.lower_ not in ("'", "’")]
        return len(words) == 1 and any(
            c.type == "PERSON" and len(c.tokens) > 1 and c.tokens[-1].lower() == words[0]
            for c in self.clusters
        )

    def _collect(self, ent: Span, toks: list[Token], kind: EntityType) -> None:
        """One named-entity mention into its cluster, with honorific, role and title."""
        while toks and toks[-1].lower_ in ("'s", "’s", "’", "'"):
            toks.pop()
        honorific = None
        role: list[Token] = []
        while (
            toks
            and kind == "PERSON"
            and len(toks) > 1
            and (toks[0].lower_ in HONORIFICS or toks[0].lower_ in ROLE_WORDS)
        ):
            word = toks.pop(0)
            if word.lower_ in HONORIFICS:
                honorific = word.lower_
            else:
                role.append(word)
        while toks and toks[0].lower_ in HONORIFICS:
            honorific = toks.pop(0).lower_
        while kind == "PERSON" and len(toks) > 1 and not toks[0].text[:1].isupper():
            toks.pop(0)  # "14th-ranked Schwartzman", "former Olympian X": not the name
        if not toks:
            return
        # A person's mention keeps its honorific ("Mr Macron"), never a possessive.
        start = toks[0].idx if kind == "PERSON" else ent.start_char
        end = toks[-1].idx + len(toks[-1])
        before = self.doc[toks[0].i - 1] if toks[0].i > 0 else None
        if kind == "PERSON":
            if before is not None and before.lower_ in HONORIFICS:
                honorific, start = before.lower_, before.idx
            gender = honorific_gender(honorific)
            ci = self._person(toks, gender)
            c = self.clusters[ci]
            c.gender = gender or c.gender or first_name_gender(c.tokens)
            title = self._title(ent)
            if role:
                title = " ".join(filter(None, [title, _join(role)]))
            if title:
                _add_title(c.titles, title)
        else:
            name = _join(toks[1:] if toks[0].lower_ == "the" and len(toks) > 1 else toks)
            ci = self._named(kind, self._org_alias.get(name.lower(), name))
        self._add_mention(ci, start, end)

    def _person(self, toks: list[Token], gender: str | None = None) -> int:
        """The person cluster a name belongs to, or a new one.

        A full name joins the cluster whose name it contains or is contained in ("de
        Vries", "Anna de Vries"; same surname). A bare surname shared by several people
        ("Cruz": Ted and his father Rafael) goes to the one the gender allows and, among
        those, the one mentioned most so far: news names a second person of the same
        surname in full, and keeps the bare surname for the main one.
        """
        words = [t.text for t in toks]
        key = [w.lower() for w in words]
        matches = []
        for ci in range(len(self.clusters) - 1, -1, -1):
            c = self.clusters[ci]
            if c.type != "PERSON":
                continue
            ck = [w.lower() for w in c.tokens]
            if len(key) >= 2 and len(ck) >= 2:
                if key[-1] == ck[-1] and (set(key) <= set(ck) or set(ck) <= set(key)):
                    matches = [ci]
                    break
                continue
            if set(key) <= set(ck) or set(ck) <= set(key):
                matches.append(ci)
        if gender is not None:
            matches = [ci for ci in matches if self.clusters[ci].gender in (None, gender)]
        if not matches:
            return self._new("PERSON", " ".join(words), words)
        best = max(matches, key=lambda ci: (len(self.clusters[ci].mentions), -ci))
        c = self.clusters[best]
        if len(words) > len(c.tokens):
            c.tokens, c.name = words, " ".join(words)
        return best

    def _named(self, kind: EntityType, name: str) -> int:
        key = name.lower()
        for ci, c in enumerate(self.clusters):
            if c.type == kind and c.name.lower() == key:
                return ci
        return self._new(kind, name, name.split())

    def _title(self, ent: Span) -> str | None:
        """Title words in front of a name, or an apposition describing it."""
        doc = ent.doc
        i = ent.start - 1
        words: list[Token] = []
        while i >= 0:
            t = doc[i]
            if t.lower_ in HONORIFICS and not words:
                i -= 1
                continue
            if t.text in ("-", "–") and words:
                words.insert(0, t)
                i -= 1
                continue
            if t.is_space or t.is_punct or t.lower_ in DETERMINERS or t.ent_type_ in NOT_TITLE:
                break
            if t.pos_ not in ("PROPN", "NOUN", "ADJ") or t.tag_ == "POS":
                break
            words.insert(0, t)
            i -= 1
        if words and any(w.pos_ == "NOUN" or (w.is_title and not w.ent_type_) for w in words):
            return _join(words)
        # Apposition: "the US envoy for peace talks, Steve Witkoff"
        if (
            i >= 1
            and doc[i].text == ","
            and ent.end < len(doc)
            and (doc[ent.end].is_punct or doc[ent.end].is_space)
        ):
            words = []
            j = i - 1
            while j >= 0:
                t = doc[j]
                if t.is_punct or t.is_space or t.pos_ in ("CCONJ", "VERB", "AUX", "PRON", "SCONJ"):
                    break
                if t.ent_type_ in NOT_TITLE:
                    break
                words.insert(0, t)
                j -= 1
            words = [w for w in words if w.lower_ not in DETERMINERS]
            while words and words[0].pos_ == "ADP":
                words.pop(0)
            # A title needs a common noun ("envoy"), not just more names.
            if any(w.pos_ == "NOUN" and w.is_lower for w in words):
                return _join(words)
        root = ent.root
        for child in root.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                toks = [t for t in child.subtree if t.tag_ == "POS" or not t.is_punct]
                while toks and toks[0].lower_ in DETERMINERS:
                    toks.pop(0)
                if toks and all(t.ent_type_ != "PERSON" for t in toks):
                    return _join(toks)
        return None

    # -- resolving a source mention ------------------------------------------------

    def entities_in(self, start: int, end: int) -> list[int]:
        """Clusters with a named mention inside ``start:end``, in order."""
        out: list[int] = []
        for tok in self._tokens(start, end):
            ci = self.by_char.get(tok.idx)
            if ci is not None and ci not in out:
                out.append(ci)
        return out

    def resolve_source(self, f: Found, previous: list[list[int]]) -> Resolved:
        """Cluster indices of the speakers named by statement ``f``'s source, and how they
        were found (the *basis*, which sets the link's confidence)."""
        if f.source is None or f.source_token is None:
            return [], "no source"
        head = f.source_token
        # Resolve from the words that name the speaker, not its appositions or asides.
        start, end = f.source if f.type == "according_to" else source_span(head)
        toks = self._tokens(start, end)
        low = head.lower_
        if low in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            antecedent = head.head.head
            np_start = _phrase_start(antecedent)
            ante_end = antecedent.idx + len(antecedent)
            named = self.entities_in(np_start, ante_end)
            if named:
                return named, "relative"
            return self._group(antecedent, np_start, ante_end)
        if low in PERSONAL_PRONOUNS and len(toks) == 1:
            found, ambiguous = self._pronoun(head, PERSONAL_PRONOUNS[low], previous, f.content)
            if found is None:
                return [], "pronoun"
            return [found], "pronoun, ambiguous" if ambiguous else "pronoun"
        if f.cue and not self.text[f.cue[0] : f.cue[1]].strip("―—–-"):
            # A signature after a dash ("“…” ― Beck Pimentel") names a person.
            words = [t for t in toks if t.is_alpha and t.text[:1].isupper()]
            if words:
                return self._mention(self._person(words), start, end), "signature"
        conjuncts = [c for c in head.children if c.dep_ == "conj" and c.idx < end]
        if conjuncts and head.pos_ in ("PROPN", "NOUN"):
            # "Both Ms de Vries and Mr Lund": each conjunct names its own speaker.
            ids: list[int] = []
            first_end = max(t.idx + len(t) for t in head.subtree if t.i <= head.i)
            parts = [(start, first_end, head)] + [
                (_phrase_start(c), c.idx + len(c), c) for c in conjuncts
            ]
            for s, e, tok in parts:
                for ci in self._resolve_phrase(tok, s, e, previous)[0]:
                    if ci not in ids:
                        ids.append(ci)
            return ids, "joint"
        return self._resolve_phrase(head, start, end, previous)

    def _resolve_phrase(
        self, head: Token, start: int, end: int, previous: list[list[int]]
    ) -> Resolved:
        """Speakers named by one noun phrase (not a pronoun or a coordination)."""
        toks = self._tokens(start, end)
        head_lemma = head.lemma_.lower()
        if head_lemma in DOCUMENT_NOUNS:
            inside = [
                ci for ci in self.entities_in(start, end) if self.clusters[ci].type != "PERSON"
            ]
            if inside:
                return self._mention(inside[-1], start, end), "name"
            issued = self._issued_by(head)
            if issued is not None:
                return self._mention(issued, start, end), "issuer, named"
            issuer = self._issuer(previous)
            if issuer is not None:
                return self._mention(issuer, start, end), "issuer"
            return [], "document"
        if head_lemma in BODY_NOUNS and any(t.tag_ == "POS" for t in toks):
            owner = [
                ci for ci in self.entities_in(start, end) if self.clusters[ci].type == "PERSON"
            ]
            if owner:
                return [self._body_of(owner[0], head, start, end)], "name"
        own = self.by_char.get(head.idx)
        if own is not None and self.clusters[own].described:
            own = None
        if own is not None and self.clusters[own].type in ("PERSON", "ORG"):
            # The head is a name: "Megyn Kelly", "the European Commission", "Cruz".
            return self._mention(own, start, end), self._name_basis(own, toks)
        if own is None and self._known_surname(head):
            # "the 14th-ranked Schwartzman", "Early says": the surname of a person the text
            # names in full, whatever the tagger made of the word.
            surnamed = self._person([head])
            return self._mention(surnamed, start, end), self._name_basis(surnamed, [head])
        named = self.entities_in(start, end)
        if own is not None or (head.pos_ == "PROPN" and named and head.lower_ not in ROLE_WORDS):
            people = [ci for ci in named if self.clusters[ci].type == "PERSON"]
            picked = people or [own if own is not None else named[-1]]
            if len(picked) == 1:
                self._add_mention(picked[0], start, end)
            return picked, "name in phrase"
        appos = self._apposed_person(head)
        if appos is not None:
            # "Trump's running mate, Indiana Gov. Mike Pence"
            return self._mention(appos, start, end), "apposition"
        if head.pos_ == "PROPN" and not named:
            person = self._unrecognised_person(toks)
            if person is not None:
                return self._mention(person, start, end), "surname"
        # A description: a name inside it is an affiliation or owner ("McConnell aides",
        # "Trump's running mate", "the Senator from Texas"), not the speaker.
        role = self._role(toks, head)
        if role is not None:
            return self._mention(role, start, end), "title"
        salient = self._salient(head, start, end)
        if salient is not None:
            return self._mention(salient, start, end), "description, salient"
        return self._group(head, start, end)

    def _salient(self, head: Token, start: int, end: int) -> int | None:
        """ "The actor said", "the company said": a definite singular description with no
        name in it, for the person (or, with a body noun, the organisation) the story is
        about, when they were mentioned in the last few sentences; not when the text used
        the noun before for someone ("an insider … the insider"; for a body, "a company").
        """
        lemma = head.lemma_.lower()
        toks = self._tokens(start, end)
        if (head.tag_ != "NN" or not self.text[start:end].lower().startswith("the ")
                or lemma in DOCUMENT_NOUNS or lemma in FINDING_NOUNS
                or self.entities_in(start, end)):
            return None
        kind = "ORG" if lemma in BODY_NOUNS else "PERSON"
        if kind == "ORG" and any(t.ent_type_ or t.pos_ == "PROPN" for t in toks):
            return None  # "the Dutch government" names its body itself
        starts = self._sentence_starts()
        here = bisect.bisect_right(starts, start)
        window = starts[here - 4] if here >= 4 else 0
        recent = [ci for ci, c in enumerate(self.clusters)
                  if c.type == kind and not c.described
                  and any(window <= s < start for s, _ in c.mentions)]
        # "the production company": Dick Clark Productions, whatever "the company" was.
        stems = {t.lower_[:5] for t in toks if t.is_alpha and len(t) > 3}
        worded = [ci for ci in recent
                  if stems & {w.lower()[:5] for w in self.clusters[ci].tokens}]
        if worded:
            return max(worded, key=lambda ci: len(self.clusters[ci].mentions))
        if lemma in self._described_as:
            return self._described_as[lemma]  # "the actor" again, and "the 'Pose' actor"
        if self._nouns is None:
            self._nouns = {}
            for t in self.doc:
                if t.pos_ == "NOUN":
                    indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an")
                                     for c in t.children)
                    self._nouns.setdefault(t.lemma_.lower(), []).append((t.i, indefinite))
        if any(i < head.i and (kind == "PERSON" or indefinite)
               for i, indefinite in self._nouns.get(lemma, [])):
            return None  # "an insider … the insider": the same unnamed one, not the star
        if not recent:
            return None
        best = max(recent, key=lambda ci: len(self.clusters[ci].mentions))
        self._described_as[lemma] = best
        return best

    def _mention(self, ci: int, start: int, end: int) -> list[int]:
        self._add_mention(ci, start, end)
        return [ci]

    def _name_basis(self, ci: int, toks: list[Token]) -> str:
        """ "name" for a full name; "surname" for part of one, "surname, shared" when
        another person in the text has the same surname."""
        c = self.clusters[ci]
        words = {t.lower_ for t in toks if t.is_alpha}
        if c.type != "PERSON" or len(c.tokens) < 2 or {w.lower() for w in c.tokens} <= words:
            return "name"
        last = c.tokens[-1].lower()
        shared = any(o is not c and o.type == "PERSON" and o.tokens[-1].lower() == last
                     for o in self.clusters)
        return "surname, shared" if shared else "surname"

    def _apposed_person(self, head: Token) -> int | None:
        """A named person in apposition to a descriptive head ("the actor, X")."""
        for child in head.children:
            if child.dep_ == "appos":
                ci = self.by_char.get(child.idx)
                if ci is not None and self.clusters[ci].type == "PERSON":
                    return ci
        return None

    def _token_starting(self, offset: int) -> Token:
        span = self.doc.char_span(offset, offset + 1, alignment_mode="expand")
        assert span is not None
        return span[0]

    def _sentence_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [s.start_char for s in self.doc.sents]
        return self._starts

    def _known_surname(self, head: Token) -> bool:
        """A capitalised word that is the last name of a person named in full here."""
        if not (head.is_alpha and head.text[:1].isupper()) or head.lower_ in ROLE_WORDS:
            return False
        return any(c.type == "PERSON" and len(c.tokens) > 1 and not c.described
                   and c.tokens[-1].lower() == head.lower_ for c in self.clusters)

    def _unrecognised_person(self, toks: list[Token]) -> int | None:
        """A name the tagger missed: a person if an honorific says so or the name is known."""
        words = [t for t in toks if t.pos_ == "PROPN" and t.is_alpha and t.text[:1].isupper()
                 and t.lower_ not in HONORIFICS]
        has_honorific = any(t.lower_ in HONORIFICS for t in toks)
        known = any(
            c.type == "PERSON" and {w.lower_ for w in words} <= {x.lower() for x in c.tokens}
            for c in self.clusters
        )
        if words and (has_honorific or known):
            return self._person(words)
        return None

    def _pronoun(
        self, tok: Token, gender: str | None, previous: list[list[int]], content: tuple[int, int]
    ) -> tuple[int | None, bool]:
        """The person (or body, for "they"/"it") a pronoun refers to, and whether another
        person it could also refer to was mentioned in the same stretch of text."""
        if gender in ("plural", "neuter"):
            for ids in reversed(previous):
                for ci in ids:
                    if self.clusters[ci].type != "PERSON":
                        return ci, False
            return None, False
        # Nearest earlier person mention, subjects first, within the last few sentences.
        starts = self._sentence_starts()
        here = bisect.bisect_right(starts, tok.idx)
        window = starts[here - 4] if here >= 4 else 0
        best_subject: int | None = None
        best_any: int | None = None
        nearby: set[int] = set()  # people the pronoun could refer to, in the window
        offsets = self._mention_offsets
        for k in range(bisect.bisect_left(offsets, tok.idx) - 1, -1, -1):
            offset = offsets[k]
            cand = self.by_char[offset]
            if content[0] <= offset < content[1]:
                continue
            c = self.clusters[cand]
            if c.type != "PERSON" or (gender and c.gender and c.gender != gender):
                continue
            if offset >= window:
                nearby.add(cand)
            if best_subject is not None:
                if offset < window:
                    break
                continue
            t = self._token_starting(offset)
            if best_any is None:
                best_any = cand
            if t.dep_ in ("nsubj", "nsubjpass") or t.head.dep_ in ("nsubj", "nsubjpass"):
                if t.idx < window:
                    break
                best_subject = cand
        choice = best_subject if best_subject is not None else best_any
        if choice is not None:
            self._add_mention(choice, tok.idx, tok.idx + len(tok))
        return choice, len(nearby - {choice}) > 0

    def _issued_by(self, head: Token) -> int | None:
        """Who "the statement" is: the named subject of the nearest earlier clause that
        issued one ("Big Machine Records issued a statement", "X said in a statement")."""
        lemma = head.lemma_.lower()
        for t in reversed(self.doc[max(0, head.i - 400) : head.i]):
            if t.lemma_.lower() != lemma or t.dep_ not in ("dobj", "pobj"):
                continue
            verb = t.head if t.dep_ == "dobj" else t.head.head
            for subj in verb.children:
                if subj.dep_ in ("nsubj", "nsubjpass"):
                    named = self.entities_in(subj.left_edge.idx, subj.idx + len(subj))
                    if named and not self.clusters[named[-1]].described:
                        return named[-1]
        return None

    def _issuer(self, previous: list[list[int]]) -> int | None:
        """Who "the statement" speaks for: the last speaker, or the body they speak for."""
        for ids in reversed(previous):
            for ci in ids:
                c = self.clusters[ci]
                if c.type != "PERSON":
                    return ci
                for title in c.titles:
                    words = title.split()
                    if words and words[-1].lower() in SPOKESPERSON_NOUNS and len(words) > 1:
                        return self._named("ORG", " ".join(words[:-1]))
                return ci
        return None

    def _body_of(self, owner: int, head: Token, start: int, end: int) -> int:
        person = self.clusters[owner]
        name = f"{head.text.capitalize()} of {person.name}"
        ci = self._named("ORG", name)
        self.clusters[ci].part_of = owner
        self._add_mention(ci, start, end)
        return ci

    def _role(self, toks: list[Token], head: Token | None = None) -> int | None:
        """A person referred to by a title they are given in the text ("the Prime
        Minister", "the New York judge" for "Judge Frank Nervo", "the senator" for "Sen.
        Ted Cruz"): the role word must be one of their title's words; the person whose
        title shares most of the description's words wins, then the most mentioned."""
        words = [role_word(t.lower_) for t in toks
                 if t.lower_ not in DETERMINERS and not t.is_punct and t.tag_ != "POS"]
        if head is not None and head.i < len(self.doc):
            role = role_word(head.lower_)
        else:
            role = words[-1] if words else ""
        if not words or role not in ROLE_WORDS and role not in _title_heads(self.clusters):
            return None
        best, best_key = None, None
        for ci, c in enumerate(self.clusters):
            if c.type != "PERSON":
                continue
            for title in c.titles:
                tw = {role_word(w.lower().strip(",.")) for w in title.split()}
                if role not in tw:
                    continue
                key = (len(set(words) & tw), len(c.mentions), c.last_seen)
                if best_key is None or key > best_key:
                    best, best_key = ci, key
        return best

    def _group(self, head: Token, start: int, end: int) -> Resolved:
        """A speaker that is no named entity: "a White House official", "the European leaders".

        Not for what only looks like one: a bare title no person in the text holds ("the
        senator", "Retired General") or a headline's capitalised description ("Popular
        Website") keeps its source words but names no speaker."""
        toks = [t for t in self._tokens(start, end) if t.tag_ == "POS" or not t.is_punct]
        while toks and (toks[0].lower_ in DETERMINERS or toks[0].tag_ in ("PRP$",)):
            toks.pop(0)
        while toks and toks[-1].lower_ in RELATIVE_PRONOUNS:
            toks.pop()  # "a group that …": the clause is not the name
        if not toks or head.pos_ == "PRON":
            return [], "description"
        words = [t for t in toks if t.is_alpha]
        if words and role_word(words[-1].lower_) in ROLE_WORDS and all(
            role_word(t.lower_) in ROLE_WORDS or t.lower_ in TITLE_MODIFIERS
            or t.ent_type_ in ("GPE", "NORP", "ORG", "LOC") for t in words
        ):
            # "Retired General", "the New York State Attorney General": whose title it is,
            # the text does not say.
            return [], "title, unresolved"
        kind: EntityType = "ORG" if head.lemma_.lower() in BODY_NOUNS else "GROUP"
        if len(words) > 1 and all(t.is_title or t.is_upper for t in words):
            if looks_like_person(words):
                return self._mention(self._person(words), start, end), "name, untagged"
            if not any(t.ent_type_ for t in words):
                # A headline's "Popular Website": a description dressed as a name.
                return [], "description, capitalised"
            kind = "ORG"  # "Senate Democrats": a name the tagger took in part
        name = _join(toks)
        # "the official" after "a White House official": same head noun, definite.
        definite = self.text[start:end].lower().startswith("the ")
        if definite and len(toks) == 1:
            for ci in range(len(self.clusters) - 1, -1, -1):
                c = self.clusters[ci]
                if c.type in ("GROUP", "ORG") and c.tokens and c.tokens[-1].lower() == head.lower_:
                    self._add_mention(ci, start, end)
                    return [ci], "description, earlier"
        ci = self._named(kind, name)
        self.clusters[ci].described = True
        self._add_mention(ci, start, end)
        return [ci], "description"


def _longer_org_name(toks: list[Token], org_names: dict[tuple[str, ...], list[Token]]
                     ) -> list[Token] | None:
    """The longer organisation name that a name of two words or more begins."""
    key = tuple(t.lower_ for t in toks)
    if len(key) < 2:
        return None
    return next((v for k, v in org_names.items() if len(k) > len(key) and k[:len(key)] == key),
                None)


def _title_heads(clusters: list[Cluster]) -> set[str]:
    """The last word of every person's title: the roles this text gives people."""
    return {role_word(t.split()[-1].lower().strip(",.")) for c in clusters
            if c.type == "PERSON" for t in c.titles if t.split()}


def _has_role(ent: Span) -> bool:
    """A two-word-or-longer name with a role word right before it, or an apposition headed
    by a common noun with a role word in it, is a person's name."""
    if len(ent) < 2 or not all(t.pos_ == "PROPN" for t in ent):
        return False
    prev = ent.doc[ent.start - 1] if ent.start > 0 else None
    if prev is not None and prev.lower_ in ROLE_WORDS:
        return True
    return any(
        c.dep_ == "appos" and c.pos_ == "NOUN" and any(t.lower_ in ROLE_WORDS for t in c.subtree)
        for c in ent.root.children
    )


def _phrase_start(head: Token) -> int:
    """Where the noun phrase headed by ``head`` starts: its determiners and modifiers."""
    left = head
    for child in head.lefts:
        if child.dep_ in ("det", "amod", "compound", "nummod", "poss", "predet", "preconj", "nmod"):
            left = child.left_edge if child.left_edge.i < left.i else left
            break
    return left.idx


def _add_title(titles: list[str], title: str) -> None:
    """Keep the fullest form of a title: "US President" absorbs a later "President"."""
    low = title.lower()
    for n, have in enumerate(titles):
        if have.lower().endswith(low):
            return
        if low.endswith(have.lower()):
            titles[n] = title
            return
    titles.append(title)


def _join(toks: list[Token]) -> str:
    """The words of ``toks`` as written, spaced where the text has space between them (also
    across tokens left out: 'the "Pose" actor' gives "Pose actor")."""
    out = ""
    for t, nxt in zip(toks, toks[1:] + [None], strict=True):
        gap = nxt is not None and any(x.whitespace_ for x in t.doc[t.i : nxt.i])
        out += t.text + (" " if gap else "")
    return out.strip()


def _continuing_speaker(r: Resolver, found: list[Found], i: int,
                        by_found: dict[int, list[int]]) -> list[int]:
    """The speaker of a content that has no source of its own ("The goal is to deliver a
    'seamless experience' …" after "…," he says): the speaker of the statement just
    before it, in the same or the next sentence, when nobody else is named between them
    or in the content's own sentence, where an unlinked source would be. Not for a content
    with a cue of its own: its source is there, unlinked."""
    start = found[i].content[0]
    before = [j for j, ids in by_found.items() if ids and found[j].content[1] <= start]
    if not before:
        return []
    prev = max(before, key=lambda j: found[j].content[1])
    gap = r.text[found[prev].content[1]:start]
    if len(gap) > CONTINUE_GAP or gap.count("\n") > 1:
        return []
    starts = r._sentence_starts()
    if (bisect.bisect_right(starts, start)
            - bisect.bisect_right(starts, found[prev].content[1] - 1)) > 1:
        return []  # a whole sentence between them: it may name the next speaker
    after = bisect.bisect_right(starts, found[i].content[1])
    until = starts[after] if after < len(starts) else len(r.text)
    ids = by_found[prev]
    outside = [(found[prev].content[1], start), (found[i].content[1], until)]
    for ci, c in enumerate(r.clusters):
        if ci not in ids and c.type in ("PERSON", "ORG", "GROUP") and any(
                a <= s < b for s, _ in c.mentions for a, b in outside):
            return []
    return ids


def resolve(doc: Doc, text: str, found: list[Found]) -> tuple[list[Entity], list[Statement]]:
    """Entities of the document and its statements with speakers resolved."""
    r = Resolver(doc, text)
    speakers: list[list[int]] = []
    ordered = sorted(
        range(len(found)),
        key=lambda i: (found[i].source or found[i].content)[0],
    )
    by_found: dict[int, list[int]] = {}
    basis: dict[int, str] = {}
    for i in ordered:
        f = found[i]
        if f.continues is not None:
            prev = found.index(f.continues)
            ids, basis[i] = by_found.get(prev, []), "continuation"
        else:
            ids, basis[i] = r.resolve_source(f, speakers)
            if f.source is None and f.cue is None:
                ids = _continuing_speaker(r, found, i, by_found)
                if ids:
                    basis[i] = "continuation, no source"
        by_found[i] = ids
        if ids:
            speakers.append(ids)
    # Entity ids in order of first mention; drop clusters never mentioned.
    order = sorted(
        (ci for ci, c in enumerate(r.clusters) if c.mentions),
        key=lambda ci: min(r.clusters[ci].mentions),
    )
    ids_of = {ci: f"E{n + 1}" for n, ci in enumerate(order)}
    entities = []
    for ci in order:
        c = r.clusters[ci]
        entities.append(
            Entity(
                id=ids_of[ci],
                name=c.name,
                type=c.type
                if c.type in ("PERSON", "ORG", "GPE", "NORP", "LOC", "GROUP")
                else "OTHER",
                titles=c.titles,
                mentions=[RecSpan.of(text, s, e) for s, e in sorted(c.mentions)],
                part_of=ids_of.get(c.part_of) if c.part_of is not None else None,
            )
        )
    statements = []
    for n, f in enumerate(found):
        statements.append(
            Statement(
                id=f"S{n + 1}",
                type=f.type,  # type: ignore[arg-type]
                content=RecSpan.of(text, *f.content),
                cue=RecSpan.of(text, *f.cue) if f.cue else None,
                source=RecSpan.of(text, *f.source) if f.source else None,
                speakers=[ids_of[ci] for ci in by_found.get(n, []) if ci in ids_of],
                parent=f"S{found.index(f.parent) + 1}" if f.parent is not None else None,
                confidence=statement_confidence(f.origin),
                speaker_basis=basis.get(n, "no source"),
                speaker_confidence=speaker_confidence(basis.get(n, "no source")),
            )
        )
    return entities, statements
