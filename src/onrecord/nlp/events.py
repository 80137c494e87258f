"""Events following PLOVER: who did what to whom, when and where.

A trigger lexicon maps verb lemmas (and a few phrasal verbs: "blow up", "call for",
"pull out") to a PLOVER type and mode; a noun trigger ("sanctions", "invasion",
"curfew") counts when a light verb governs it ("imposed sanctions", "mounted an
invasion"). Reporting verbs ("said", "announced") are no events; speech acts that are
("accused", "denied", "urged", "threatened") are.

From the parse: the subject is the actor (the passive agent for a passive verb; the
subject of the governing verb for "offered to hand over"; a pronoun subject in the
complement of a reporting verb is that verb's subject), the object and the objects of
"to/with/against/on/from/into/at/of/between" (and, one level down, of those objects'
own such phrases) are the recipients (the passive subject for a passive verb); failing
those, the party asked or allowed ("demanded that X ...") and the target of a protest's
aim ("marched to demand the resignation of X"). Actors and recipients are entity ids:
a named entity in the phrase, else a new GROUP entity for the phrase ("26 of Ukraine's
allies", "Israeli army bulldozers").

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

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from spacy.symbols import AUX, NOUN, PROPN, VERB
from spacy.tokens import Doc, Token

from onrecord.nlp import wordnet
from onrecord.nlp.lexicon import REPORTING_VERBS
from onrecord.record import (
    DateBasis,
    DateMention,
    Entity,
    Event,
    EventStatus,
    Figure,
    Statement,
)
from onrecord.record import Span as RecSpan

if TYPE_CHECKING:
    from onrecord.nlp.event_model import EventModel


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
    ("COOPERATE", None): "collaborate share coordinate partner ally",
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
                              "censure rebuke protest_against decry fault complain",
    ("ACCUSE", "investigate"): "investigate probe inquire examine",
    ("ACCUSE", "allege"): "allege charge",
    ("ACCUSE", "sue"): "sue indict",
    ("REJECT", None): "reject refuse deny decline dismiss rebuff oppose veto spurn ignore "
                      "defy resist boycott_talks renege violate breach flout",
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
    ("COERCE", "destroy"): "destroy raze bulldoze burn torch blow_up",
    ("COERCE", "censor"): "censor ban outlaw shut_down close_down",
    ("COERCE", "cyber"): "hack",
    ("COERCE", None): "expel_from crack_down raid",
    ("ASSAULT", "kill"): "kill slay massacre execute",
    ("ASSAULT", "injure"): "wound injure maim",
    ("ASSAULT", "beat"): "beat beat_up assault",
    ("ASSAULT", "torture"): "torture",
    ("ASSAULT", "abduct"): "abduct kidnap",
    ("ASSAULT", "firearms"): "shoot fire_on gun_down",
    ("ASSAULT", "explosives"): "bomb shell bombard explode",
    ("ASSAULT", "heavy-weapons"): "attack strike_at invade storm fight clash ambush "
                                  "retake raid_on",
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
    ("ACCUSE", "investigate"): "investigation inquiry probe hearing",
    ("ACCUSE", "disapprove"): "accusation criticism condemnation complaint",
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
    "send", "step", "escalate", "intensify", "continue", "agree", "reiterate", "renew",
    "repeat", "voice", "press",
}  # fmt: skip
# Verbs that stop the act their object names: a cooperative act stopped is a sanction
# ("ended mediation efforts", "suspended talks", "cut aid"); and verbs of aspect that pass
# the noun's type through ("completed their withdrawal", "resumed talks").
STOP_VERBS = {"end", "stop", "halt", "cut", "suspend", "cancel", "freeze", "terminate"}
PASS_VERBS = {"complete", "resume", "finish"}
COOPERATIVE = {"CONSULT", "COOPERATE", "AID", "AGREE"}
# Light verbs that end or ease a measure ("lifted the blockade", "eased sanctions"): the
# event is the reverse of the measure.
UNDO_VERBS = {"lift", "ease", "end", "remove", "relax", "shorten", "scrap", "drop", "rescind",
              "revoke", "cancel", "loosen", "suspend"}
UNDO_NOUNS = {
    "blockade": ("RETREAT", "ceasefire"), "siege": ("RETREAT", "ceasefire"),
    "sanction": ("CONCEDE", "sanctions"), "embargo": ("CONCEDE", "sanctions"),
    "curfew": ("CONCEDE", "restrictions"), "ban": ("CONCEDE", "restrictions"),
    "restriction": ("CONCEDE", "restrictions"), "state": ("CONCEDE", "restrictions"),
}  # fmt: skip
# Nouns an accepting verb concedes ("accepted the demands of the strikers").
CONCEDED_NOUNS = {"demand", "condition", "request", "term", "ultimatum"}
# Relations established or broken: (verb lemmas, noun lemmas) -> type.
RELATION_NOUNS = {"tie", "relation", "link", "contact", "relationship"}
RELATION_VERBS = {
    "establish": ("SUPPORT", None), "restore": ("SUPPORT", None), "resume": ("SUPPORT", None),
    "normalize": ("SUPPORT", None), "normalise": ("SUPPORT", None),
    "break": ("SANCTION", "relations"), "sever": ("SANCTION", "relations"),
    "cut": ("SANCTION", "relations"), "suspend": ("SANCTION", "relations"),
    "downgrade": ("SANCTION", "relations"), "freeze": ("SANCTION", "relations"),
}  # fmt: skip
# Attacks with weapons: "fired 112 drones", "launched missiles at", "shelled the town".
ATTACK_VERBS = {"fire", "launch", "shoot", "drop", "lob", "hurl", "rain", "unleash"}
WEAPONS = {
    "drone": "aerial", "missile": "aerial", "rocket": "heavy-weapons",
    "shell": "heavy-weapons", "mortar": "heavy-weapons", "bomb": "explosives",
    "grenade": "explosives", "artillery": "heavy-weapons", "projectile": "heavy-weapons",
    "munition": "heavy-weapons", "bullet": "firearms", "shot": "firearms",
    "round": "firearms", "salvo": "heavy-weapons", "barrage": "heavy-weapons",
    "warhead": "aerial", "cruise": "aerial", "airstrike": "aerial", "weapon": "heavy-weapons",
}  # fmt: skip
# Verbs that count what was stopped ("intercepted or jammed 84 drones").
INTERCEPT_VERBS = {"intercept", "jam", "down", "destroy", "neutralise", "neutralize",
                   "repel", "repulse", "suppress", "shoot_down"}
# Nouns of meetings and calls that are events even under a preposition ("after a meeting
# of the coalition in Paris", "in the phone conversation with").
MEETING_NOUNS = {"meeting", "summit", "talk", "conversation", "call", "negotiation"}
PHONE_WORDS = {"phone", "telephone", "video", "videolink", "video-link", "teleconference"}
SPEECH_VERBS = {"speak", "talk", "confer", "chat"}
# Collective heads whose "of" phrase names who they are ("a group of diplomats").
COLLECTIVE = {
    "group", "coalition", "alliance", "league", "union", "association", "federation",
    "thousand", "hundred", "dozen", "ten", "million", "number", "crowd", "band", "patch",
    "batch", "contingent", "team", "majority", "delegation", "council", "committee",
}  # fmt: skip
# Lemmas of verbs that never trigger on their own though they appear in the lists above
# in other senses (reporting verbs are handled by not listing them).
INTENT_VERBS = {
    "commit",
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
# Verbs of aspect and attempt: the act is their object or to-infinitive ("completed their
# withdrawal", "tried to hack", "resumed shelling"), never the verb itself.
ASPECT_VERBS = {"try", "attempt", "complete", "continue", "resume", "begin", "start", "finish",
                "manage", "plan", "intend", "want", "aim", "prepare", "decide"}
# Verbs that only frame the act in their to-infinitive ("vowed to fight", "offered to
# hand over"): the act is the event, with the status and type the frame gives it.
FRAME_VERBS = {
    "commit",
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
    "commit",
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
# Prepositions whose object is a recipient: of the trigger ("talks with", "fired at"), and,
# with "by", inside its object ("the removal of X", "mediation between X and Y").
RECIPIENT_PREPS = {"to", "with", "against", "on", "from", "into", "at", "of", "upon", "for",
                   "between", "among"}
NESTED_PREPS = RECIPIENT_PREPS | {"by"}
# Types whose recipient, when they have no object, is the subject of the clause they govern
# (asking, allowing: "demanded that Hamas renounce"), or the object of the act they aim at
# (protests: "demonstrated to demand the resignation of X").
CLAUSE_ADDRESSED = {"REQUEST", "CONCEDE"}
PURPOSE_AIMED = {"PROTEST"}
WH_TAGS = {"WRB", "WP", "WDT", "WP$"}
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
# Dependencies of an "-ing" form used as a noun ("once fighting ends").
NOMINAL_DEPS = {"nsubj", "csubj", "nsubjpass", "dobj", "pobj", "compound", "amod"}
PRONOUNS = {"it", "they", "he", "she", "we", "i", "them", "its", "their"}
DETS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her"}


@dataclass
class Trigger:
    head: Token  # the verb (or the light verb of a noun trigger; the noun of a bare one)
    word: Token  # the trigger word itself
    end: Token  # last token of the trigger (a particle of a phrasal verb)
    type: str
    mode: str | None
    noun: bool = False
    extra: list[Token] = field(default_factory=list)
    weapon: str | None = None  # lemma of the weapon an attack verb fired
    bare: bool = False  # a meeting noun under a preposition, with no verb of its own
    absorbed: Trigger | None = None  # the act a request asks for ("demanded that X withdraw")


def _phrasal(tok: Token) -> tuple[str, Token] | None:
    """The phrasal lemma ("blow up", "call for") and its last token, if listed."""
    for child in tok.children:
        if child.dep_ == "prt" or (child.dep_ == "prep" and child.i == tok.i + 1):
            key = f"{tok.lemma_.lower()} {child.lower_}"
            if key in VERBS:
                return key, child
    return None


def _weapon(verb: Token) -> str | None:
    """The weapon lemma in the object of ``verb`` ("fired 112 strike and decoy drones")."""
    todo = [c for c in verb.children if c.dep_ in ("dobj", "conj") and c.pos_ != "VERB"]
    seen = 0
    while todo and seen < 12:
        tok = todo.pop()
        seen += 1
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("NOUN", "PROPN") and lemma in WEAPONS:
            return lemma
        todo.extend(c for c in tok.children
                    if c.dep_ in ("dobj", "conj", "compound", "pobj", "prep") and c.pos_ != "VERB"
                    and (c.dep_ != "prep" or c.lower_ == "of"))
    return None


def _phone(tok: Token) -> Token | None:
    """"by phone", "phone call": the phone word attached to ``tok``."""
    for child in tok.children:
        if child.lower_ in PHONE_WORDS and child.dep_ in ("compound", "amod", "nmod"):
            return child
        if child.dep_ == "prep" and child.lower_ in ("by", "over", "via"):
            for g in child.children:
                if g.dep_ == "pobj" and g.lower_ in PHONE_WORDS:
                    return g
    return None


def _framed(verb: Token) -> Token | None:
    """The frame verb of an act in its to-infinitive ("pledged to deploy", "sworn to
    fight", "committed to deploying", "willing to withdraw")."""
    head = verb.head
    if head is verb:
        return None
    frames = FRAME_VERBS | INTENT_VERBS
    if verb.dep_ == "xcomp" and head.lemma_.lower() in frames:
        return head
    if (verb.dep_ == "advcl" and head.lemma_.lower() in FRAME_VERBS
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)):
        return head
    if (verb.dep_ == "pcomp" and head.lower_ == "to" and head.head is not head
            and head.head.lemma_.lower() in FRAME_VERBS):
        return head.head
    return None


