"""English language data: scale words, currencies, qualifiers, cue words.

All patterns are regex fragments matched case-insensitively on the normalised text unless noted.
"""

from __future__ import annotations

SCALES = {
    "k": 1e3, "thousand": 1e3,
    "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6, "millions": 1e6,
    "b": 1e9, "bn": 1e9, "bln": 1e9, "billion": 1e9, "billions": 1e9,
    "t": 1e12, "tn": 1e12, "trn": 1e12, "trillion": 1e12, "trillions": 1e12,
}
SCALE_RE = r"(?:trillion|billion|million|thousand|bn|tn|trn|mn|mln|bln|[kmbt])(?![A-Za-z])"

# Currency written before the number. Order matters: longer first.
CURRENCY_PREFIX = {
    "US$": "USD", "U.S.$": "USD", "USD": "USD", "US dollars": "USD",
    "HK$": "HKD", "HKD": "HKD", "NT$": "TWD", "NTD": "TWD", "TWD": "TWD",
    "S$": "SGD", "SGD": "SGD", "A$": "AUD", "AUD": "AUD", "C$": "CAD", "CAD": "CAD",
    "$": "USD", "€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP",
    "RMB": "CNY", "CNY": "CNY", "JPY": "JPY", "KRW": "KRW", "₩": "KRW", "CHF": "CHF",
    "INR": "INR", "AED": "AED", "SAR": "SAR",
}
# Currency written after the number and scale ("52.7 trillion won").
CURRENCY_SUFFIX = {
    "dollars": "USD", "us dollars": "USD", "usd": "USD", "euros": "EUR", "euro": "EUR",
    "eur": "EUR", "pounds": "GBP", "pounds sterling": "GBP", "gbp": "GBP", "yen": "JPY",
    "jpy": "JPY", "won": "KRW", "krw": "KRW", "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY",
    "cny": "CNY", "hong kong dollars": "HKD", "hkd": "HKD", "taiwan dollars": "TWD",
    "new taiwan dollars": "TWD", "twd": "TWD",
}

QUALIFIER_PREFIX = {
    "approx": ["about", "around", "roughly", "approximately", "approx.", "nearly", "almost",
               "close to", "some", "an estimated", "estimated", "~", "circa", "c.", "≈",
               "just over", "just under", "a little over", "a little under"],
    "at_least": ["more than", "over", "at least", "in excess of", "upwards of", "north of",
                 "above", "exceeding", "exceed", "exceeds", "exceeded", "topped", "top", "tops",
                 "surpassing", "surpassed", "a minimum of", "no less than", "well over",
                 "well above", "beyond", "pass", "passed", "passes"],
    "at_most": ["up to", "as much as", "as high as", "no more than", "less than", "under",
                "below", "at most", "a maximum of", "not exceeding", "as many as",
                "up to an additional", "up to another"],
}
QUALIFIER_SUFFIX = {
    "at_least": ["or more", "and up", "plus", "or above"],
    "at_most": ["or less", "at most", "or below"],
}

# A conditional or counterfactual: amounts after these words in a sentence are not facts.
HYPOTHETICAL = r"\b(?:if|unless|were\s+\w+\s+to|had\s+(?:all\s+)?(?:of\s+)?(?:these|those|the|it|they|\w+)\b[^.]{0,60}\b(?:gone|been|built|done|made)|would\s+have|could\s+have|should\s+(?:it|they)|in\s+the\s+event)\b"

NEG = (r"\b(?:revenues?|net sales|sales|net income|operating income|income|profits?|loss(?:es)?|"
       r"earnings|eps|per share|market (?:value|cap|capitali[sz]ation)|"
       r"(?<!in\s)(?<!all-)cash(?!\s(?:and|deal|offer|transaction))|burn|backlog|bookings|"
       r"assets|bonds?|debt|loans?|salar(?:y|ies)|run-rate|buybacks?|dividends?|distribution|"
       r"charge|tax|orders|annuali[sz]ed|recurring revenue|arr|price|proceeds|wiping|"
       r"a month|per month|a year|per year|a week|shares (?:fell|rose|jumped)|sovereign wealth|"
       r"r&d|research and development)\b")
