"""Closed word classes the rules rely on: reporting verbs, honorifics, body nouns.

These are words of English, not names of people: resolution never depends on a
list of who is who.
"""

from __future__ import annotations

# Verbs that report speech or a stated position and take a clause as content.
SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "add",
        "state",
        "announce",
        "stress",
        "emphasise",
        "emphasize",
        "insist",
        "warn",
        "suggest",
        "claim",
        "argue",
        "note",
        "explain",
        "assert",
        "declare",
        "report",
        "reveal",
        "confirm",
        "deny",
        "admit",
        "acknowledge",
        "concede",
        "predict",
        "promise",
        "vow",
        "write",
        "tweet",
        "post",
        "reply",
        "respond",
        "ask",
        "urge",
        "recall",
        "point",
        "remark",
        "comment",
        "observe",
        "mention",
        "testify",
        "conclude",
        "complain",
        "boast",
        "recount",
        "allege",
        "maintain",
        "contend",
        "indicate",
        "signal",
        "agree",
        "disclose",
        "caution",
        "counter",
        "reiterate",
        "repeat",
        "underline",
        "underscore",
        "affirm",
        "estimate",
        "announce",
        "brag",
        "charge",
        "concur",
        "continue",
        "demand",
        "disclose",
        "dispute",
        "emphasize",
        "inform",
        "instruct",
        "joke",
        "lament",
        "object",
        "order",
        "predict",
        "proclaim",
        "propose",
        "protest",
        "question",
        "reassure",
        "recommend",
        "reckon",
        "reason",
        "remind",
        "retort",
        "speculate",
        "swear",
        "testify",
        "threaten",
        "grumble",
        "muse",
        "quip",
        "scoff",
        "learn",
        "show",
        "find",
        "call",
        "point",
    ]
)

# Verbs of belief: reported as statements at the top level, but not when they sit
# inside someone else's reported words ("he said he believed ...").
COGNITION_VERBS = frozenset(
    ["believe", "think", "hope", "feel", "fear", "expect", "know", "doubt", "want", "wish"]
)

# Nouns that report what someone said or holds, with the content as a "that" clause
# ("Trump's claim that …", "her warning that …").
SPEECH_NOUNS = frozenset(
    """claim statement argument assertion suggestion warning promise accusation allegation
    insistence belief view remark comment announcement pledge vow charge contention
    prediction admission denial assurance hope fear concern complaint""".split()
)

# Verbs of stance whose object phrase is the position attributed ("accused X of Y",
# "described the plan as reckless", "endorsed Smith for mayor", "called him a liar").
STANCE_VERBS = frozenset(
    """accuse criticize criticise describe endorse support oppose praise defend blame attack
    question condemn slam blast dismiss reject mock label brand dub characterize
    characterise credit thank applaud welcome back call urge ask tell refuse decide
    decline demand""".split()
)


# Reporting verbs whose direct object can itself be the content
# ("Trump emphasised the need to ...", "announced a ceasefire").
OBJECT_CONTENT_VERBS = frozenset(
    [
        "emphasise",
        "emphasize",
        "stress",
        "announce",
        "confirm",
        "deny",
        "reject",
        "urge",
        "propose",
        "demand",
        "acknowledge",
        "reveal",
        "predict",
        "promise",
        "insist",
        "reiterate",
        "underline",
        "underscore",
    ]
)

# Verbs of intention whose to-infinitive is the stated position ("wants to triple …").
INTENTION_VERBS = frozenset(
    """want plan hope promise vow pledge decline refuse seek intend threaten agree offer
    aim expect propose""".split()
)

# Verb + preposition cues whose prepositional object is the content ("called for").
PHRASAL_CUES = {
    "call": {"for", "on"},
    "point": {"to", "out"},
    "refer": {"to"},
    "talk": {"about", "of"},
    "speak": {"about", "of", "against"},
    "ask": {"about"},
    "vote": {"for", "against"},
    "advocate": {"for"},
    "respond": {"to"},
    "agree": {"with"},
    "complain": {"about", "of"},
    "warn": {"about", "against"},
    "argue": {"for", "against"},
    "campaign": {"for", "against"},
    "push": {"for"},
    "write": {"about", "of"},
    "worry": {"about"},
    "comment": {"on"},
    "boast": {"about", "of"},
    "joke": {"about"},
    "rail": {"against"},
    "wonder": {"about"},
    "testify": {"about"},
}

