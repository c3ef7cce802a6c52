"""What no public data set covers: comments on an English school's page, in the words parents and carers use.

Each rule is a pattern, a score and a reason a moderator can read. The scores are set against SafeSocial's usual
thresholds (thresholds.DEFAULT_THRESHOLDS): a rule meant to act on its own scores at or above its category's
threshold, a rule that is only a hint scores below it and counts when another hint agrees (scores combine as
"any of them is right": 1 - (1 - a)(1 - b)).

Each rule also names trigger words; a rule runs only if one of them is in the lower-cased comment. That keeps the
whole rule set to tens of microseconds on a typical comment, because most rules never run. A trigger must be a
substring of every text the pattern can match.

The lists are tuned to catch what a school must not miss (a disclosure, a threat, a phone number) at the price of
some false alarms for a person to clear. British praise is not abuse: "killing it", "smashed it", "bloody freezing
at sports day", "sick!" are taken out before the model reads the comment (PRAISE), and no threat pattern matches
them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE


@dataclass(frozen=True)
class Rule:
    category: str
    score: float
    reason: str
    pattern: re.Pattern[str]
    triggers: tuple[str, ...]  # the pattern is only tried when one of these is in the lower-cased comment


def rule(category: str, score: float, reason: str, pattern: str, triggers: str) -> Rule:
    """`triggers` are separated by spaces, or by "|" when some of them hold a space ("like my|left him")."""
    words = tuple(t for t in triggers.split("|" if "|" in triggers else None) if t)
    return Rule(category, score, reason, re.compile(pattern, _I), words)


# Words that point at a child, used inside several patterns.
CHILD = (
    r"(?:my|our|his|her|their|your|a|the|this|that|one|another)\s+(?:little\s+|eldest\s+|youngest\s+|oldest\s+)?"
    r"(?:son|daughter|child|children|kids?|boy|girl|lad|little\s+one|grandson|granddaughter|niece|nephew|"
    r"step-?son|step-?daughter|pupil|student|year\s*\d+)"
)
ADULT_AT_HOME = (
    r"(?:(?:my|his|her|their|the|your)\s+)?(?:dad|father|mum|mother|step-?dad|step-?father|step-?mum|step-?mother|"
    r"(?:mum|mother)['\u2019]?s\s+(?:boyfriend|partner)|(?:dad|father)['\u2019]?s\s+(?:girlfriend|partner)|partner|boyfriend|"
    r"girlfriend|husband|wife|uncle|grandad|grandfather|brother|parents?|carer)"
)
PRONOUN = r"(?:he|she|they|him|her|them)"

# ---------------------------------------------------------------------------------------------------------------------
# British praise: neutralised before the model reads the comment, and never a threat or abuse.
# ---------------------------------------------------------------------------------------------------------------------

PRAISE = re.compile(
    r"\b(?:(?:absolutely|totally|properly|proper|well|really|just|completely|so)\s+)?"
    r"(?:killing|killed|kill|smashing|smashed|smash|nailing|nailed|nail|slaying|slayed|slay|bossing|bossed|boss|"
    r"owning|owned|own|rocking|rocked|rock|acing|aced|ace|crushing|crushed|crush|murdering|murdered|destroying|"
    r"destroyed)\s+it\b|"
    r"\bbloody\s+(?:freezing|cold|boiling|roasting|hot|baking|brilliant|amazing|fantastic|marvellous|wonderful|good|"
    r"great|proud|lovely|well\s+done|fab|fabulous|superb|awesome|gorgeous|beautiful|talented|legends?|stars?|"
    r"heroes|hero|hell|nora|wet|windy|muddy|knackered|exhausted|tired)\b|"
    r"\b(?:that['\u2019]?s|that\s+is|looks?|looking|so|well|proper|dead|absolutely|pure)\s+(?:sick|wicked|mint|lush|"
    r"mental|mad|insane|class|quality|banging|ace)\b|\bsick\s*!|\bwicked\s*!|"
    r"\bthe\s+dog['\u2019]?s\s+bollocks\b|\bbang\s+tidy\b|\bchuffed\s+to\s+bits\b|"
    r"\b(?:absolute|total|proper|little|real|utter)\s+(?:legends?|superstars?|stars?|heroes|hero|beasts?|machines?)\b|"
    r"\bbeast\s+mode\b|\bbeasted\s+it\b|\bon\s+fire\b|\bkilled\s+the\s+(?:game|show|performance)\b",
    _I,
)

PRAISE_GATE = re.compile(
    "kill|smash|nail|slay|boss|own it|owned it|owning it|rock|aced it|acing it|ace it|crush|murder|destroy|bloody|sick|"
    "wicked|mint|lush|mental|mad|insane|class|quality|banging|ace|bollocks|tidy|chuffed|legend|star|hero|beast|"
    "machine|on fire"
)

# ---------------------------------------------------------------------------------------------------------------------
# The rules, category by category.
# ---------------------------------------------------------------------------------------------------------------------

THREAT_RULE = "Threats against anyone are escalated: the policy asks the school to act on them, not only hide them."
THREAT_RULES = [
    rule(
        "threat",
        0.9,
        "This reads as a threat of violence (“{match}”). " + THREAT_RULE,
        r"\b(?:i['\u2019]?ll|i\s+will|i\s+am\s+going\s+to|i['\u2019]?m\s+going\s+to|i['\u2019]?m\s+gonna|im\s+gonna|gonna|going\s+to|"
        r"we['\u2019]?ll|we\s+will|someone\s+(?:should|needs\s+to|ought\s+to|will|is\s+going\s+to)|somebody\s+(?:should|"
        r"needs\s+to|will))\s+(?:\w+\s+){0,2}?(?:kill|hurt|stab|shoot|batter|punch|slap|knock\s+out|beat\s+up|burn|"
        r"strangle|murder|smash|deck|lamp|glass|knife|thump|wallop|twat|bottle|torch|bomb)\s+(?:\w+\s+)?"
        r"(?:you|u|ya|him|her|them|that|the\s+(?:head|teacher|headteacher|school|place|woman|man|kid|boy|girl|lot|"
        r"person|one|dad|mum|parent)|mr|mrs|miss|ms|sir|your|his|their|whoever|anyone|anybody|every(?:one|body))\b|"
        r"\b(?:i['\u2019]?ll|i\s+will|i['\u2019]?m\s+(?:going\s+to|gonna)|gonna|we['\u2019]?ll)\s+(?:\w+\s+)?(?:knock|beat|"
        r"kick|lay|take|sort)\s+(?:you|him|her|them|that\s+\w+)\s+(?:out|up|in|down|outside)\b",
        "kill hurt stab shoot batter punch slap knock beat burn strangle murder smash deck lamp glass knife thump "
        "wallop twat bottle torch bomb kick lay take sort",
    ),
    rule(
        "threat",
        0.85,
        "This reads as a threat of violence (“{match}”). " + THREAT_RULE,
        r"\b(?:kill|stab|shoot|strangle|murder)\s+(?:you|u|ya|him|her|them)\b(?!\s+(?:with\s+kindness|off))|"
        r"\b(?:smash|kick|punch)\s+(?:your|his|her|their)\s+(?:face|head|teeth)\s*(?:in)?\b|"
        r"\bbreak\s+(?:your|his|her|their)\s+(?:legs?|arms?|neck|nose|jaw|face)\b|"
        r"\bput\s+(?:you|him|her|them)\s+in\s+(?:hospital|the\s+ground|a\s+box)\b",
        "kill stab shoot strangle murder smash kick punch break put",
    ),
    rule(
        "threat",
        0.85,
        "This reads as a threat (“{match}”). " + THREAT_RULE,
        r"\bi\s+know\s+(?:where|what\s+car|which\s+car|what\s+time|which\s+house)\s+(?:you|he|she|they|the\s+\w+)\s+"
        r"(?:lives?|drives?|parks?|leaves?|goes|finish(?:es)?)\b|\b(?:better|had\s+better|best)\s+watch\s+(?:himself|herself|"
        r"themselves|yourself|your\s+back|out)\b|\b(?:get|be)\s+(?:seriously\s+|badly\s+|really\s+)?hurt\b[^.!?\n]{0,30}?"
        r"\b(?:it['\u2019]?ll|it\s+will|it['\u2019]?s\s+going\s+to)\s+be\s+(?:you|him|her|them|that|the)\b|\bwatch\s+(?:your|his|her|their)\s+back\b|"
        r"\byou['\u2019]?(?:re|r)?\s+(?:a\s+)?dead\s+(?:man|woman|meat)\b|\byou['\u2019]?ll\s+(?:pay\s+for\s+(?:this|it)|"
        r"regret\s+(?:this|it)|be\s+sorry)\b|\b(?:get|gets|getting)\s+what['\u2019]?s\s+coming\b|"
        r"\bwait\s+(?:till|until|til)\s+i\s+(?:get|see|catch|find)\s+(?:you|him|her|them|that|the)\b|"
        r"\b(?:i['\u2019]?ll|i\s+will|we['\u2019]?ll|i['\u2019]?m|we['\u2019]?re)\s+(?:be\s+)?waiting\s+(?:for\s+(?:you|him|her|them|that|"
        r"the\s+\w+)|outside)\b|\byou['\u2019]?ve\s+been\s+warned\b|\bi['\u2019]?ll\s+(?:have|get)\s+you\b(?!\s+(?:a|an|some|"
        r"one|the))|\b(?:sort|deal\s+with)\s+(?:you|him|her|them|that\s+teacher)\s+(?:out\s+)?(?:myself|properly)\b|"
        r"\bcome\s+(?:round|down|up)\s+(?:to\s+)?(?:the\s+school|your\s+house|his\s+house|her\s+house)\s+and\b",
        "know watch dead regret pay sorry coming wait waiting warned have get sort deal come hurt",
    ),
    rule(
        "threat",
        0.95,
        "This reads as a threat against the school (“{match}”). " + THREAT_RULE,
        r"\b(?:burn|blow\s+up|bomb|shoot\s+up|torch)\s+(?:the|this|that|your)\s+(?:school|place|building|academy)"
        r"(?:\s+down)?\b|\bbring(?:ing)?\s+a\s+(?:knife|gun|weapon|blade|machete)\b|\b(?:shoot|shooting)\s+up\b",
        "burn blow bomb shoot torch knife gun weapon blade machete",
    ),
    rule(
        "threat",
        0.7,
        "This wishes harm on someone (“{match}”). " + THREAT_RULE,
        r"\b(?:hope|hoping|wish)\s+(?:you|he|she|they|someone|somebody)\s+(?:\w+\s+)?(?:die|dies|get\s+hurt|gets\s+hurt|"
        r"gets?\s+run\s+over|gets?\s+hit|burns?|rots?|gets?\s+cancer|gets?\s+what)\b|"
        r"\b(?:deserves?|ought)\s+to\s+(?:die|be\s+shot|be\s+hurt|get\s+hurt|be\s+beaten|be\s+hanged|suffer)\b|"
        r"\bshould\s+be\s+(?:shot|hanged|hung|strung\s+up|lynched|put\s+down|beaten|stabbed)\b|"
        r"\bstring\s+(?:him|her|them)\s+up\b|\bgo\s+(?:and\s+)?die\b|\bkys\b",
        "hope hoping wish deserve ought should string die kys",
    ),
    rule(
        "threat",
        0.45,
        "This may be a threat or a figure of speech (“{match}”): a person should judge.",
        r"\b(?:could|would|will|i['\u2019]?ll|i\s+will)\s+(?:actually\s+|literally\s+)?(?:kill|murder|strangle|throttle)\s+"
        r"(?:him|her|them|someone|somebody)\b",
        "kill murder strangle throttle",
    ),
]

HATE_RULE = "The policy removes racist, sexist, homophobic, transphobic, religious and disability hate."
GROUPS = (
    r"(?:immigrants?|migrants?|foreigners?|refugees?|asylum\s+seekers?|muslims?|jews|jewish\s+people|hindus|sikhs|"
    r"christians|blacks|black\s+people|asians|pakistanis|indians|africans|romanians|poles|polish\s+people|eastern\s+"
    r"europeans|travellers|gypsies|roma|gays|gay\s+people|lesbians|trans\s+people|trans\s+women|trans\s+kids|"
    r"trannies|homosexuals|women|girls|disabled\s+people|autistic\s+people|send\s+kids|special\s+needs\s+kids|"
    r"(?:polish|romanian|albanian|pakistani|indian|bangladeshi|african|nigerian|somali|asian|chinese|black|brown|muslim|"
    r"jewish|gay|trans|foreign|immigrant|migrant|refugee|eastern\s+european|gypsy|traveller|roma|syrian|afghan|"
    r"kurdish|turkish|arab)\s+(?:people|kids|children|families|parents|pupils|lot|lads|girls|boys|men|women))"
)
HATE_RULES = [
    rule(
        "hate",
        0.85,
        "This attacks people for who they are (“{match}”). " + HATE_RULE,
        r"\bgo\s+back\s+to\s+(?:your|their|his|her)\s+(?:own\s+)?(?:country|countries)\b|\bgo\s+back\s+(?:to\s+)?where\s+"
        r"(?:you|they|he|she)\s+(?:came|come)\s+from\b|\bsend\s+(?:them|em)\s+"
        r"(?:all\s+)?(?:back|home)\b|"
        rf"\b{GROUPS}\s+(?:are|r|is)\s+(?:all\s+)?(?:just\s+)?(?:scum|vermin|animals|parasites|disgusting|a\s+disease|a\s+"
        r"plague|rapists|terrorists|paedos|pedos|groomers|subhuman|filth|evil|mentally\s+ill|an\s+abomination|"
        r"not\s+welcome|ruining|taking\s+over|invading|dragging\s+(?:\w+\s+){0,3}down|dragging\s+down|bringing\s+"
        r"(?:\w+\s+){0,3}down|everywhere\s+now)\b|"
        rf"\b(?:no\s+more|get\s+rid\s+of\s+(?:the|all)|ban\s+(?:all\s+)?the|keep\s+(?:the\s+)?)\s*{GROUPS}\b"
        r"(?:\s+out)?",
        "back send scum vermin animals parasites disgusting disease plague rapists terrorists paedos pedos groomers "
        "subhuman filth evil ill abomination welcome ruining taking invading more rid ban keep dragging bringing "
        "everywhere",
    ),
    rule(
        "hate",
        0.75,
        "This says people should be kept out because of who they are (“{match}”). " + HATE_RULE,
        r"\b(?:gay|lesbian|trans|transgender|muslim|jewish|black|asian|foreign|disabled|female|woman|women|male|man|"
        r"men)\s+(?:teachers?|staff|people|kids|children|pupils|parents|heads?|governors?)\s+(?:shouldn['\u2019]?t|should\s+"
        r"not|should\s+never|don['\u2019]?t\s+belong|do\s+not\s+belong|have\s+no\s+place|are\s+not\s+fit|aren['\u2019]?t\s+fit)\b"
        r"|\b(?:women|girls)\s+(?:belong|should\s+stay)\s+in\s+the\s+kitchen\b|"
        r"\b(?:send|sen|special\s+needs|disabled|autistic|adhd)\s+(?:kids|children|pupils)\s+(?:shouldn['\u2019]?t|should\s+"
        r"not|don['\u2019]?t\s+belong|ruin|drag|hold\s+back|should\s+be\s+(?:kept|sent|put))\b",
        "should belong place fit kitchen ruin drag hold",
    ),
    rule(
        "hate",
        0.5,
        "This may be hostile to LGBT+ people or another group (“{match}”): a person should judge. " + HATE_RULE,
        r"\b(?:gay|lgbt\w*|trans|woke|pride)\s+(?:agenda|propaganda|brainwashing|indoctrination|nonsense|rubbish|"
        r"ideology|lobby|cult)\b|\b(?:pushing|shoving|forcing|ramming)\s+(?:the\s+)?(?:gay|lgbt\w*|trans|pride|"
        r"homosexuality|gender\s+ideology)\b",
        "agenda propaganda brainwashing indoctrination nonsense rubbish ideology lobby cult pushing shoving forcing "
        "ramming",
    ),
]

# Gendered slurs are sexist as well as abusive. In the Reddit misogyny training split, 195 of the 570 misogynistic
# posts use one of these words and only 15 of the 4,684 others do; the tweets of the other data sets call them
# "offensive", so the model alone does not see the sexism. "hoe" alone is the garden tool.
HATE_RULES.append(
    rule(
        "hate",
        0.65,
        "This uses a gendered slur (“{match}”), which is sexist as well as abusive. " + HATE_RULE,
        r"\b(?:bitch(?:es|y|ing)?|sluts?|slutty|whores?|whoring|slags?|slappers?|skanks?|skanky|hoes|thots?|"
        r"feminazis?|femoids?|foids?|roasties?)\b",
        "bitch slut whor slag slapper skank hoes thot feminazi femoid foid roastie",
    )
)

ABUSE_RULE = "The policy removes abusive comments, whoever they are about."
ABUSE_RULES = [
    rule(
        "abuse",
        0.8,
        "This insults someone (“{match}”). " + ABUSE_RULE,
        r"\b(?:(?:you['\u2019]?re|you\s+are|ur|u\s+r|she['\u2019]?s|she\s+is|he['\u2019]?s|he\s+is|they['\u2019]?re|they\s+are|"
        r"what\s+an?|(?-i:(?:Mr|Mrs|Miss|Ms|Sir)\.?\s+[A-Z][a-zA-Z'\u2019-]+)\s+is|(?:the\s+)?(?:head|teacher|headteacher|"
        r"receptionist)\s+is)\s+(?:such\s+)?(?:an?\s+)?(?:(?:absolute|complete|total|utter|stupid|fat|ugly|old|silly|"
        r"jumped[- ]up|useless|vile|nasty|thick|lazy)\s+)*|(?:stupid|silly|fat|ugly|useless|vile|nasty|thick|lazy|"
        r"absolute|complete|total|utter)\s+(?:old\s+)?)"
        r"(?:idiot|moron|clown|imbecile|cretin|halfwit|half-wit|muppet|pig|cow|witch|snake|scumbag|scum|slug|loser|"
        r"freak|weirdo|creep|dinosaur|waste\s+of\s+space|waste\s+of\s+oxygen|excuse\s+for\s+a\s+\w+|hag|troll|"
        r"dimwit|nitwit|buffoon|donkey|sheep|numpty|pillock|plank|turnip)s?\b",
        "idiot moron clown imbecile cretin wit muppet pig cow witch snake scum slug loser freak weirdo creep dinosaur "
        "waste excuse hag troll buffoon donkey sheep numpty pillock plank turnip",
    ),
    rule(
        "abuse",
        0.75,
        "This is abusive (“{match}”). " + ABUSE_RULE,
        r"\b(?:shut\s+(?:up|your\s+(?:mouth|face|gob|trap))|get\s+a\s+life|nobody\s+(?:cares|asked\s+you)|get\s+lost|"
        r"do\s+one|jog\s+on|crawl\s+back\s+under|sad\s+act|go\s+away\s+and\s+die|ugly\s+(?:cow|pig|mug)|fat\s+(?:cow|"
        r"pig|slob|lump)|(?:feral|scum|scummy|chavvy|inbred)\s+(?:kids|children|families|parents|lot|mob)|"
        r"(?:kids|children|families)\s+(?:are|r)\s+(?:feral|animals|scum|vermin|thugs))\b",
        "shut life nobody lost one jog crawl sad away ugly fat feral scum chavvy inbred animals thugs vermin",
    ),
]

INFLAMMATORY_RULE = (
    "Inflammatory comments are removed: the policy asks that no one stirs up feeling against the school, "
    "its staff or a child."
)
CHILD_NAME_RULE = "No one may name a child in a comment about what they did: the policy protects every pupil."
# A capitalised name (one or two words), not a word that starts a sentence ("Everyone in Year 6 ...").
NAME = (
    r"(?!(?:Everyone|Everybody|Children|Kids|Pupils|Parents|Some|Those|These|All|Most|Many|Boys|Girls|Students|Staff|"
    r"Teachers|Someone|Somebody|Nobody|Anyone|One|Two|Three|Half|Lots|Loads|The|A|My|Our|His|Her|Their|They|He|She|"
    r"We|I|It|This|That|Well|Thanks|Thank|Congratulations|Congrats|Sports|Today|Yesterday|Everything|Anything)\b)"
    r"(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
)
NEGATIVE_ABOUT_CHILD = (
    r"(?:bull(?:y|ies|ied|ying)|hit|hits|punch\w*|kick\w*|push\w*|shov\w*|bit|bites|spat|swore|nasty|naughty|"
    r"horrible|vile|feral|thug|menace|troublemaker|trouble|disruptive|violent|aggressive|animal|brat|liar|thief|"
    r"stole|steal\w*|expel\w*|exclud\w*|suspend\w*|kicked\s+out|a\s+nightmare|terror|picks?\s+on|picking\s+on|"
    r"hurt|hurting|attack\w*|threaten\w*|keep\s+(?:him|her)\s+away|stay\s+away)"
)
INFLAMMATORY_RULES = [
    rule(
        "inflammatory",
        0.65,
        "This spreads rumours or stirs others up against the school (“{match}”). " + INFLAMMATORY_RULE,
        r"\b(?:word\s+is|(?:kept|keeping)\s+(?:it|this|that)\s+quiet|hush(?:ed|ing)?\s+(?:it|this)\s+up|in\s+protest|"
        r"every(?:one|body)\s+knows\s+(?:what|that|who|about)|rumou?rs?\s+(?:going\s+(?:round|around)|that|about|"
        r"are)|i['\u2019]?ve\s+heard\s+(?:that|a\s+rumou?r|rumou?rs)|cover(?:ing)?[- ]?(?:it\s+)?up|covered\s+up|"
        r"swept\s+under\s+the\s+(?:carpet|rug)|share\s+(?:this\s+)?(?:before|far\s+and\s+wide|everywhere|with\s+every)|before\s+"
        r"(?:they|it|the\s+school)\s+(?:gets?\s+)?delete[sd]?|name\s+and\s+shame|let['\u2019]?s\s+all\s+(?:complain|email|"
        r"go|boycott|pull|report|ring|turn\s+up|keep)|parents\s+(?:need|needs|should|must)\s+(?:to\s+)?(?:stand\s+up|unite|"
        r"rise\s+up|take\s+action|band\s+together|pull)|boycott|what\s+(?:are|is)\s+(?:they|the\s+school)\s+hiding|"
        r"(?:they|the\s+school)\s+(?:are|is)\s+hiding\s+something|the\s+truth\s+(?:will\s+come\s+out|about\s+this\s+"
        r"school)|protest\s+(?:outside|at)\s+(?:the\s+)?school|don['\u2019]?t\s+send\s+your\s+(?:kids|children)\s+(?:here|"
        r"to\s+this))\b",
        "knows rumor rumour heard cover swept share delete shame let parents boycott hiding truth protest send word "
        "kept keeping quiet hush",
    ),
    rule(
        "inflammatory",
        0.8,
        "This names a child in a comment about their behaviour (“{match}”). " + CHILD_NAME_RULE,
        rf"\b(?:(?:that|the|a|one|this)\s+(?:boy|girl|lad|kid|child|pupil)|{CHILD})\s+(?:called|named)\s+{NAME}"
        rf"\b[^.!?\n]{{0,80}}?\b{NEGATIVE_ABOUT_CHILD}\b|"
        rf"\b{NEGATIVE_ABOUT_CHILD}\b[^.!?\n]{{0,60}}?\b(?:boy|girl|lad|kid|child|pupil)\s+(?:called|named)\s+{NAME}\b",
        "called named",
    ),
    rule(
        "inflammatory",
        0.8,
        "This names a child in a comment about their behaviour (“{match}”). " + CHILD_NAME_RULE,
        rf"\b{NAME}\s+(?:in|from)\s+(?:year|yr|y|class|reception|nursery)\s*\d*\w*\b"
        rf"[^.!?\n]{{0,80}}?\b{NEGATIVE_ABOUT_CHILD}\b|"
        rf"\b{NEGATIVE_ABOUT_CHILD}\b[^.!?\n]{{0,60}}?\b{NAME}\s+(?:in|from)\s+(?:year|yr|y|class|reception|nursery)\b",
        "year yr y1 y2 y3 y4 y5 y6 y7 y8 y9 class reception nursery",
    ),
    rule(
        "inflammatory",
        0.45,
        "This may name a child (“{match}”). " + CHILD_NAME_RULE,
        r"\b(?:(?:that|the|a|one|this)\s+(?:boy|girl|lad|kid|child|pupil)|" + CHILD + r")\s+(?:called|named)\s+"
        rf"{NAME}\b|\b{NAME}\s+(?:in|from)\s+(?:year|yr|class)\s*\d+\b",
        "called named year yr class",
    ),
]

SPAM_RULE = "The policy removes spam."
SPAM_RULES = [
    rule(
        "spam",
        0.9,
        "This advertises a channel, a money-making scheme or a prize (“{match}”). " + SPAM_RULE,
        r"\b(?:check\s+out|subscribe\s+to|follow|visit|watch|go\s+to)\s+my\s+(?:channel|page|profile|video|insta|instagram|ig|tiktok|"
        r"youtube|blog|onlyfans|account)\b|\blink\s+in\s+(?:my\s+)?bio\b|\b(?:click|tap)\s+(?:the\s+)?link\b|"
        r"\b(?:i|we)\s+(?:made|make|earn|earned)\s+[£$]?\d[\d,.k]*\s+(?:a|per|in\s+a|every)\s+(?:week|day|month|hour)\b|"
        r"\bwork(?:ing)?\s+from\s+home\s+(?:and\s+)?(?:earn|making|opportunity)|\bearn\s+(?:£|\$|up\s+to)|"
        r"\b(?:earn|make|making)\s+(?:extra\s+|easy\s+|fast\s+|quick\s+)?(?:money|cash|income)\s+(?:online|from\s+home|"
        r"easily|fast|quickly|from\s+your\s+phone)|\bask\s+me\s+how\b|"
        r"\b(?:bitcoin|crypto|forex|binary\s+options?)\s+(?:trading|mentor|platform|expert|investment|account|"
        r"manager)|\b(?:investment|trading)\s+(?:expert|mentor|account\s+manager)\b|"
        r"\b(?:whats\s?app|telegram|signal)\s+(?:me|us|him|her)?\s*(?:on|via|at)?\s*:?\s*\+?\d|"
        r"\b(?:claim|collect)\s+your\s+(?:prize|reward|gift|voucher)\b|\bcongratulations,?\s+you\s*(?:['\u2019]ve|\s+have)\s+"
        r"(?:won|been\s+selected)|\bfree\s+(?:iphone|ipad|followers|likes|giveaway|gift\s+card)\b|"
        r"\b(?:hot|lonely)\s+(?:singles|girls|women|milfs)\b|\bonlyfans\b|\bsugar\s+(?:daddy|mummy|mommy|baby)\b|"
        r"\bspell\s*caster\b|\b(?:hacked\s+account|account\s+recovery|recover\s+your\s+(?:account|hacked))\b|"
        r"\b(?:dm|inbox|message)\s+me\s+(?:for|to)\s+(?:more\s+)?(?:info|details)\s+(?:on|about)\s+(?:how|this)\b|"
        r"\b(?:win|won|free|prize|cash|claim|entry|urgent|winner|awarded)\b[^.!?\n]{0,60}?\btext\s+\w+\s+to\s+\d{4,6}\b|"
        r"\btext\s+\w+\s+to\s+\d{4,6}\b[^.!?\n]{0,40}?\b(?:win|prize|cash|claim|free|entry)\b",
        "check out|subscribe|follow|visit my|watch my|go to my|link|click|tap|made|make|earn|bitcoin|crypto|forex|"
        "binary|investment|trading|whats|ask me how|telegram|signal|claim|collect your|congratulations|free|hot "
        "singles|hot girls|hot women|hot milfs|lonely|onlyfans|sugar|spell|hacked|recover|dm me|inbox me|message me|"
        "text",
    ),
    rule(
        "spam",
        0.4,
        "This contains a link (“{match}”): check where it goes.",
        r"\b(?:https?://|www\.)\S+|\bbit\.ly/\S+|\b[\w-]+\.(?:com|co\.uk|net|xyz|info|biz|shop|store|online|site)"
        r"(?:/\S*)?",
        "http www bit. .com .co.uk .net .xyz .info .biz .shop .store .online .site",
    ),
]

COMMERCIAL_RULE = "The policy removes comments that advertise commercial activity."
COMMERCIAL_RULES = [
    rule(
        "commercial",
        0.8,
        "This advertises something for sale or a business (“{match}”). " + COMMERCIAL_RULE,
        r"\b(?:i['\u2019]?m|i\s+am|we['\u2019]?re|we\s+are|currently|now|still)\s+selling\b|\bselling\s+(?:my|our|a|an|some|"
        r"these|this|loads|brand|pre-?loved|second[- ]hand|used|new|old|\d)|\bfor\s+sale\b|\bono\b|"
        r"[£$]\s?\d+(?:\.\d\d)?\s*(?:each|ono|per|a\s+(?:bag|box|session|hour|lesson|class|head|pair|set)|an\s+hour|"
        r"p/?h|ph|for\s+(?:both|all|the\s+lot))|\btaking\s+(?:orders|bookings)\b|\bnow\s+(?:taking|accepting|booking)\b|"
        r"\b(?:my|our)\s+(?:small\s+|new\s+|little\s+|own\s+)?(?:business|shop|company|salon|bakery|brand(?!\s+new)|store)\b|"
        r"\b(?:discount|promo|voucher|referral)\s+code\b|\b\d+\s?%\s+off\b|"
        r"\b(?:tutoring|tuition|tutor|childminding|childminder|cleaning|ironing|dog\s+walking|face\s+painting|"
        r"photography|photographer|driving\s+lessons|party\s+bags|bouncy\s+castles?|alterations|nails|lashes|"
        r"hair\s+braiding|catering|uniform\s+alterations|private\s+lessons)\s+(?:available|services?|spaces?|slots?|"
        r"offered|on\s+offer|at\s+reasonable|from\s+[£$])\b|\bcakes?\s+(?:made\s+)?to\s+order\b|"
        r"\b(?:check\s+out|visit|follow|like|have\s+a\s+look\s+at)\s+(?:my|our)\s+(?:facebook\s+)?(?:page|shop|website|"
        r"store|etsy|business|insta)\b|\b(?:etsy|vinted|depop|ebay|amazon\s+storefront)\b|"
        r"\b(?:reasonable|competitive|great|affordable|low|cheap|best)\s+(?:rates|prices)\b|"
        r"\b(?:qualified|experienced|dbs[- ]checked|enhanced\s+dbs)\s+(?:tutor|teacher|childminder|nanny|cleaner|"
        r"photographer)\b|\b(?:dm|pm|message|inbox|contact)\s+(?:me|us)\s+(?:for|with)\s+(?:prices|pricing|orders?|"
        r"bookings?|rates|a\s+quote|more\s+info|details|info)\b",
        "selling|sale|ono|£|$|taking orders|taking bookings|now taking|now accepting|now booking|business|shop|"
        "company|salon|bakery|brand|store|code|% off|tutor|tuition|childmind|cleaning|ironing|dog walking|"
        "painting|photograph|lessons|party bags|castle|alterations|nails|lashes|braiding|catering|cake|check out|"
        "visit my|visit our|follow my|follow our|like my|like our|look at my|look at our|etsy|vinted|depop|ebay|"
        "amazon|rates|prices|qualified|experienced|dbs|dm|pm|message|inbox|contact",
    ),
]

COMMERCIAL_RULES.append(
    rule(
        "commercial",
        0.45,
        "This may advertise places or services (“{match}”): check it is not a business touting for custom.",
        r"\b(?:spaces?|slots?|places)\s+(?:still\s+)?(?:available|left)\b(?![^.!?\n]*\?)|\bdm\s+me\b|\bpm\s+me\b",
        "spaces slots places dm pm",
    )
)

DONATION_RULE = "The policy removes comments that ask for donations."
DONATION_RULES = [
    rule(
        "donation",
        0.8,
        "This asks people for money or donations (“{match}”). " + DONATION_RULE,
        r"\b(?:please|pls|plz|kindly|could\s+you|can\s+you|would\s+you|can\s+anyone|could\s+anyone|would\s+anyone)\s+"
        r"(?:\w+\s+){0,2}?(?:donate|sponsor|chip\s+in|give\s+(?:a\s+little|what\s+you\s+can|generously))\b|"
        r"\bgo\s?fund\s?me\b|\bjust\s?giving\b|\bcrowdfunder\b|\bcrowd\s?funding\b|\bpaypal\.me\b|\bko-?fi\b|"
        r"\bpatreon\b|\bsponsor\s+(?:me|us|my|our|him|her|them)\b|"
        r"\b(?:any|every)\s+(?:amount|penny|pound|donation|little\s+bit)\s+(?:helps|counts|would\s+help|is\s+"
        r"appreciated|makes)\b|\btext\s+[a-z]+\s*\d*\s+to\s+\d{5}\b|\b(?:spare|give)\s+(?:a|some|any)\s+(?:pounds?|"
        r"change|money|cash)\b|\b(?:link|page)\s+(?:in\s+my\s+bio|below|here)\s+(?:to|if\s+you\s+(?:can|want\s+to))"
        r"\s+(?:donate|give|help)\b|\bhelp\s+(?:us|me)\s+(?:reach|hit|get\s+to)\s+(?:our|my|the)\s+(?:target|goal)\b|"
        r"\b(?:donations?|contributions?)\s+(?:welcome|needed|gratefully|would\s+be|are\s+(?:needed|welcome))\b|"
        r"\b(?:any|all)\s+(?:donations?|contributions?)\b[^.!?\n]{0,40}?\b(?:appreciated|welcome|help|gratefully|"
        r"received)\b|"
        r"\b(?:can\s+anyone|could\s+anyone|does\s+anyone|anyone\s+able\s+to)\s+(?:\w+\s+){0,2}?(?:donate|spare|"
        r"give)\b",
        "please pls plz kindly could can would go fund giving crowd paypal ko-fi kofi patreon sponsor rais any every "
        "text spare give link page help donation contribution anyone",
    ),
    rule(
        "donation",
        0.35,
        "This mentions donations or fundraising (“{match}”): fine as thanks, not as an appeal.",
        r"\bdonat\w*|\bfundrais\w*|\bcharity\s+(?:walk|run|skydive|bake|appeal|event|fun\s+run)\b|"
        r"\b(?:raising|raise|collecting)\s+(?:money|funds|£\s?\d)",
        "donat fundrais charity rais collect",
    ),
]

SAFEGUARDING_RULE = (
    "A possible safeguarding concern goes to the school's designated safeguarding lead, kept and hidden from the "
    "public, never deleted."
)
SAFEGUARDING_RULES = [
    rule(
        "safeguarding",
        0.95,
        "This may be a disclosure that a child is being harmed (“{match}”). " + SAFEGUARDING_RULE,
        rf"\b{ADULT_AT_HOME}\s+(?:\w+\s+)?(?:hits|beats|kicks|punches|slaps|hurts|chokes|strangles|burns|"
        rf"locks|shakes|throws)\s+(?:him|her|them|me|us|the\s+kids|the\s+children|my|his|her)\b|"
        rf"\b(?:he|she|they)\s+(?:always\s+|often\s+|still\s+|keeps\s+)?(?:hits|beats|kicks|punches|slaps|hurts|"
        r"chokes|strangles|burns)\s+(?:her|him|them|me|us|the\s+kids|the\s+children|my\s+\w+|his\s+\w+|her\s+\w+)\b"
        r"(?!\s+(?:at|in|on)\b)|"
        r"\b(?:scared|frightened|afraid|terrified|petrified|too\s+scared)\s+(?:to\s+go|of\s+going)\s+(?:back\s+)?home\b|"
        r"\b(?:doesn['\u2019]?t|does\s+not|don['\u2019]?t|do\s+not|won['\u2019]?t|will\s+not|refuses\s+to|didn['\u2019]?t|never)\s+"
        r"(?:wants?\s+to|want\s+to)\s+go\s+home\b|"
        rf"\b(?:scared|frightened|afraid|terrified|petrified)\s+of\s+{ADULT_AT_HOME}\b|"
        r"\bnot\s+safe\s+(?:at\s+home|with\s+(?:his|her|their|my)\s+\w+)|\b(?:isn['\u2019]?t|is\s+not|aren['\u2019]?t|are\s+not|"
        r"don['\u2019]?t\s+feel|doesn['\u2019]?t\s+feel)\s+safe\s+at\s+home\b|\b(?:sexual(?:ly)?\s+(?:abus\w*|assault\w*|"
        r"touch\w*))|\btouch(?:ed|es|ing)?\s+(?:him|her|them|my\s+\w+)\s+(?:inappropriately|down\s+there|in\s+"
        r"(?:his|her|their)\s+private)|\bprivate\s+parts\b|\bgroom(?:ed|ing|er)\b|\bnudes\b|\bsexting\b|"
        r"\b(?:asked|asking|asks|wants?|wanted|told)\s+(?:him|her|them|my\s+\w+)?\s*(?:to\s+send|for)\s+(?:\w+\s+)?"
        r"(?:pictures|photos|pics|images|videos)\b|\bsend\s+(?:him|her|them)\s+(?:\w+\s+)?(?:pictures|photos|pics)\b|"
        r"\b(?:being|been|is|was|were|are)\s+(?:sexually\s+|physically\s+|emotionally\s+)?abused\b|"
        r"\bforced\s+(?:to\s+)?marr\w*|\bforced\s+marriage\b|\bfgm\b|\bfemale\s+genital\s+mutilation\b|"
        r"\bcounty\s+lines\b|\bradicali[sz]\w*",
        "hit beat kick punch slap hurt choke strangle burn lock shake throw scared frightened afraid terrified "
        "petrified home safe sexual touch private groom nudes sexting pictures photos pics images videos abused "
        "forced marr fgm mutilation county radical",
    ),
    rule(
        "safeguarding",
        0.9,
        "This may be a child at risk online or from an adult (“{match}”). " + SAFEGUARDING_RULE,
        rf"\b(?:messag\w*|texting|snapchat\w*|dm['\u2019]?(?:ing|ed|s)|contact\w*|add(?:ed|ing)|befriend\w*|groom\w*|"
        rf"approach\w*|following|follows|filming|photographing|taking\s+(?:photos|pictures)\s+of)\s+(?:{CHILD}|"
        rf"young\s+(?:girls|boys|children))\b|\bsending\s+(?:{CHILD}|him|her|them)\s+(?:\w+\s+)?(?:messages|texts|"
        rf"pictures|photos|pics|gifts|money)\b|\b(?:talking|chatting|speaking)\s+to\s+{CHILD}\s+(?:online|on\s+"
        r"(?:snapchat|tiktok|instagram|whatsapp|roblox|fortnite|discord|xbox|the\s+internet))\b|"
        r"\b(?:some(?:one|body)|a\s+(?:man|stranger|grown\s+man|bloke|guy|woman|adult)|an\s+(?:older\s+\w+|adult)|"
        r"older\s+(?:men|man|boys|lads)|strangers?|this\s+(?:man|guy|bloke|person|account))\b[^.!?\n]{0,80}?"
        r"\b(?:asking|asked|asks|wants?|wanted|trying\s+to\s+get)\s+(?:him|her|them|my\s+\w+|our\s+\w+)?\s*to\s+"
        r"meet(?:\s+up)?\b|\b(?:keeps|kept)\s+asking\s+(?:him|her|them|my\s+\w+)\s+to\s+meet\b|"
        r"\bmeet\s+(?:him|her|them)\s+(?:in\s+person|alone|secretly|without)|\b(?:asking|asked|telling|told|trying\s+"
        rf"to\s+get|tried\s+to\s+get)\s+(?:{CHILD}|the\s+(?:kids|children|pupils)|him|her|them)\s+to\s+(?:come|get|go)\s+"
        r"(?:to|in|into|with)\s+(?:his|her|their|a|the)\s+(?:car|van|house|flat)\b|\bhanging\s+(?:around|about|round)\s+"
        r"(?:outside\s+)?(?:the\s+)?(?:school|gates|park|playground|toilets)\b[^.!?\n]{0,60}?\b(?:kids|children|pupils|"
        r"girls|boys)\b|\b(?:tried|trying)\s+to\s+(?:talk|"
        r"speak)\s+to\s+(?:the\s+)?(?:children|kids|pupils|my\s+\w+)\b",
        "messag texting snapchat dm contact add befriend groom approach follow filming photographing taking sending "
        "talking chatting speaking meet tried trying asking asked telling told hanging",
    ),
    rule(
        "safeguarding",
        0.95,
        "This may be a child at risk of self-harm or suicide (“{match}”). " + SAFEGUARDING_RULE,
        r"\bself[- ]?harm\w*|\bcutting\s+(?:himself|herself|themselves|themself)\b|\b(?:wants?|wanted|want|talking\s+"
        r"about\s+wanting|said\s+(?:he|she|they)\s+wants?)\s+to\s+(?:die|end\s+it|kill\s+(?:himself|herself|"
        r"themselves|themself))\b|\bsuicid\w*|\bkill(?:ed|ing)?\s+(?:himself|herself|themselves|themself)\b|"
        r"\bend(?:ed|ing)?\s+(?:it\s+all|(?:his|her|their)\s+(?:own\s+)?life)\b|\boverdos\w*|"
        r"\b(?:doesn['\u2019]?t|does\s+not|don['\u2019]?t)\s+want\s+to\s+(?:live|be\s+alive|be\s+here\s+any\s*more|wake\s+up)\b|"
        r"\b(?:eating\s+disorder|anorexi\w*|bulimi\w*|starving\s+(?:himself|herself|themselves))\b",
        "harm cutting die end kill suicid overdos live alive here wake eating anorexi bulimi starving",
    ),
    rule(
        "safeguarding",
        0.8,
        "This may describe a child who is neglected or hurt (“{match}”). " + SAFEGUARDING_RULE,
        r"\b(?:bruises?|bruising|burns|marks|cuts|scars|welts|injuries|a\s+black\s+eye)\s+(?:on|all\s+over|up\s+and\s+"
        r"down)\s+(?:his|her|their|my)\b|\bcame\s+(?:in|into\s+school|to\s+school|home)\s+with\s+(?:a\s+black\s+eye|"
        r"bruises|marks|burns|cuts)\b|\b(?:left|leaves|leaving)\s+(?:him|her|them|the\s+kids|the\s+children|"
        r"(?:his|her|their|my)\s+(?:kids|children|son|daughter|baby|little\s+one))\s+(?:at\s+home\s+)?(?:alone|on\s+"
        r"(?:his|her|their)\s+own)\b|\b(?:is|are|was|were|gets?|getting|being|been)\s+(?:always\s+|often\s+|regularly\s+|"
        r"constantly\s+)?left\s+(?:at\s+)?(?:home\s+)?(?:alone|on\s+(?:his|her|their)\s+own)\b|\b(?:comes?|came|coming)\s+(?:in|into\s+school|to\s+school)\s+(?:so\s+|really\s+)?"
        r"(?:hungry|starving|filthy|smelly|unwashed|in\s+dirty\s+clothes)\b|\bno\s+food\s+(?:in|at)\s+(?:the\s+house|"
        r"home)\b|\bnever\s+(?:has|gets|given)\s+(?:any\s+)?(?:breakfast|food|a\s+meal|dinner)\b|"
        r"\b(?:never|isn['\u2019]?t|is\s+not|aren['\u2019]?t|not\s+being|hasn['\u2019]?t\s+been)\s+(?:fed|washed|given\s+(?:food|"
        r"breakfast|dinner|tea))\b|\bsleeping\s+(?:on\s+the\s+floor|in\s+(?:the|a)\s+car|rough)\b|"
        rf"\b{ADULT_AT_HOME}\s+(?:is|are|was|were|gets?|got)\s+(?:always\s+|often\s+|constantly\s+)?(?:drunk|high|"
        r"off\s+(?:his|her|their)\s+face|on\s+drugs|wasted|violent)\b(?!\s+\w*achiev)|\bdomestic\s+(?:abuse|violence)\b|"
        r"\b(?:abusive|violent)\s+(?:dad|father|step-?dad|home|household|relationship|partner|mum|mother)\b|"
        r"\b(?:ran|run|runs|running)\s+away\s+from\s+home\b|\b(?:hasn['\u2019]?t|has\s+not|didn['\u2019]?t|did\s+not)\s+"
        rf"(?:been|come)\s+home\b|\b(?:{CHILD}|he|she)\s+(?:has\s+)?(?:went|gone|is|was|been\s+reported)\s+missing\b|"
        r"\b(?:drugs|dealing|dealers?|weed|cocaine)\s+(?:at|in)\s+(?:home|the\s+house|his\s+house|her\s+house)\b|"
        r"\b(?:older\s+(?:boys|lads|men|man|kids|girls|teenagers)|a\s+(?:man|stranger|bloke)|some(?:one|body)|"
        r"strangers?)\b[^.!?\n]{0,40}?\b(?:giving|gave|buying|bought|gives|buys)\s+(?:him|her|them)\s+(?:money|gifts|"
        r"presents|a\s+phone|phones|trainers|vapes|drugs|alcohol|cigarettes)\b|\b(?:something|things)\s+(?:is\s+not|isn['\u2019]?t|are\s+not|"
        r"aren['\u2019]?t)\s+right\s+at\s+home\b|\bpolice\s+(?:were|was|came)\s+(?:round|called\s+to\s+(?:the|their|his|"
        r"her)\s+house)\b",
        "bruis|burns|marks|cuts|scars|welts|injuries|black eye|came in|came into|came to|came home|comes in|comes to|"
        "coming in|coming to|left him|left her|left them|left the|left my|left his|left at|left home|left alone|"
        "leaves|leaving|no food|fed|washed|breakfast|sleeping|drunk|high|off his|off her|off their|on drugs|wasted|"
        "violent|domestic|abusive|away from home|come home|been home|missing|drugs|dealing|dealer|weed|cocaine|"
        "giving|gave|buying|bought|gives|buys|right at home|police",
    ),
    rule(
        "safeguarding",
        0.55,
        "This raises a worry about a child's safety or wellbeing (“{match}”): the DSL should see it. "
        + SAFEGUARDING_RULE,
        r"\b(?:worried|concerned|worrying|scared|frightened)\s+(?:about|for)\s+(?:the\s+(?:welfare|wellbeing)\s+"
        rf"of\s+)?{CHILD}\b(?!['\u2019]s)(?!\s+(?:reading|writing|maths|spelling|progress|grades|results|homework))|\bsafeguarding\s+(?:concern|issue|referral|risk|matter|problem)s?\b|\bsocial\s+services\b|"
        r"\b(?:is|was|being|been|getting|gets?|got)\s+bullied\b[^.!?\n]{0,60}?\b(?:every\s+day|daily|constantly|"
        r"won['\u2019]?t\s+(?:go|come)|doesn['\u2019]?t\s+want\s+to\s+(?:go|come)|scared|crying|anxious|hurt|injured)\b|"
        r"\b(?:scared|frightened|afraid|terrified|refuses|refusing)\s+to\s+(?:go|come)\s+(?:in)?to\s+school\b|"
        r"\b(?:crying|cries)\s+(?:every|each)\s+(?:night|morning|day)\b|"
        r"\b(?:inappropriate|weird|creepy|sexual)\s+(?:messages|photos|pictures|comments|contact|behaviour|touching)\b",
        "worried concerned worrying scared frightened safeguarding social bullied afraid terrified refuses refusing "
        "crying cries inappropriate weird creepy sexual",
    ),
]

COMPLAINT_RULE = "A complaint belongs in the school's complaints procedure: reply politely and point the author there."
STAFF = (
    r"(?:(?-i:(?:Mr|Mrs|Miss|Ms|Mx|Dr|Sir)\.?\s+[A-Z][a-zA-Z'\u2019-]+)|(?:the|his|her|their|my\s+(?:son|daughter|child)['\u2019]?s)"
    r"\s+(?:head|headteacher|head\s+teacher|deputy\s+head|principal|teacher|class\s+teacher|form\s+tutor|senco|"
    r"receptionist|office|office\s+staff|staff|school\s+office|ta|teaching\s+assistant|pe\s+teacher|management|"
    r"slt|governors|trust))"
)
COMPLAINT_NEGATIVE = (
    r"(?:rude|useless|a\s+disgrace|disgraceful|incompetent|unprofessional|hopeless|a\s+joke|lazy|horrible|awful|"
    r"nasty|shouted\s+at|screamed\s+at|yelled\s+at|humiliated|embarrassed|picks?\s+on|picking\s+on|singled\s+out|"
    r"ignored|ignores|ignoring|never\s+(?:replies|answers|responds|listens|returns)|doesn['\u2019]?t\s+(?:care|listen|reply|"
    r"answer|bother)|don['\u2019]?t\s+(?:care|listen|reply|answer|bother)|should\s+be\s+(?:sacked|fired|ashamed|struck\s+"
    r"off)|needs?\s+to\s+(?:go|be\s+sacked|be\s+removed|resign)|not\s+fit\s+to|out\s+of\s+order|bully|bullies|"
    r"bullying|clueless|arrogant|dismissive|patronising|condescending|failed|failing|let\s+(?:us|my|our|him|her|"
    r"them)\s+down|lied|lying|a\s+liar|no\s+idea|power\s+trip|can['\u2019]?t\s+be\s+bothered)"
)
COMPLAINT_RULES = [
    rule(
        "complaint",
        0.85,
        "This complains about a named member of staff (“{match}”). " + COMPLAINT_RULE,
        rf"\b{STAFF}\b[^.!?\n]{{0,60}}?\b{COMPLAINT_NEGATIVE}\b|\b{COMPLAINT_NEGATIVE}\b[^.!?\n]{{0,20}}?\b{STAFF}\b",
        "mr mrs miss ms mx dr sir head teacher tutor senco receptionist office staff ta assistant management slt "
        "governors trust",
    ),
    rule(
        "complaint",
        0.85,
        "This is a complaint about the school (“{match}”). " + COMPLAINT_RULE,
        r"\b(?:formal\s+)?complaint\b|\bcomplain(?:ing|ed|s)?\s+(?:to|about)\b|\b(?:report(?:ing|ed)?|going|go|"
        r"writ(?:e|ing)|contact(?:ing|ed)?|email(?:ing|ed)?|escalat(?:e|ing))\s+(?:this\s+)?(?:to\s+)?(?:ofsted|the\s+"
        r"governors|the\s+council|the\s+local\s+authority|the\s+la|the\s+trust|my\s+mp|the\s+dfe|the\s+department\s+"
        r"for\s+education|the\s+ombudsman)\b|\bofsted\s+(?:will|need|needs|should)\s+(?:hear|know|be\s+told)\b|"
        r"\b(?:i|we)\s+want\s+(?:answers|an\s+explanation|an\s+apology|a\s+meeting|my\s+money\s+back|a\s+refund)\b|"
        r"\b(?:taking|pulling|moving)\s+(?:my|our|him|her|them)\s+(?:\w+\s+)?(?:out\s+of|away\s+from)\s+(?:this|the)\s+"
        r"school\b|\b(?:worst|terrible|awful|rubbish|useless|crap|shocking|appalling)\s+school\b",
        "complain ofsted governors council authority trust mp dfe department ombudsman want taking pulling moving "
        "worst terrible awful rubbish useless crap shocking appalling",
    ),
    rule(
        "complaint",
        0.7,
        "This complains that the school has not answered (“{match}”). " + COMPLAINT_RULE,
        r"\b(?:no\s+one|nobody|no-one)\s+(?:has\s+|from\s+the\s+school\s+|at\s+the\s+school\s+|ever\s+)?(?:got\s+back|"
        r"gets\s+back|replied|replies|responded|responds|answered|answers|returned\s+my|listens|listened|bothered|"
        r"cares)\b|\b(?:still\s+)?(?:waiting\s+for\s+(?:a\s+)?(?:reply|response|answer|call\s+back|someone)|no\s+"
        r"(?:reply|response|answer)\s+(?:to|from|yet)|not\s+heard\s+back)\b|\b(?:emailed|rang|called|phoned|"
        r"messaged|written|wrote)\s+(?:the\s+school\s+|the\s+office\s+|them\s+|you\s+)?(?:\w+\s+){0,2}?(?:twice|"
        r"three\s+times|four\s+times|\d+\s+times|several\s+times|repeatedly|multiple\s+times|numerous\s+times)\b",
        "no one nobody waiting reply response heard emailed rang called phoned messaged written wrote",
    ),
    rule(
        "complaint",
        0.6,
        "This criticises the school (“{match}”). " + COMPLAINT_RULE,
        r"\b(?:absolutely\s+|totally\s+|utterly\s+|completely\s+|frankly\s+)?(?:disgraceful|appalling|unacceptable|"
        r"outrageous|diabolical|a\s+shambles|shambolic|a\s+farce|beyond\s+a\s+joke|not\s+good\s+enough|a\s+"
        r"disgrace)\b|\b(?:let|letting)\s+(?:the\s+)?(?:children|kids|pupils|parents|families|us|"
        r"my\s+\w+|our\s+\w+)\s+down\b|\b(?:failing|failed)\s+(?:my|our|the|these)\s+(?:son|daughter|child|children|"
        r"kids|pupils)\b|\bhow\s+is\s+(?:this|that|it)\s+(?:acceptable|allowed|ok|okay|fair)\b|\bsort\s+it\s+out\b|"
        r"\b(?:why|how)\s+(?:has|have|is|was|did|does|do)\s+(?:no\s+one|nobody|the\s+school|this\s+school)\b[^?]*\?",
        "disgrace appalling unacceptable outrageous diabolical shambles shambolic farce joke enough let letting "
        "failing failed acceptable allowed ok okay fair sort why how",
    ),
    rule(
        "complaint",
        0.4,
        "This may criticise the school (“{match}”).",
        r"\b(?:pathetic|ridiculous|shocking|poor|terrible|awful|rubbish)\s+(?:communication|organisation|organization|"
        r"behaviour\s+management|management|leadership|teaching|parking|planning|decision|response|service|food|"
        r"lunches|dinners)\b|\bno\s+(?:communication|notice|warning)\b|\b(?:disappointed|disappointing|"
        r"unhappy|fuming|furious|livid)\b",
        "pathetic ridiculous shocking poor terrible awful rubbish communication notice warning disappoint unhappy "
        "fuming furious livid",
    ),
]

RULES = [
    *THREAT_RULES,
    *HATE_RULES,
    *ABUSE_RULES,
    *INFLAMMATORY_RULES,
    *SPAM_RULES,
    *COMMERCIAL_RULES,
    *DONATION_RULES,
    *SAFEGUARDING_RULES,
    *COMPLAINT_RULES,
]


Entries = tuple[tuple[str, int], ...]  # (trigger, index of its rule in RULES)


def _triggers_by_trigram(rules: list[Rule]) -> tuple[dict[str, Entries], Entries]:
    """Every rule's triggers, filed under their first three characters; and the few triggers shorter than that
    ("dm", "£"). A trigger is only looked for when the comment holds its first three characters, so most of the
    hundreds of triggers are never tried (benchmarks/moderation.py)."""
    index: dict[str, list[tuple[str, int]]] = {}
    short: list[tuple[str, int]] = []
    for key, r in enumerate(rules):
        for trigger in r.triggers:
            if len(trigger) < 3:
                short.append((trigger, key))
            else:
                index.setdefault(trigger[:3], []).append((trigger, key))
    return {gram: tuple(entries) for gram, entries in index.items()}, tuple(short)


_TRIGGERS_BY_TRIGRAM, _SHORT_TRIGGERS = _triggers_by_trigram(RULES)
_TRIGRAMS = frozenset(_TRIGGERS_BY_TRIGRAM)


def rules_gated_in(lowered: str) -> list[tuple[int, Rule]]:
    """(index in RULES, rule) for the rules with a trigger in the lower-cased comment, in RULES order: the same
    rules as searching each rule's gate, found without trying most of them."""
    keys = {key for trigger, key in _SHORT_TRIGGERS if trigger in lowered}
    for gram in _TRIGRAMS.intersection([lowered[i : i + 3] for i in range(len(lowered) - 2)]):
        keys.update(key for trigger, key in _TRIGGERS_BY_TRIGRAM[gram] if key not in keys and trigger in lowered)
    return [(key, RULES[key]) for key in sorted(keys)]