VAL = r"\b(?:valuation|valued|valuing|valu(?:e|es)\s+\w+(?:\s\w+)?\s+at|post-money|pre-money)\b"
WORTH = r"\bworth\b"
WORTH_DEAL = r"\b(?:converted|took|bought|acquired|received|purchased|agreed|signed|signs|inked|expanded|struck)\b"
CAPEX = (r"\b(?:capital expenditures?|capex|capital spending|capital expenses|capital investments?|"
         r"capital projects|capital outlays?)\b")
CAPEX_WEAK = r"\b(?:spend(?:s|ing)?|spent|outlay|guid(?:ed|ance|es)|forecast|outlook|pointed to)\b"
DEAL = {
    "funding_round": (r"\b(?:rais(?:e|ed|es|ing)|funding round|funding|round|series [a-z]\b|seed|"
                      r"fundrais\w+|venture capital|seek(?:s|ing)?|led by)"),
    "equity": (r"\b(?:invest(?:s|ed|ing|ments?)?|stake|put in|put|contribut\w+|cheques?|checks?|"
               r"inject\w*|backed|participat\w+|took part|take part|commit\w*|pledge\w*)\b"),
    "acquisition": (r"\b(?:acquir\w+|acquisition|takeover|take over|buyout|bid for|bid|merger|"
                    r"purchase of|all-stock)\b"),
    "contract": (r"\b(?:contracts?|agreements?|commit\w*\s+to\s+(?:purchase|spend|buy)|purchase|buy|"
                 r"bought|pay|paid|signed up|lease|license|cloud deal)\b"),
    "fund": r"\bfund\b",
    "joint_venture": r"\b(?:joint venture|jv|project)\b",
}
CMP = r"\b(?:up from|down from|from|below|above|compared with|compared to|versus|vs|than)\b"
FACILITY = (r"\b(?:data[- ]cent(?:re|er)s?|infrastructure|facilit(?:y|ies)|factor(?:y|ies)|fabs?|"
            r"plants?|campus(?:es)?|in (?:the )?(?:UK|US|U\.S\.|Britain|Japan|France|India|Germany|"
            r"Saudi Arabia|Europe|Texas|America|Korea|Taiwan|the UAE|UAE|Germany|Spain|Italy|Sweden|Norway|"
            r"Finland|Malaysia|Indonesia|Thailand|Vietnam|Mexico|Brazil|Australia|Canada|Singapore|"
            r"Ireland|the Netherlands|the Middle East|the United States|the United Kingdom))(?![A-Za-z])")
STATUS = {
    "cancelled": (r"\b(?:shelved|scrapped|collapsed|called off|abandoned|terminated|voted down|"
                  r"put on ice|blocked|fell through|rejected|cancell?ed|dropped|walked away)\b"),
    "talks": (r"\b(?:in talks|talks|negotiat\w+|considering|weighing|exploring|seeking|seeks|seek|"
              r"discussions|expected to|in discussions|plans to raise|looking to raise|could)\b"),
    "pledged": r"\b(?:pledged?|in the future|to follow|over time|in stages|committed to invest)\b",
    "completed": (r"\b(?:completed|closed|has raised|had raised|raised|invested|put in|contributed|"
                  r"took part|bought|acquired|paid|wrote|has invested|had already|formed|contribution was)\b"),
    "announced": r"\b(?:agreed|signed|will|announced|said|plans|to invest)\b",
}
GUIDANCE = (r"\b(?:expects?|expected|forecast|guid\w+|outlook|plans?|will|would|target\w*|"
            r"pointed to|on course|raised its forecast|narrowed)\b")
RESPECTIVELY = r"\brespectively\b"
PAIR = r"\b(?:the pair|the two companies|the two|both companies)\b"

ANAPHORIC = r"\b(?:this|that|these|the same)\s$"

# --- role and scope markers (classify.py) -------------------------------------------------
AGG_GROUP = (r"\b(?:(?:the four|the three|the five)(?!\s(?:months|years|quarters|weeks|days)\b)|big four|all four|the group's|the four companies|"
             r"start-ups|startups|companies|industry)\b")