# Verbs whose subject is what is judged, not who judges ("he seems to think", "it appears").
RAISING_VERBS = frozenset(["seem", "appear"])
REPORTING_VERBS = SPEECH_VERBS | COGNITION_VERBS | STANCE_VERBS | frozenset(PHRASAL_CUES)

HONORIFICS = frozenset(
    [
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "mx",
        "dr",
        "dr.",
        "sir",
        "dame",
        "lord",
        "lady",
        "prof",
        "prof.",
        "rev",
        "rev.",
    ]
)
MALE_HONORIFICS = frozenset(["mr", "mr.", "sir", "lord"])
FEMALE_HONORIFICS = frozenset(["mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady"])

# Role words that can stand in front of a name ("Headteacher Rosa Diaz", "Senator X");
# when the tagger folds one into a person's name it is moved to the titles.
ROLE_WORDS = frozenset(
    """president minister chancellor senator governor mayor judge general colonel captain
    secretary ambassador envoy spokesman spokeswoman spokesperson chairman chairwoman chair
    director chief commissioner coach headteacher professor inspector sergeant officer
    premier king queen prince princess pope bishop archbishop cardinal rabbi imam sheikh
    representative rep congressman congresswoman councillor councilor deputy leader
    speaker justice attorney detective constable superintendent admiral marshal lieutenant
    major commander president-elect candidate""".split()
)

# Head nouns that make a noun phrase an organisation or body ("the German government").
BODY_NOUNS = frozenset(
    [
        "government",
        "ministry",
        "office",
        "administration",
        "department",
        "agency",
        "army",
        "military",
        "navy",
        "police",
        "council",
        "committee",
        "commission",
        "parliament",
        "congress",
        "senate",
        "court",
        "campaign",
        "party",
        "force",
        "forces",
        "service",
        "services",
        "embassy",
        "presidency",
        "kremlin",
        "cabinet",
        "team",
        "union",
        "authority",
        "authorities",
        "bureau",
        "spokesperson",
        "command",
        "company",
        "firm",
        "organization",
        "organisation",
        "network",
    ]
)

# Source nouns that name a text or a finding rather than a person ("the study found");
# with the document nouns, the definite descriptions that are never a person in the story.
FINDING_NOUNS = frozenset(
    """study survey poll data story book article video ad analysis research figures numbers
    results evidence record records audit review investigation website site page""".split()
)

# Nouns naming what a body issues: "the statement said" speaks for its issuer.
DOCUMENT_NOUNS = frozenset(
    [
        "statement",
        "report",
        "release",
        "communique",
        "communiqué",
        "announcement",
        "letter",
        "memo",
        "note",
        "post",
        "tweet",
        "filing",
        "document",
        "readout",
        "bulletin",
        "update",
    ]
)

# Words that make a title a spokesperson's, whose body is the rest of the title.
SPOKESPERSON_NOUNS = frozenset(["spokesman", "spokeswoman", "spokesperson", "representative"])

PERSONAL_PRONOUNS = {
    "he": "male",
    "him": "male",
    "she": "female",
    "her": "female",
    "i": None,
    "we": "plural",
    "they": "plural",
    "it": "neuter",
}
RELATIVE_PRONOUNS = frozenset(["who", "which", "that", "whom"])

# Words that qualify a title without naming anyone ("Retired General", "former minister").
TITLE_MODIFIERS = frozenset(
    "retired former acting deputy vice senior chief top interim incoming outgoing late "
    "assistant associate executive".split()
)

# Abbreviated titles read as the role they stand for ("Sen. Ted Cruz" is a senator), and roles
# the news names with either word ("Supreme Court Justice Frank Nervo" is "the judge").
ROLE_ABBREVIATIONS = {
    "sen": "senator", "gov": "governor", "rep": "representative", "gen": "general",
    "col": "colonel", "lt": "lieutenant", "sgt": "sergeant", "pres": "president",
    "supt": "superintendent", "insp": "inspector", "amb": "ambassador", "adm": "admiral",
    "capt": "captain", "cmdr": "commander", "justice": "judge",
}

# Words before a noun phrase that are no part of a name or title.
DETERMINERS = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "both", "some", "another"]
)

# Last words of organisation names: "Dick Clark Productions" is a company, whoever it is
# named after, and "Davis Cup" a tournament.
ORG_NAME_ENDINGS = frozenset(
    """productions records studios studio entertainment media group inc corp corporation co
    llc ltd plc holdings partners capital bank foundation institute university college school
    association society club league cup network news times post press airlines airways motors
    industries technologies systems brands company enterprises ventures fund trust agency
    council committee commission party union""".split()
)