def _verb_trigger(tok: Token) -> Trigger | None:
    """A verb's trigger: a listed phrasal verb, else its lemma's type as its object, weapon
    and company refine it; none for a nominal or descriptive use of the word."""
    ph = _phrasal(tok)
    if ph is not None:
        kind, mode = VERBS[ph[0]]
        return Trigger(tok, tok, ph[1], kind, mode)
    objects = [c for c in tok.children if c.dep_ == "dobj"]
    if not _used_as_verb(tok, objects):
        return None
    lemma = tok.lemma_.lower()
    if lemma == "declare" and "persona non grata" in " ".join(t.lower_ for t in tok.subtree):
        return Trigger(tok, tok, tok, "SANCTION", "expel")
    hit = VERBS.get(lemma)
    if hit == ("PROTEST", "strike") and objects:
        hit = ("ASSAULT", "heavy-weapons")  # "strike a target", not a walkout
    weapon = _weapon(tok) if lemma in ATTACK_VERBS or (hit and hit[0] == "ASSAULT") else None
    if lemma == "shoot" and weapon and any(c.lower_ == "down" for c in tok.children):
        return None  # "shot down 31 missiles": an interception, counted with the attack
    hit = _attack_type(tok, lemma, weapon, hit)
    speech = _speech_trigger(tok) if lemma in SPEECH_VERBS else None
    if speech is not None:
        return speech
    if lemma in ("conclude", "accept") and any(c.dep_ == "ccomp" for c in tok.children):
        return None  # "concluded that ...": a finding, not an agreement
    hit = _object_type(lemma, objects, hit)
    if hit is None:
        return None
    return Trigger(tok, tok, tok, hit[0], hit[1], weapon=weapon)


