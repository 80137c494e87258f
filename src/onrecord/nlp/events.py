"""Events following PLOVER: who did what to whom, when and where.

A trigger lexicon maps verb lemmas (and a few phrasal verbs: "blow up", "call for",
"pull out") to a PLOVER type and mode; a noun trigger ("sanctions", "invasion",
"curfew") counts when a light verb governs it ("imposed sanctions", "mounted an
invasion"). Reporting verbs ("said", "announced") are no events; speech acts that are
("accused", "denied", "urged", "threatened") are.

From the parse: the subject is the actor (the passive agent for a passive verb; the
subject of the governing verb for "offered to hand over"; a pronoun subject in the
complement of a reporting verb is that verb's subject), the object and the objects of
"to/with/against/on/from/into/at/of" are the recipients (the passive subject for a
passive verb). Actors and recipients are entity ids: a named entity in the phrase,
else a new GROUP entity for the phrase ("26 of Ukraine's allies", "Israeli army
bulldozers").

Status: ``negated`` ("did not attack"), ``hypothetical`` (could/might/should, or an
"if"/"unless" clause), ``future`` ("will", "would" in reported speech, "plans to",
"to"-infinitive under an intention verb), else ``asserted``. As in CAMEO and PLOVER, a
hostile act the actor says it will or would do (sanction, protest, coerce, assault,
...) is a THREATEN event (mode: the threatened type), and a cooperative act it
offers, promises or is willing to do is an AGREE event.

``date`` is the value of the date mention nearest the trigger in its sentence;
``location`` a place entity in an "in/near/at" phrase of the trigger or its object;
``figures`` the figures inside the trigger's clause, and ``size`` the ones that count
the dead, the injured, the arrested, the displaced or the participants.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from onrecord.record import DateMention, Entity, Event, EventStatus, Figure, Statement
from onrecord.record import Span as RecSpan


def _lex(spec: dict[tuple[str, str | None], str]) -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for (kind, mode), words in spec.items():
        for w in words.split():
            out.setdefault(w.replace("_", " "), (kind, mode))
    return out


# Verb lemmas (phrasal verbs with an underscore) -> (type, mode).
VERBS = _lex({
    ("AGREE", None): "agree sign conclude ratify accept settle reconcile approve endorse",
    ("AGREE", "promise"): "promise pledge vow offer guarantee undertake commit",
    ("CONSULT", "visit"): "visit tour",
    ("CONSULT", "host"): "host",
    ("CONSULT", "meet"): "meet negotiate consult discuss confer talk",
    ("CONSULT", "phone"): "phone call_up",
    ("CONSULT", "mediate"): "mediate broker",
    ("SUPPORT", None): "support back praise endorse commend applaud hail welcome defend "
                       "recognize recognise congratulate thank apologize apologise",
    ("CONCEDE", None): "concede compromise yield relent admit ease lift pardon forgive "
                       "grant_amnesty allow permit",
    ("COOPERATE", None): "cooperate collaborate share coordinate partner ally",
    ("AID", "economic"): "fund finance lend loan donate invest give grant",
    ("AID", "humanitarian"): "aid assist help supply provide deliver feed shelter rescue",
    ("AID", "asylum"): "harbor harbour",
    ("RETREAT", "withdraw"): "withdraw retreat evacuate pull_out pull_back leave",
    ("RETREAT", "release"): "release free hand_over return repatriate extradite",
    ("RETREAT", "disarm"): "disarm demobilize demobilise decommission",
    ("RETREAT", "ceasefire"): "truce",
    ("RETREAT", "yield"): "surrender resign capitulate step_down",
    ("REQUEST", None): "ask request demand urge appeal call_for call_on press plead insist "
                       "seek petition invite",
    ("ACCUSE", "disapprove"): "accuse blame criticize criticise condemn denounce deplore "
                              "censure rebuke protest_against decry fault",
    ("ACCUSE", "investigate"): "investigate probe inquire examine",
    ("ACCUSE", "allege"): "allege charge",
    ("ACCUSE", "sue"): "sue indict",
    ("REJECT", None): "reject refuse deny decline dismiss rebuff oppose veto spurn ignore "
                      "defy resist boycott_talks",
    ("THREATEN", None): "threaten warn",
    ("PROTEST", "demonstrate"): "demonstrate march rally picket",
    ("PROTEST", "strike"): "strike walk_out",
    ("PROTEST", "hunger-strike"): "fast",
    ("PROTEST", "obstruct"): "block blockade barricade occupy",
    ("PROTEST", "riot"): "riot loot",
    ("PROTEST", "boycott"): "boycott",
    ("SANCTION", None): "sanction embargo expel suspend sever freeze cut_off downgrade "
                        "penalize penalise punish fine",
    ("SANCTION", "convict"): "convict sentence",
    ("MOBILIZE", "troops"): "deploy mobilize mobilise mass station reinforce",
    ("MOBILIZE", "alert"): "alert",
    ("COERCE", "arrest"): "arrest detain jail imprison apprehend capture hold_hostage",
    ("COERCE", "seize"): "seize confiscate impound annex",
    ("COERCE", "deport"): "deport",
    ("COERCE", "destroy"): "demolish destroy raze bulldoze burn torch blow_up",
    ("COERCE", "censor"): "censor ban outlaw shut_down close_down",
    ("COERCE", "cyber"): "hack",
    ("COERCE", None): "expel_from crack_down raid",
    ("ASSAULT", "kill"): "kill murder slay massacre execute",
    ("ASSAULT", "assassinate"): "assassinate",
    ("ASSAULT", "injure"): "wound injure maim",
    ("ASSAULT", "beat"): "beat beat_up assault",
    ("ASSAULT", "torture"): "torture",
    ("ASSAULT", "abduct"): "abduct kidnap",
    ("ASSAULT", "firearms"): "shoot fire_on gun_down",
    ("ASSAULT", "explosives"): "bomb shell bombard explode",
    ("ASSAULT", "heavy-weapons"): "attack strike_at invade storm fight clash ambush "
                                  "retake overrun raid_on",
})  # fmt: skip
# Noun lemmas that are events when a light verb governs them (or they head a subject).
NOUNS = _lex({
    ("AGREE", None): "agreement accord deal pact treaty",
    ("CONSULT", "meet"): "talk meeting summit negotiation visit",
    ("AID", "humanitarian"): "aid assistance asylum",
    ("AID", "economic"): "loan",
    ("RETREAT", "withdraw"): "withdrawal pullout",
    ("RETREAT", "ceasefire"): "ceasefire truce",
    ("REQUEST", None): "demand appeal request",
    ("ACCUSE", "investigate"): "investigation inquiry probe",
    ("ACCUSE", "disapprove"): "accusation criticism condemnation",
    ("THREATEN", None): "threat ultimatum warning",
    ("PROTEST", "demonstrate"): "protest demonstration rally march",
    ("PROTEST", "strike"): "strike walkout",
    ("PROTEST", "boycott"): "boycott",
    ("PROTEST", "obstruct"): "blockade",
    ("SANCTION", None): "sanction embargo suspension expulsion ban",
    ("COERCE", "curfew"): "curfew",
    ("COERCE", "arrest"): "arrest",
    ("COERCE", None): "crackdown raid",
    ("ASSAULT", "heavy-weapons"): "attack offensive invasion assault airstrike strike "
                                  "bombardment",
    ("ASSAULT", "explosives"): "bombing",
    ("MOBILIZE", "troops"): "deployment",
})  # fmt: skip
LIGHT_VERBS = {
    "impose", "mount", "launch", "carry", "stage", "hold", "issue", "make", "conduct",
    "give", "grant", "provide", "offer", "sign", "reach", "announce", "begin", "start",
    "declare", "order", "call", "lodge", "file", "open", "extend", "lift", "end", "deliver",
    "send", "step", "escalate", "intensify", "continue", "agree",
}  # fmt: skip
# Lemmas of verbs that never trigger on their own though they appear in the lists above
# in other senses (reporting verbs are handled by not listing them).
INTENT_VERBS = {
    "plan",
    "intend",
    "want",
    "aim",
    "seek",
    "prepare",
    "decide",
    "vow",
    "pledge",
    "promise",
    "offer",
    "threaten",
    "agree",
    "willing",
    "ready",
    "going",
    "swear",
    "prepared",
}
# Verbs that only frame the act in their to-infinitive ("vowed to fight", "offered to
# hand over"): the act is the event, with the status and type the frame gives it.
FRAME_VERBS = {
    "promise",
    "pledge",
    "vow",
    "swear",
    "offer",
    "threaten",
    "agree",
    "prepare",
    "plan",
    "intend",
    "decide",
}
PROMISE_FRAMES = {
    "promise",
    "pledge",
    "vow",
    "swear",
    "offer",
    "agree",
    "willing",
    "ready",
    "prepared",
}
REQUEST_MODALS = {"must", "should"}
MODAL_HYPOTHETICAL = {"could", "might", "may", "should", "must", "can"}
FUTURE_AUX = {"will", "shall", "'ll", "would", "'d"}
HOSTILE = {"SANCTION", "PROTEST", "COERCE", "ASSAULT", "MOBILIZE", "REJECT"}
FRIENDLY = {"AID", "RETREAT", "COOPERATE", "CONCEDE", "SUPPORT", "CONSULT", "AGREE"}
RECIPIENT_PREPS = {"to", "with", "against", "on", "from", "into", "at", "of", "upon", "for"}
LOCATION_PREPS = {"in", "near", "at", "outside", "inside", "across"}
SIZE_WORDS = {
    "dead": ("dead",), "killed": ("dead",), "kill": ("dead",), "died": ("dead",),
    "injured": ("injured",), "wounded": ("injured",), "hurt": ("injured",),
    "arrested": ("arrested",), "detained": ("arrested",), "displaced": ("displaced",),
    "protesters": ("participants",), "demonstrators": ("participants",),
    "people": (), "marchers": ("participants",), "strikers": ("participants",),
}  # fmt: skip
KILL_LEMMAS = {"kill", "murder", "slay", "massacre", "execute", "assassinate", "shoot"}
INJURE_LEMMAS = {"wound", "injure", "maim", "hurt"}
ARREST_LEMMAS = {"arrest", "detain", "jail", "imprison", "capture"}
ACTOR_NOUNS = set(
    "official minister leader president government army force troop soldier police "
    "policeman officer rebel militant insurgent guerrilla guerilla fighter militia protester "
    "demonstrator worker civilian refugee people resident citizen villager student farmer "
    "diplomat ally country nation state authority party faction group side delegation "
    "envoy ambassador spokesman spokeswoman official regime administration ministry "
    "opposition parliament court judge prisoner detainee hostage journalist activist "
    "member coalition union bloc alliance community family child woman man leadership "
    "commander general navy airforce military security agency bureau council cabinet "
    "negotiator mediator observer peacekeeper monitor victim settler immigrant migrant "
    "minority tribe clan movement organisation organization company firm bank "
    "investor voter lawmaker senator deputy mp congress mayor governor chief king queen "
    "prince premier chancellor secretary head director spokesperson president emir sheikh "
    "crew sailor pilot fisherman doctor nurse teacher worker employee staff".split()
)
PRONOUNS = {"it", "they", "he", "she", "we", "i", "them", "its", "their"}
DETS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her"}


@dataclass
class Trigger:
    head: Token  # the verb (or the light verb of a noun trigger)
    word: Token  # the trigger word itself
    end: Token  # last token of the trigger (a particle of a phrasal verb)
    type: str
    mode: str | None
    noun: bool = False
    extra: list[Token] = field(default_factory=list)


def _phrasal(tok: Token) -> tuple[str, Token] | None:
    """The phrasal lemma ("blow up", "call for") and its last token, if listed."""
    for child in tok.children:
        if child.dep_ == "prt" or (child.dep_ == "prep" and child.i == tok.i + 1):
            key = f"{tok.lemma_.lower()} {child.lower_}"
            if key in VERBS:
                return key, child
    return None


def find_triggers(doc: Doc) -> list[Trigger]:
    out: list[Trigger] = []
    for tok in doc:
        if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.lemma_ in ("willing",)):
            ph = _phrasal(tok)
            if ph is not None:
                kind, mode = VERBS[ph[0]]
                out.append(Trigger(tok, tok, ph[1], kind, mode))
                continue
            hit = VERBS.get(tok.lemma_.lower())
            if tok.tag_ == "VBG" and tok.dep_ in (
                "nsubj",
                "csubj",
                "nsubjpass",
                "dobj",
                "pobj",
                "compound",
                "amod",
            ):
                hit = None  # a nominal use: "once fighting ends"
            if (
                hit is not None
                and hit[0] == "PROTEST"
                and hit[1] == "strike"
                and any(c.dep_ == "dobj" for c in tok.children)
            ):
                hit = ("ASSAULT", "heavy-weapons")  # "strike a target", not a walkout
            if hit is not None:
                # "strike" / "fire" / "march" as verbs need an object or subject to be events.
                out.append(Trigger(tok, tok, tok, hit[0], hit[1]))
        elif tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in NOUNS:
            head = tok.head
            light = (
                head.pos_ == "VERB"
                and head.lemma_.lower() in LIGHT_VERBS
                and tok.dep_ in ("dobj", "nsubjpass", "attr")
            )
            if light:
                kind, mode = NOUNS[tok.lemma_.lower()]
                out.append(Trigger(head, tok, tok, kind, mode, noun=True))
    # A noun trigger under a light verb replaces a verb trigger on the same verb
    # ("offered asylum" is AID, not a promise).
    nouns = {t.head.i for t in out if t.noun}
    out = [t for t in out if t.noun or t.head.i not in nouns]
    # A frame verb gives way to the act in its to-infinitive ("vowed to fight").
    heads = {t.head.i for t in out}
    return [
        t
        for t in out
        if t.noun
        or t.head.lemma_.lower() not in FRAME_VERBS
        or not any(c.dep_ == "xcomp" and c.i in heads for c in t.head.children)
    ]


def _subject(verb: Token) -> tuple[Token | None, bool]:
    """The subject of ``verb`` (inherited through xcomp and conj) and whether it is passive."""
    v = verb
    for _ in range(4):
        for child in v.children:
            if child.dep_ in ("nsubj", "csubj"):
                return child, False
            if child.dep_ == "nsubjpass":
                return child, True
        if v.dep_ in ("xcomp", "conj", "acomp") and v.head is not v:
            v = v.head
            continue
        break
    return None, False


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for g in child.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _reporter_subject(verb: Token) -> Token | None:
    """The subject of the verb whose complement holds ``verb`` ("Syria says it ...")."""
    v = verb
    for _ in range(4):
        if v.dep_ in ("ccomp", "xcomp", "conj") and v.head is not v:
            v = v.head
            subj, _passive = _subject(v)
            if subj is not None and subj.lower_ not in PRONOUNS:
                return subj
        else:
            break
    return None


def _objects(verb: Token, skip: set[int]) -> list[Token]:
    """Recipient phrase heads: direct object, dative, and pp objects."""
    out: list[Token] = []
    for child in verb.children:
        if child.i in skip:
            continue
        if child.dep_ in ("dobj", "dative", "attr", "oprd"):
            out.append(child)
            # "the computers of South Korean army officers"
            for g in child.children:
                if g.dep_ == "prep" and g.lower_ in ("of", "to", "against", "on"):
                    out.extend(x for x in g.children if x.dep_ == "pobj")
        elif child.dep_ == "prep" and child.lower_ in RECIPIENT_PREPS:
            out.extend(
                x
                for x in child.children
                if x.dep_ == "pobj" and x.ent_type_ not in ("DATE", "TIME")
            )
        elif child.dep_ == "prt":
            continue
    return out


def _conjuncts(tok: Token) -> list[Token]:
    return [tok, *[c for c in tok.conjuncts if c.i > tok.i]]


def _status(trig: Trigger) -> EventStatus:
    verb = trig.head
    chain = [verb]
    v = verb
    for _ in range(3):
        if v.dep_ in ("xcomp", "conj") and v.head is not v:
            v = v.head
            chain.append(v)
        else:
            break
    for v in chain:
        for child in v.children:
            if child.dep_ == "neg" or child.lower_ in ("never",):
                return "negated"
        if v is not verb and v.lemma_.lower() in ("fail", "refuse", "decline"):
            return "negated"
    for child in trig.word.children if trig.noun else []:
        if child.dep_ == "det" and child.lower_ == "no":
            return "negated"
    # A clause under "if" / "unless" is hypothetical; so is one with a modal.
    v = verb
    for _ in range(4):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in v.children):
            return "hypothetical"
        if v.dep_ in ("ccomp", "conj", "xcomp", "advcl") and v.head is not v:
            v = v.head
        else:
            break
    for v in chain:
        auxes = [c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")]
        if any(a in MODAL_HYPOTHETICAL for a in auxes):
            return "hypothetical"
        if any(a in FUTURE_AUX for a in auxes):
            return "future"
        if v is not verb and v.lemma_.lower() in INTENT_VERBS:
            return "future"
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in INTENT_VERBS | {"be"}:
        return "future"
    return "asserted"


class EntityIndex:
    """Entity mentions by character offset, and new group entities made for phrases."""

    def __init__(self, text: str, entities: list[Entity]):
        self.text = text
        self.entities = entities
        self.by_char: dict[int, str] = {}
        for e in entities:
            for m in e.mentions:
                for c in range(m.start, m.end):
                    self.by_char.setdefault(c, e.id)
        self.added: list[Entity] = []

    def ids_in(self, start: int, end: int) -> list[str]:
        out: list[str] = []
        for c in range(start, end):
            eid = self.by_char.get(c)
            if eid is not None and eid not in out:
                out.append(eid)
        return out

    def group(self, start: int, end: int) -> str:
        name = self.text[start:end]
        for e in self.added:
            if e.name.lower() == name.lower():
                e.mentions.append(RecSpan.of(self.text, start, end))
                self._index(e.id, start, end)
                return e.id
        eid = f"E{len(self.entities) + len(self.added) + 1}"
        self.added.append(
            Entity(id=eid, name=name, type="GROUP", mentions=[RecSpan.of(self.text, start, end)])
        )
        self._index(eid, start, end)
        return eid

    def _index(self, eid: str, start: int, end: int) -> None:
        for c in range(start, end):
            self.by_char.setdefault(c, eid)


def _phrase(head: Token) -> tuple[int, int]:
    """The core of the noun phrase headed by ``head``: its left modifiers, no determiner,
    and an "of" phrase after a number ("26 of Ukraine's allies")."""
    left = head
    for child in head.lefts:
        if child.dep_ in ("amod", "compound", "nummod", "poss", "nmod", "quantmod", "npadvmod"):
            left = child.left_edge if child.left_edge.i < left.i else left
            break
    right = head
    if head.pos_ == "NUM" or head.lower_ in ("some", "many", "most", "all", "several"):
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                right = child.right_edge
    doc = head.doc
    while left.i < right.i and (left.lower_ in DETS or left.is_punct):
        left = doc[left.i + 1]
    while right.i > left.i and (right.is_punct or right.lower_ in ("’s", "'s")):
        right = doc[right.i - 1]
    return left.idx, right.idx + len(right)


def _animate(head: Token, start: int, end: int) -> bool:
    """Does a common-noun phrase name actors: people, bodies, forces, or things of a
    nation ("Palestinian homes")?"""
    if head.lemma_.lower() in ACTOR_NOUNS:
        return True
    return any(
        t.ent_type_ in ("NORP", "GPE", "ORG")
        for t in head.doc.char_span(start, end, alignment_mode="expand") or []
    )


def _actors_of(tok: Token | None, idx: EntityIndex, strict: bool = False) -> list[str]:
    """Entity ids for the phrase headed by ``tok`` and its conjuncts. ``strict`` (for
    recipients): a common-noun phrase counts only when it names actors."""
    if tok is None:
        return []
    out: list[str] = []
    for head in _conjuncts(tok):
        if head.lower_ in PRONOUNS or head.pos_ == "PRON":
            continue
        start, end = _phrase(head)
        named = idx.ids_in(head.idx, head.idx + len(head))
        if not named and head.pos_ in ("NOUN", "NUM"):
            if strict and not _animate(head, start, end):
                continue
            ids = [idx.group(start, end)]
        else:
            ids = named or idx.ids_in(start, end) or [idx.group(start, end)]
        out.extend(i for i in ids if i not in out)
    return out


def _innermost(statements: list[Statement], start: int, end: int) -> Statement | None:
    best = None
    for st in statements:
        c = st.content
        if (
            c.start <= start
            and end <= c.end
            and (best is None or c.end - c.start < best.content.end - best.content.start)
        ):
            best = st
    return best


def find_events(
    doc: Doc,
    text: str,
    entities: list[Entity],
    statements: list[Statement],
    dates: list[DateMention],
    figures: list[Figure],
) -> tuple[list[Event], list[Entity]]:
    """The events of the document, and the group entities made for their actors
    (to be appended to the document's entities)."""
    idx = EntityIndex(text, entities)
    places = {e.id for e in entities if e.type in ("GPE", "LOC")}
    events: list[Event] = []
    for trig in find_triggers(doc):
        verb = trig.head
        subj, passive = _subject(verb)
        if subj is not None and (subj.lower_ in PRONOUNS or subj.pos_ == "PRON"):
            subj = _reporter_subject(verb) or subj
        skip: set[int] = {trig.word.i}
        if passive:
            actors = _actors_of(_agent(verb), idx)
            recipients = _actors_of(subj, idx, True)
        else:
            actors = _actors_of(subj, idx)
            recipients = []
        for obj in _objects(verb, skip) + (_objects(trig.word, set()) if trig.noun else []):
            if obj.i == trig.word.i:
                continue
            recipients.extend(r for r in _actors_of(obj, idx, True) if r not in recipients)
        recipients = [r for r in recipients if r not in actors]
        status = _status(trig)
        kind, mode = trig.type, trig.mode
        frame = verb.head.lemma_.lower() if verb.dep_ == "xcomp" else ""
        modals = {c.lower_ for c in verb.children if c.dep_ == "aux"}
        reporter = _reporter_subject(verb) if verb.dep_ == "ccomp" else None
        conditional = any(
            c.dep_ == "advcl" and any(m.lower_ == "unless" for m in c.children if m.dep_ == "mark")
            for c in verb.children
        )
        if (
            modals & REQUEST_MODALS
            and reporter is not None
            and subj is not None
            and subj.i != reporter.i
        ):
            # "X said Y must return the helicopter": X asks it of Y.
            recipients = actors  # the party asked; the act's own objects are not recipients
            actors = _actors_of(reporter, idx)
            kind, mode, status = "REQUEST", trig.type.lower(), "asserted"
        elif status == "negated" and kind in FRIENDLY:
            kind, mode = "REJECT", trig.type.lower()  # "will not accept", "refused to meet"
        elif conditional or (status in ("future", "hypothetical") and kind in HOSTILE):
            kind, mode = "THREATEN", trig.type.lower()
        elif (
            kind in FRIENDLY
            and kind != "AGREE"
            and (
                frame in PROMISE_FRAMES
                or verb.head.lemma_.lower() in PROMISE_FRAMES
                and verb.dep_ in ("xcomp", "acomp")
            )
        ):
            kind, mode = "AGREE", trig.type.lower()
        t_start, t_end = trig.word.idx, trig.end.idx + len(trig.end)
        if trig.noun:
            t_start = min(t_start, verb.idx)
            t_end = max(t_end, verb.idx + len(verb))
        sent = verb.sent
        s_start, s_end = sent.start_char, sent.end_char
        # Date: the nearest date mention in the sentence.
        in_sent = [d for d in dates if s_start <= d.span.start < s_end and d.value]
        date = min(in_sent, key=lambda d: abs(d.span.start - t_start)).value if in_sent else None
        # Location: a place in an "in/near/at" phrase of the trigger or its object.
        location = None
        for holder in (verb, trig.word, *[c for c in verb.children if c.dep_ == "dobj"]):
            for child in holder.children:
                if child.dep_ == "prep" and child.lower_ in LOCATION_PREPS:
                    sub = child.right_edge
                    for eid in idx.ids_in(child.idx, sub.idx + len(sub)):
                        if eid in places:
                            location = eid
                            break
                if location:
                    break
            if location:
                break
        # Figures inside the trigger's clause; sizes by what they count.
        left, right = verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge)
        figs = [f for f in figures if left <= f.span.start and f.span.end <= right]
        size: dict[str, float] = {}
        lemma = trig.word.lemma_.lower()
        for f in figs:
            if f.value is None and f.low is None:
                continue
            amount = f.value if f.value is not None else f.low
            after = text[f.span.end : f.span.end + 30].split()
            words = {w.strip(",.;").lower() for w in after[:3]}
            if f.counted is not None:
                words.add(f.counted.text.split()[-1].lower())
            key = None
            for w in words:
                for k in SIZE_WORDS.get(w, ()):
                    key = k
            if key is None and f.unit == "count":
                in_object = any(
                    c.dep_ in ("dobj", "nsubjpass")
                    and c.left_edge.idx <= f.span.start < c.right_edge.idx + len(c.right_edge)
                    for c in verb.children
                )
                if in_object and lemma in KILL_LEMMAS:
                    key = "dead"
                elif in_object and lemma in INJURE_LEMMAS:
                    key = "injured"
                elif in_object and lemma in ARREST_LEMMAS:
                    key = "arrested"
            if key is not None and amount is not None:
                size.setdefault(key, amount)
        st = _innermost(statements, t_start, t_end)
        events.append(
            Event(
                id=f"V{len(events) + 1}",
                type=kind,
                mode=mode,
                trigger=RecSpan.of(text, t_start, t_end),
                actors=actors,
                recipients=recipients,
                date=date,
                location=location,
                status=status,
                size=size,
                figures=[f.id for f in figs],
                statement=st.id if st else None,
            )
        )
    return events, idx.added