AGG_SUM = r"\b(?:combined|together|in total|altogether)\b"
EXTEND = r"\b(?:could|may|might)\s+(?:rise|increase|grow|climb)\s+to\b"
CMP_BEFORE = r"\b(?:than|from|versus|vs\.?)\s?(?:the\s)?$"
# words before a company that make it the receiving side: invest ... in X, buy X, contract with X
TARGET_BEFORE = (
    r"(?i:(?:\b(?:invest\w*|stake|put|pour(?:ed)?|inject\w*|back\w*|commit\w*)\b[^.;,]{0,50}?\b(?:in|into)\s"
    r"|\b(?:acquir\w+|acquisition\sof|takeover\sof|buy(?:ing|s)?|bought|purchase\sof|bid\sfor|merger\swith"
    r"|stake\sin|investment\sin|pay|paid|licen[cs]e|called|named|dubbed|(?:take|took|taking)\spart\sin)\s"
    r"|\b(?:contracts?|agreements?|deal|partnership|pact)\swith\s"
    r"|\b(?:round|funding|financing|investment|stake)\s(?:in|for)\s)"
    r"(?:the\s)?)(?:(?!and\s|or\s)[a-z-]+\s){0,3}$")
SELLER_BEFORE = r"\bfrom\s(?:the\s)?$"                     # buy capacity from X
OWNER_BEFORE = r"\b(?:on|of)\s$"                          # on X's chips, of X's capacity
POSSESSIVE_OBJECT = (r"^'s\s(?:[\w-]+\s){0,3}?(?:chips|capacity|cloud|compute|services|technology|"
                     r"shares|stock|processors|gpus)")
INVESTOR_BEFORE = r"(?:\bled\sby\s(?:[A-Za-z-]+\s){0,4}|\bfrom\s)$"
NOT_SUBJECT_AFTER = r"^(?:'s\s+(?:[\w-]+\s+)?[A-Z]|-backed|-based|-owned|-led)"
UNIT_OF = r"(?:a\sunit\sof|part\sof|subsidiary\sof|owned\sby|backed\sby|arm\sof)\s(?:the\s)?(?:[A-Z][\w']*\s){0,3}$"
PRONOUN_START = r"^(?:the\s(?:chipmaker|company|firm|group|start-up|startup|developer|lab|maker)|it)\b"
BACKERS_OF = r"^'s\s(?:\w+\s)?(?:backers|investors|shareholders|funding|round)\b"
PROJECT_AFTER = r"\s?(?:data[- ]cent(?:re|er)|campus|project|programme)"
RELATIVE = r"\s?(?:which|who|whose)\b"
COORD = r"^\s?(?:and|&)\s?$"
LIST_GAP = r"\s?(?:,|and|, and)\s?(?:the\s)?"
PARTICIPATION = r"take part|took part|participat|invest"
RAISE_WORDS = r"\bround\b|\braise|\braising"
CONTRIBUTION = r"contribut|put in|invested|participat|took part"
JV_WORDS = r"joint venture"
PROJECT_WORDS = r"\bproject\b|\bprogramme\b|joint venture"
SPEND_VERBS = r"invest|spend"
STOCK_WORDS = r"(?<!all-)\b(?:stock|shares)\b"
FIGURE_ANAPHOR = r"\s*(?:this figure|that figure|that)\b"
BUY_BEFORE = r"\b(?:buy|buys|bought|buying|acquire\w*)\s(?:the\s)?$"
BUY_VERB = r"\b(?:buy|purchase)\b[^.]*$"
STAKE_WORDS = r"\binvested\b|\bstake\b"
DEADLINE_PREPS = ("by", "through", "until", "till")   # "by 2030" is a deadline, not a period
FUTURE = r"\bwill\b|\bwould\b|pledge|commit|in the future|to follow"
PLAN_WORDS = r"\b(?:plan|plans|planned|programme|pledged?)\b"
ACTUAL_WORDS = r"\b(?:spent|came to|totall?ed|reached|was|were)\b"

# A guidance figure the sentence itself says was replaced: not the current figure.
SUPERSEDED_BEFORE = (r"\b(?:previous|prior|earlier|original|old)\s(?:guidance|forecast|outlook|estimate|target|plan)"
                     r"(?:\sof|\swas)?\s(?:about\s|roughly\s|around\s)?$")