def _used_as_verb(tok: Token, objects: list[Token]) -> bool:
    """Not a nominal use ("once fighting ends", also misparsed with "ends" as its object),
    nor a participle describing a noun ("its long-threatened invasion")."""
    if tok.tag_ == "VBG" and tok.dep_ in NOMINAL_DEPS:
        return False
    if tok.dep_ in ("amod", "compound"):
        return False
    return not (tok.tag_ == "VBG" and any(o.pos_ == "VERB" for o in objects))


def _attack_type(tok: Token, lemma: str, weapon: str | None,
                 hit: tuple[str, str | None] | None) -> tuple[str, str | None] | None:
    """An attack verb's type by what it fires: "fired 112 drones", "fired at the crowd"."""
    if weapon is not None and lemma in ATTACK_VERBS:
        return ("ASSAULT", WEAPONS[weapon])
    if lemma in ("fire", "shoot") and any(
        c.dep_ == "prep" and c.lower_ in ("at", "on", "into")
        and any(g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME") for g in c.children)
        for c in tok.children
    ):
        return ("ASSAULT", "firearms")
    return hit


def _speech_trigger(tok: Token) -> Trigger | None:
    """Speaking by phone is a call; speaking with a named party, a meeting ("spoke to
    reporters" is neither)."""
    phone = _phone(tok)
    if phone is not None:
        return Trigger(tok, tok, phone if phone.i > tok.i else tok, "CONSULT", "phone",
                       extra=[phone])
    with_named = any(
        c.dep_ == "prep" and c.lower_ == "with"
        and any(g.dep_ == "pobj" and g.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
                for g in c.children)
        for c in tok.children
    )
    return Trigger(tok, tok, tok, "CONSULT", "meet") if with_named else None


def _object_type(lemma: str, objects: list[Token],
                 hit: tuple[str, str | None] | None) -> tuple[str, str | None] | None:
    """The type a verb takes from its object's class: "accepted the demands" (CONCEDE),
    "established diplomatic ties", "broke off relations"."""
    for obj in objects:
        olemma = obj.lemma_.lower()
        if lemma in ("accept", "meet", "grant", "satisfy", "heed") and olemma in CONCEDED_NOUNS:
            hit = ("CONCEDE", None)
        if lemma in RELATION_VERBS and olemma in RELATION_NOUNS:
            hit = RELATION_VERBS[lemma]
    return hit


def _verb_lemma(verb: Token) -> str:
    """The lemma of a light verb, from its surface form where the lemmatiser cut an "-ed"
    verb too short ("staged" -> "stag")."""
    lemma = verb.lemma_.lower()
    text = verb.lower_
    if lemma not in HOLDERS and text.endswith("ed") and text[:-1] in HOLDERS:
        return text[:-1]
    return lemma


def _noun_trigger(tok: Token) -> Trigger | None:
    kind: str
    mode: str | None
    lemma = tok.lemma_.lower()
    head = tok.head
    as_object = head.pos_ == "VERB" and tok.dep_ in ("dobj", "nsubjpass", "attr")
    hlemma = _verb_lemma(head)
    if as_object and hlemma in UNDO_VERBS and lemma in UNDO_NOUNS:
        kind, mode = UNDO_NOUNS[lemma]  # "lifted the blockade"
        return Trigger(head, tok, tok, kind, mode, noun=True)
    phone = _phone(tok) if lemma in ("call", "conversation") else None
    if lemma in MEETING_NOUNS and (lemma not in ("call", "conversation") or phone is not None):
        kind, mode = ("CONSULT", "phone") if phone is not None else NOUNS.get(
            lemma, ("CONSULT", "meet"))
        if as_object and hlemma in HOLDERS | {"have", "attend", "join"}:
            return Trigger(head, tok, tok, kind, mode, noun=True)
        if tok.dep_ == "pobj" and head.lower_ in (
            "after", "during", "at", "before", "following", "in", "since", "ahead", "on",
        ):
            return Trigger(tok, tok, tok, kind, mode, noun=True, bare=True)
        return None
    if lemma not in NOUNS:
        return None
    # "launched a mediation effort": the trigger is a compound of the light verb's object.
    if tok.dep_ == "compound" and head.dep_ == "dobj" and head.head.pos_ == "VERB":
        holder = head.head
        if _verb_lemma(holder) in HOLDERS:
            kind, mode = NOUNS[lemma]
            return Trigger(holder, tok, head, kind, mode, noun=True)
    if as_object and hlemma in HOLDERS:
        kind, mode = NOUNS[lemma]
        return Trigger(head, tok, tok, kind, mode, noun=True)
    return None


# WordNet classes read for an unlisted word's listed kin: its first sense's synset and the
# nearest hypernym (deeper, "retake" reaches "seize" and "speak" "talk"; cross-validated).
KIN_DEPTH = 2


@contextmanager
def kin_depth(depth: int) -> Iterator[None]:
    """Evaluation: the kin rule reading ``depth`` WordNet classes instead of ``KIN_DEPTH``
    (the nested cross-validation chooses the depth inside each training fold)."""
    global KIN_DEPTH
    shipped = KIN_DEPTH
    KIN_DEPTH = depth
    _kin_lemmas.cache_clear()
    try:
        yield
    finally:
        KIN_DEPTH = shipped
        _kin_lemmas.cache_clear()


def _kin(lemma: str, pos: str, unknown: frozenset[str]) -> tuple[str, str | None] | None:
    """The type of the listed word nearest above an unlisted lemma in WordNet (its first
    sense's synset and nearest hypernyms): "assassinate" falls under "kill"."""
    lex = VERBS if pos == "verb" else NOUNS
    for c in wordnet.classes(lemma, pos)[:KIN_DEPTH]:
        if c != lemma and c in lex and c not in unknown and c not in _NOT_KIN:
            return lex[c]
    return None


def _kin_trigger(tok: Token, unknown: frozenset[str]) -> Trigger | None:
    """A trigger for a word the lexicon does not list (or, in evaluation, hides), typed
    as its nearest listed WordNet kin: a verb used as a verb, a noun under a light verb."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        if lemma in _NOT_KIN or tok.dep_ in ("amod", "compound") or (
                tok.tag_ == "VBG" and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")):
            return None
        hit = _kin(lemma, "verb", unknown)
        return Trigger(tok, tok, tok, hit[0], hit[1]) if hit else None
    if tok.pos_ != "NOUN":
        return None
    head = tok.head
    holder = head.head if tok.dep_ == "compound" and head.dep_ == "dobj" else head
    as_object = tok.dep_ in ("dobj", "nsubjpass", "attr") or holder is not head
    if not (as_object and holder.pos_ == "VERB" and _verb_lemma(holder) in HOLDERS):
        return None
    hit = _kin(lemma, "noun", unknown)
    return Trigger(holder, tok, tok, hit[0], hit[1], noun=True) if hit else None


def _prefixes(keys: Iterable[str]) -> set[str]:
    """Each key and every part of it before a space or underscore ("call for": "call")."""
    return {k[:n] for k in keys for n in range(1, len(k) + 1) if n == len(k) or k[n] in " _"}


# Lemmas (lowercased) with which _verb_trigger can return a trigger: the lexicon, the
# first words of its phrasal verbs, and the verbs its special cases look for.
VERB_TRIGGER_LEMMAS = frozenset(
    _prefixes(VERBS)
    | ATTACK_VERBS
    | SPEECH_VERBS
    | set(RELATION_VERBS)
    | {"declare", "fire", "shoot", "accept", "meet", "grant", "satisfy", "heed"}
)
# Verbs whose object noun can be the event: light, stopping and aspect verbs.
HOLDERS = frozenset(LIGHT_VERBS | STOP_VERBS | PASS_VERBS)
# Lemmas (lowercased) with which _noun_trigger can return a trigger.
NOUN_TRIGGER_LEMMAS = frozenset(set(NOUNS) | set(UNDO_NOUNS) | MEETING_NOUNS)
# Words never typed through a kin, nor kin of another: light, frame, aspect, intention,
# speech and reporting verbs ("spoke to reporters" is no meeting).
_NOT_KIN = frozenset(LIGHT_VERBS | FRAME_VERBS | INTENT_VERBS | ASPECT_VERBS | SPEECH_VERBS
                     | REPORTING_VERBS | {"be", "have", "speak"})


@lru_cache(maxsize=1)
def _kin_lemmas() -> tuple[frozenset[str], frozenset[str]]:
    """The verbs and nouns WordNet puts under a listed word (candidates of _kin_trigger)."""
    return (frozenset(w for w in wordnet.words("verb") if _kin(w, "verb", frozenset())),
            frozenset(w for w in wordnet.words("noun") if _kin(w, "noun", frozenset())))


INTERCEPT_LEMMAS = frozenset(_prefixes(INTERCEPT_VERBS) | {"shoot"})


class _Lemmas:
    """A document's parts of speech, lemmas and dependency labels from its token arrays, to
    pick out the few tokens worth a closer look without building a Token for every one."""

    def __init__(self, doc: Doc):
        arr = doc.to_array(["POS", "LEMMA", "DEP"])
        self.pos, self.lemma, self.dep = arr[:, 0], arr[:, 1], arr[:, 2]
        self.strings = doc.vocab.strings
        unique, self.inverse = np.unique(self.lemma, return_inverse=True)
        self.lower = [self.strings[h].lower() for h in unique.tolist()]

    def where(self, pos: Iterable[int], lemmas: frozenset[str], spaced: bool = False) -> Any:
        """A mask of the tokens with one of the parts of speech ``pos`` and a lemma whose
        lowercase form is in ``lemmas`` (with ``spaced``: after " " -> "_")."""
        ok = np.array(
            [(w.replace(" ", "_") if spaced else w) in lemmas for w in self.lower], dtype=bool
        )
        return np.isin(self.pos, list(pos)) & ok[self.inverse].reshape(self.pos.shape)


def _trigger_candidates(doc: Doc) -> list[int]:
    """Indices of the tokens find_triggers may make a trigger of: verbs with a lemma
    _verb_trigger knows or in a ccomp clause, nouns with a trigger lemma, and the verbs
    and nouns WordNet puts under a listed word."""
    arr = _Lemmas(doc)
    ccomp = arr.strings.add("ccomp")
    kin_verbs, kin_nouns = _kin_lemmas()
    found = (
        arr.where((VERB, AUX), VERB_TRIGGER_LEMMAS)
        | arr.where((VERB,), kin_verbs)
        | arr.where((NOUN,), kin_nouns)
        | arr.where((NOUN, PROPN), NOUN_TRIGGER_LEMMAS)
        | (np.isin(arr.pos, [VERB, AUX]) & (arr.dep == ccomp))
    )
    return [int(i) for i in np.flatnonzero(found)]


def find_triggers(doc: Doc, unknown: frozenset[str] = frozenset()) -> list[Trigger]:
    """The rules' triggers, without those whose word's lemma is ``unknown`` (evaluation
    hides the words only a held-out fold supports: the frames and requests around them
    stand as they would had the word never been listed)."""
    out: list[Trigger] = []
    for i in _trigger_candidates(doc):
        tok = doc[i]
        trig: Trigger | None = None
        lemma = tok.lemma_.lower()
        listed = NOUN_TRIGGER_LEMMAS if tok.pos_ in ("NOUN", "PROPN") else VERB_TRIGGER_LEMMAS
        if lemma in unknown or lemma not in listed:
            trig = _kin_trigger(tok, unknown)  # a word the lexicon does not list
        elif tok.pos_ in ("VERB", "AUX"):
            trig = _verb_trigger(tok)
        elif tok.pos_ in ("NOUN", "PROPN"):
            trig = _noun_trigger(tok)
        if trig is None and tok.pos_ in ("VERB", "AUX") and tok.dep_ == "ccomp":
            # "X said Y must return the helicopter": a request even when the act is not
            # in the lexicon.
            aux = {c.lower_ for c in tok.children if c.dep_ == "aux"}
            if aux & REQUEST_MODALS and any(c.dep_ == "nsubj" for c in tok.children):
                trig = Trigger(tok, tok, tok, "REQUEST", None)
        if trig is not None:
            out.append(_stopped(trig))
    return settle(out)


def _stopped(trig: Trigger) -> Trigger:
    """A cooperative act whose verb stops it is a sanction ("ended mediation efforts")."""
    if (trig.noun and not trig.bare and trig.type in COOPERATIVE
            and trig.head.lemma_.lower() in STOP_VERBS):
        trig.type, trig.mode = "SANCTION", trig.type.lower()
    return trig


def settle(out: list[Trigger]) -> list[Trigger]:
    """Triggers that overlap give way: a noun trigger to its verb's, a frame to its act, an
    asked act to the request."""
    # A noun trigger under a light verb replaces a verb trigger on the same verb
    # ("offered asylum" is AID, not a promise).
    nouns = {t.head.i for t in out if t.noun and not t.bare}
    out = [t for t in out if t.noun or t.head.i not in nouns]
    # A frame verb gives way to the act in its to-infinitive ("vowed to fight").
    frames = set()
    for t in out:
        frame = _framed(t.head)
        if frame is not None and frame.lemma_.lower() in FRAME_VERBS:
            frames.add(frame.i)
    out = [t for t in out if t.noun or t.head.i not in frames]
    # A request absorbs the act it asks for ("demanded that the US cancel the sale").
    by_head = {t.head.i: t for t in out}
    absorbed: set[int] = set()
    for t in out:
        if t.type != "REQUEST":
            continue
        for holder in (t.head, t.word):
            for c in holder.children:
                inner = by_head.get(c.i)
                if c.dep_ in ("ccomp", "acl") and inner is not None and inner is not t:
                    t.absorbed = inner
                    absorbed.add(c.i)
    return [t for t in out if t.head.i not in absorbed or t.absorbed is not None]


RELATIVE = {"who", "which", "that", "whom"}


def _subject(verb: Token) -> tuple[Token | None, bool]:
    """The subject of ``verb`` and whether it is passive: inherited through xcomp, conj,
    acomp, a to-infinitive or participle clause and "to"+gerund ("committed to deploying");
    a relative pronoun is the noun its clause modifies; a participle modifying a noun has
    that noun as its subject ("Putin, backed by China" is passive)."""
    v = verb
    for _ in range(5):
        subjects = [c for c in v.children if c.dep_ in ("nsubj", "csubj", "nsubjpass")]
        if len(subjects) > 1:  # "that, in ..., Mr Trump emphasised": not the stray "that"
            subjects = [c for c in subjects if c.lower_ not in RELATIVE] or subjects
        for child in subjects:
            passive = child.dep_ == "nsubjpass" and v is verb
            if child.lower_ in RELATIVE and v.dep_ == "relcl" and v.head is not v:
                return v.head, passive
            if child.lower_ == "it" and v.lemma_ == "be" and v is not verb:
                break  # "it is possible to agree": no one in particular
            return child, passive
        else:
            subjects = []
        if subjects:
            return None, False
        if v.head is v:
            break
        if v.dep_ in ("xcomp", "conj", "acomp"):
            v = v.head
            continue
        if v.dep_ == "advcl" and (
            v.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
        ):
            v = v.head
            continue
        if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head is not v.head:
            v = v.head.head
            continue
        if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN"):
            noun = v.head
            if noun.pos_ == "NOUN" and noun.lemma_.lower() not in ACTOR_NOUNS and v.tag_ != "VBN":
                # "its readiness to support", "Russian plans to strike": whose they are
                for c in noun.children:
                    if c.dep_ == "poss" or (c.dep_ == "amod" and c.ent_type_ in ("NORP", "GPE")):
                        return c, False
            return noun, v.tag_ == "VBN"
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
    for _ in range(6):
        if v.head is v:
            break
        crossing = v.dep_ in ("ccomp", "xcomp", "conj", "acomp", "advcl")
        v = v.head
        if not crossing:
            continue
        subj, _passive = _subject(v)
        if subj is not None and subj.lower_ not in PRONOUNS and subj.pos_ != "PRON":
            return subj
    return None


def _objects(verb: Token, skip: set[int]) -> list[Token]:
    """Recipient phrase heads: direct object, dative ("gave X", "provided ... to X"), and pp
    objects; and, one level down, the pp objects of those ("the removal of X", "a truce
    with X", "a war against X", "hack into the computers of X")."""
    out: list[Token] = []
    for child in verb.children:
        if child.i in skip:
            continue
        if child.dep_ in ("dobj", "attr", "oprd") or (child.dep_ == "dative"
                                                       and child.pos_ != "ADP"):
            out.append(child)
            out.extend(_nested(child))
        elif child.dep_ in ("prep", "dative") and child.lower_ in RECIPIENT_PREPS:
            for pobj in _pobjs(child):  # one level down: "a war against X"
                out.append(pobj)
                out.extend(_nested(pobj, 1))
    return out


def _clause_subjects(trig: Trigger, skip: set[int]) -> list[Token]:
    """The subjects of the clauses a trigger governs ("demanded that the US cancel",
    "allowed the opposition leader to bring out"): the party asked or allowed."""
    out = []
    for holder in (trig.head, trig.word):
        for c in holder.children:
            if c.dep_ in ("ccomp", "acl") and not any(
                    g.tag_ in WH_TAGS or (g.dep_ == "mark" and g.lower_ in ("if", "whether"))
                    for g in c.children):  # "ask why X did": no one asked
                out += [g for g in c.children if g.dep_ == "nsubj" and g.i not in skip]
    return out


def _aim(verb: Token) -> bool:
    """A clause that says what an act is for: a to-infinitive ("to demand reforms") or a
    bare participle ("calling for independence"), not "after it backed X"."""
    if verb.tag_ == "VBG":
        return not any(c.dep_ == "mark" for c in verb.children)
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _pobjs(prep: Token) -> list[Token]:
    """The objects of a preposition, less dates and times."""
    return [x for x in prep.children if x.dep_ == "pobj" and x.ent_type_ not in ("DATE", "TIME")]


def _nested(noun: Token, depth: int = 0) -> list[Token]:
    """The objects of a noun's recipient prepositions, two levels deep ("the computers of
    South Korean army officers", "suspension of links with Serbia", "calls by X")."""
    out: list[Token] = []
    for g in noun.children:
        if g.dep_ == "prep" and g.lower_ in NESTED_PREPS:
            for x in _pobjs(g):
                out.append(x)
                if depth < 1:
                    out.extend(_nested(x, depth + 1))
    return out


def _conjuncts(tok: Token) -> list[Token]:
    return [tok, *[c for c in tok.conjuncts if c.i > tok.i]]


def _status(trig: Trigger) -> EventStatus:
    verb = trig.head
    chain = [verb]
    v = verb
    for _ in range(3):
        frame = _framed(v)
        if v.dep_ in ("xcomp", "conj") and v.head is not v:
            v = v.head
            chain.append(v)
        elif frame is not None:
            v = frame
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
        if v is not verb and v.lemma_.lower() in INTENT_VERBS | FRAME_VERBS:
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
    if (
        head.pos_ == "NUM"
        or head.lower_ in ("some", "many", "most", "all", "several")
        or head.lemma_.lower() in COLLECTIVE
    ):
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                right = child.right_edge
                # "a group of diplomats in Paris": not the place
                for g in child.subtree:
                    if g.dep_ == "prep" and g.lower_ in LOCATION_PREPS and g.i > child.i + 1:
                        right = head.doc[g.i - 1]
                        break
    doc = head.doc
    while left.i < right.i and (
        left.lower_ in DETS or left.is_punct or left.lower_ in ("so", "called")
    ):
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
    recipients): a common-noun phrase counts only when it names actors, and a thing of a
    named party ("Palestinian lorries", "a U.N. resolution") stands for that party."""
    if tok is None:
        return []
    out: list[str] = []
    for head in _conjuncts(tok):
        if head.lower_ in PRONOUNS or head.pos_ == "PRON":
            continue
        start, end = _phrase(head)
        named = idx.ids_in(head.idx, head.idx + len(head))
        if not named and head.pos_ in ("NOUN", "NUM"):
            if strict and head.lemma_.lower() not in ACTOR_NOUNS:
                inside = idx.ids_in(start, end)
                if inside:
                    out.extend(i for i in inside if i not in out)
                    continue
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


PERSONAL = {"he", "she", "him", "her", "his", "i", "me", "my"}
PLURAL = {"they", "them", "their", "we", "us", "our"}


class Resolver:
    """Who a pronoun subject is: an entity mention on the pronoun itself; else the
    subject of the reporting verb it is the complement of ("Syria says it ..."); else the
    speaker of the statement it sits in ("Mr Zelensky's office said he ..." is Mr
    Zelensky: a person pronoun takes the person an office belongs to); else the nearest
    earlier mention of a fitting entity in the sentence or the one before."""

    def __init__(self, idx: EntityIndex, entities: list[Entity], statements: list[Statement]):
        self.idx = idx
        self.entities = {e.id: e for e in entities}
        self.statements = statements

    def _fit(self, pron: str, eid: str) -> str | None:
        ent = self.entities.get(eid)
        if ent is None:
            return eid if pron not in PERSONAL else None
        if pron in PERSONAL:
            if ent.type == "PERSON":
                return eid
            owner = self.entities.get(ent.part_of or "")
            return owner.id if owner is not None and owner.type == "PERSON" else None
        if pron in ("it", "its"):
            return eid if ent.type in ("ORG", "GPE", "LOC", "GROUP", "NORP") else None
        return eid

    def resolve(self, tok: Token) -> list[str]:
        pron = tok.lower_
        on = self.idx.ids_in(tok.idx, tok.idx + len(tok))
        if on:
            return on[:1]
        rep = _reporter_subject(tok.head if tok.head is not tok else tok)
        if tok.head is not tok and tok.head.dep_ not in ("ccomp", "xcomp", "conj", "acomp",
                                                         "advcl"):
            rep = None
        if rep is not None:
            fits = [f for e in _actors_of(rep, self.idx) if (f := self._fit(pron, e))]
            if fits:
                return fits
        st = _innermost(self.statements, tok.idx, tok.idx + len(tok))
        if st is not None and pron not in ("it", "its"):
            fits = [f for e in st.speakers if (f := self._fit(pron, e))]
            if fits:
                return fits
        sent = tok.sent
        floor = sent.start_char
        if sent.start > 0:
            floor = tok.doc[sent.start - 1].sent.start_char
        for c in range(tok.idx - 1, floor - 1, -1):
            eid = self.idx.by_char.get(c)
            if eid is not None and (f := self._fit(pron, eid)):
                return [f]
        return []

    def who(self, tok: Token | None, strict: bool = False) -> list[str]:
        if tok is None:
            return []
        if tok.lower_ in PRONOUNS or tok.pos_ == "PRON":
            if tok.lower_ in RELATIVE:
                return []
            return self.resolve(tok)
        return _actors_of(tok, self.idx, strict)


def _weapon_of_figure(fig: Figure) -> str | None:
    if fig.counted is None:
        return None
    word = fig.counted.text.split()[-1].lower() if fig.counted.text.split() else ""
    for w in (word, word[:-1] if word.endswith("s") else word):
        if w in WEAPONS:
            return w
    return None


def _participants(trig: Trigger, res: Resolver) -> tuple[Token | None, list[str], list[str]]:
    """The trigger's subject, and its actors and recipients as entity ids."""
    verb = trig.head
    if trig.bare:
        subj, passive = _bare_subject(trig.word)
    else:
        subj, passive = _subject(verb)
        if subj is None:
            subj = _reporter_subject(verb)  # "said it is possible to agree": the speaker
    skip: set[int] = {trig.word.i}
    if subj is not None:
        skip.add(subj.i)
    if passive:
        actors = res.who(_agent(verb))
        recipients = res.who(subj, True)
    else:
        actors = res.who(subj)
        recipients = []
    _add_recipients(recipients, _recipient_heads(trig, skip), res)
    framed = verb.lemma_.lower() in FRAME_VERBS
    if not recipients and (framed or trig.type in PURPOSE_AIMED):
        # "threatened to break relations with Russia", "staged demonstrations to demand
        # reforms by Suharto's government": the objects of the act framed or aimed at
        for c in verb.children:
            if c.dep_ in ("xcomp", "advcl") and (framed or _aim(c)):
                _add_recipients(recipients, _objects(c, skip), res)
    recipients = [r for r in recipients if r not in actors]
    return subj, actors, recipients


def _add_recipients(recipients: list[str], heads: list[Token], res: Resolver) -> None:
    """The entities ``heads`` name, added to ``recipients`` once each, in order."""
    for head in heads:
        recipients.extend(r for r in res.who(head, True) if r not in recipients)


def _bare_subject(noun: Token) -> tuple[Token | None, bool]:
    """Who met, for a meeting noun with no verb of its own: "a meeting of the coalition",
    "Macron's meeting with"; else the subject of the clause the meeting is part of (and
    whether it is passive)."""
    subj = None
    for c in noun.children:
        if c.dep_ == "poss":
            subj = c
        elif c.dep_ == "prep" and c.lower_ == "of":
            subj = next((g for g in c.children if g.dep_ == "pobj"), subj)
    if subj is None and noun.head.head is not noun.head:
        return _subject(noun.head.head)
    return subj, False


def _recipient_heads(trig: Trigger, skip: set[int]) -> list[Token]:
    """The heads of the recipient phrases: the objects of the verb, of a noun trigger and of
    its phone words; failing those, the party asked or allowed."""
    verb = trig.head
    if trig.type == "MOBILIZE":  # "deploy troops": the forces are not recipients
        skip = skip | {c.i for c in verb.children if c.dep_ == "dobj"}
    objs = _objects(verb, skip) if not trig.bare else []
    if trig.noun:
        objs += _objects(trig.word, skip)
    for tok in trig.extra:  # "spoke by phone with X"
        objs += _objects(tok, skip)
    if not objs and (trig.absorbed is not None or trig.type in CLAUSE_ADDRESSED):
        objs = _clause_subjects(trig, skip)  # "demanded that the US cancel": asked of the US
    return [o for o in objs if o.i != trig.word.i]


def _coded(
    trig: Trigger, subj: Token | None, actors: list[str], recipients: list[str], res: Resolver
) -> tuple[str, str | None, EventStatus, list[str], list[str]]:
    """Type, mode and status as CAMEO codes them (requests in reported speech, refusals,
    threats, promises), and the actors and recipients that coding implies."""
    verb = trig.head
    frame = _framed(verb)
    status = _status(trig)
    kind, mode = trig.type, trig.mode
    if trig.absorbed is not None:
        mode = trig.absorbed.type.lower()
    frame_lemma = frame.lemma_.lower() if frame is not None else ""
    modals = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    reporter = _reporter_subject(verb) if verb.dep_ == "ccomp" else None
    conditional = any(
        c.dep_ == "advcl" and any(m.lower_ == "unless" for m in c.children if m.dep_ == "mark")
        for c in verb.children
    )
    against = any(c.dep_ == "prep" and c.lower_ == "against" for c in verb.children)
    if (
        modals & REQUEST_MODALS
        and reporter is not None
        and subj is not None
        and subj.i != reporter.i
    ):
        # "X said Y must return the helicopter": X asks it of Y.
        recipients = actors  # the party asked; the act's own objects are not recipients
        actors = res.who(reporter)
        mode = None if trig.type == "REQUEST" else trig.type.lower()
        kind, status = "REQUEST", "asserted"
    elif status == "negated" and kind in FRIENDLY:
        kind, mode = "REJECT", trig.type.lower()  # "will not accept", "refused to meet"
    elif frame_lemma in ("threaten", "warn") and kind != "THREATEN":
        kind, mode = "THREATEN", trig.type.lower()  # "threatened to deliver blows"
    elif kind == "MOBILIZE" and frame_lemma in PROMISE_FRAMES and not against:
        # "pledged to deploy troops" for an ally: a promise, not a threat
        kind, mode = "AGREE", trig.type.lower()
    elif conditional or (status in ("future", "hypothetical") and kind in HOSTILE):
        kind, mode = "THREATEN", trig.type.lower()
    elif (
        kind in FRIENDLY
        and kind != "AGREE"
        and (frame_lemma in PROMISE_FRAMES or status == "future")
    ):
        # As CAMEO codes it: a cooperative act promised or announced for the future
        # is an expression of intent (AGREE).
        kind, mode = "AGREE", trig.type.lower()
    return kind, mode, status, actors, recipients


def _trigger_span(trig: Trigger) -> tuple[int, int]:
    """Characters of the trigger: with its light verb and a frame just before it."""
    verb = trig.head
    frame = _framed(verb)
    t_start, t_end = trig.word.idx, trig.end.idx + len(trig.end)
    if trig.noun:
        t_start = min(t_start, verb.idx)
        t_end = max(t_end, verb.idx + len(verb))
    if frame is not None and 0 < trig.word.i - frame.i <= 3:
        t_start = frame.idx  # "pledged to deploy"
    return t_start, t_end


def _date(
    dates: list[DateMention], published: str | None, s_start: int, s_end: int, t_start: int
) -> tuple[str | None, DateBasis | None]:
    """The nearest date mention in the sentence, else the publication date."""
    in_sent = [d for d in dates if s_start <= d.span.start < s_end and d.value]
    date = min(in_sent, key=lambda d: abs(d.span.start - t_start)).value if in_sent else None
    date_basis: DateBasis | None = "text" if date else None
    if date is None and published:
        date, date_basis = published[:10], "published"
    return date, date_basis


def _location(trig: Trigger, idx: EntityIndex, places: set[str]) -> str | None:
    """A place in an "in/near/at" phrase of the trigger or its object."""
    verb = trig.head
    holders = [verb, trig.word, *[c for c in verb.children if c.dep_ == "dobj"]]
    if trig.noun:
        holders += [g for c in trig.word.children if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children if g.dep_ == "pobj"]
    for holder in holders:
        for child in holder.children:
            if child.dep_ == "prep" and child.lower_ in LOCATION_PREPS:
                sub = child.right_edge
                for eid in idx.ids_in(child.idx, sub.idx + len(sub)):
                    if eid in places:
                        return eid
    return None


def _size(trig: Trigger, figures: list[Figure], text: str) -> tuple[list[Figure], dict[str, float]]:
    """The figures inside the trigger's clause, and sizes by what they count."""
    verb = trig.head
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
        if key is None and trig.weapon is not None and _weapon_of_figure(f):
            key = "fired"  # "fired 112 drones"
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
    return figs, size


def find_events(
    doc: Doc,
    text: str,
    entities: list[Entity],
    statements: list[Statement],
    dates: list[DateMention],
    figures: list[Figure],
    published: str | None = None,
    model: EventModel | None = None,
) -> tuple[list[Event], list[Entity]]:
    """The events of the document, and the group entities made for their actors
    (to be appended to the document's entities). With ``model``, the learned classifier
    adds (or, alone, finds) the triggers; without, the rules alone."""
    idx = EntityIndex(text, entities)
    ctx = _Context(text, idx, Resolver(idx, entities, statements),
                   {e.id for e in entities if e.type in ("GPE", "LOC")},
                   statements, dates, figures, published)
    events: list[Event] = []
    weapons: dict[str, tuple[str, int]] = {}  # event id -> (weapon lemma, sentence start)
    for trig in find_triggers(doc) if model is None else model.triggers(doc):
        event = _event(trig, ctx, f"V{len(events) + 1}")
        if trig.weapon is not None:
            weapons[event.id] = (trig.weapon, trig.head.sent.start)
        events.append(event)
    _intercepted(doc, events, weapons, figures)
    return events, idx.added


@dataclass
class _Context:
    """What every event of a document is read against: its text, entities and mentions."""

    text: str
    idx: EntityIndex
    res: Resolver
    places: set[str]
    statements: list[Statement]
    dates: list[DateMention]
    figures: list[Figure]
    published: str | None


def _event(trig: Trigger, ctx: _Context, eid: str) -> Event:
    """The event of one trigger: who did what to whom, when, where, how many."""
    subj, actors, recipients = _participants(trig, ctx.res)
    kind, mode, status, actors, recipients = _coded(trig, subj, actors, recipients, ctx.res)
    t_start, t_end = _trigger_span(trig)
    sent = trig.head.sent
    date, date_basis = _date(ctx.dates, ctx.published, sent.start_char, sent.end_char, t_start)
    location = _location(trig, ctx.idx, ctx.places)
    if not recipients and location and (
        kind not in ("CONSULT", "AGREE", "COOPERATE") or mode == "mobilize"
    ):
        recipients = [location]  # "rioted in Israel", "fired drones across Ukraine"
    figs, size = _size(trig, ctx.figures, ctx.text)
    st = _innermost(ctx.statements, t_start, t_end)
    return Event(
        id=eid,
        type=kind,
        mode=mode,
        trigger=RecSpan.of(ctx.text, t_start, t_end),
        actors=actors,
        recipients=recipients,
        date=date,
        date_basis=date_basis,
        location=location,
        status=status,
        size=size,
        figures=[f.id for f in figs],
        statement=st.id if st else None,
    )


def _intercepted(
    doc: Doc, events: list[Event], weapons: dict[str, tuple[str, int]], figures: list[Figure]
) -> None:
    """"Air defences intercepted or jammed 84 drones": the count joins the size of the
    attack with the same weapon in the same or one of the two sentences before."""
    if not weapons:
        return
    sents = [s.start for s in doc.sents]
    by_id = {e.id: e for e in events}
    verbs = np.flatnonzero(_Lemmas(doc).where((VERB,), INTERCEPT_LEMMAS, spaced=True))
    for i in verbs.tolist():
        tok = doc[i]
        lemma = tok.lemma_.lower()
        ph = _phrasal(tok)
        phrasal = f"{lemma} {ph[1].lower_}" if ph else ""
        if tok.pos_ != "VERB" or not (
            lemma in INTERCEPT_VERBS or phrasal.replace(" ", "_") in INTERCEPT_VERBS
            or (lemma == "shoot" and any(c.lower_ == "down" for c in tok.children))
        ):
            continue
        start = tok.idx
        end = tok.right_edge.idx + len(tok.right_edge)
        here = next(i for i, s in reversed(list(enumerate(sents))) if s <= tok.sent.start)
        for f in figures:
            weapon = _weapon_of_figure(f)
            if weapon is None or not (start <= f.span.start < end) or f.value is None:
                continue
            for eid, (w, s_start) in sorted(weapons.items(), key=lambda kv: -kv[1][1]):
                where = next(i for i, s in reversed(list(enumerate(sents))) if s <= s_start)
                if w == weapon and 0 <= here - where <= 2 and s_start <= tok.sent.start:
                    ev = by_id[eid]
                    ev.size.setdefault("intercepted", f.value)
                    if f.id not in ev.figures:
                        ev.figures.append(f.id)
                    break
