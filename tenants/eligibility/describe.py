"""Plain-English rendering of eligibility conditions.

Used on a trust's public "who can apply" page and by coordinators checking what a
rule really says, so it uses question and option labels, never keys. It is meant
for validated rule sets but never raises on a broken one: it says so instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from tenants.eligibility.validation import MAX_DEPTH, Question, index_questions, parse_date, show

DATE_WORDS = {"<": "before", "<=": "on or before", ">": "after", ">=": "on or after", "==": "on"}
NUMBER_WORDS = {"<": "less than", "<=": "at most", ">": "more than", ">=": "at least",
                "==": "exactly"}
UNRECOGNISED = "(unrecognised condition)"


def describe(condition, questions, definitions=None) -> str:
    """E.g. 'answered at least 1 of: A specialist referral from a GP, Seeing a consultant
    psychiatrist (to "How have you used mental health services?")'.

    With ``definitions`` (the rule set's), a ``ref`` is spelt out; without, it is named.
    """
    definitions = definitions if isinstance(definitions, Mapping) else {}
    return _Describer(index_questions(questions), definitions).text(condition, ())


def describe_rule_set(questions, rule_set) -> list[dict]:
    """key, reason, applicant_reason and description for each rule, in order."""
    rules = rule_set.get("rules") if isinstance(rule_set, Mapping) else None
    definitions = rule_set.get("definitions") if isinstance(rule_set, Mapping) else None
    return [
        {"key": rule.get("key"), "reason": rule.get("reason"),
         "applicant_reason": rule.get("applicant_reason") or rule.get("reason"),
         "description": describe(rule.get("when"), questions, definitions)}
        for rule in (rules if isinstance(rules, list) else ())
        if isinstance(rule, Mapping)
    ]


class _Describer:
    def __init__(self, questions: dict[str, Question], definitions: Mapping):
        self.questions, self.definitions = questions, definitions
        self.depth = 0

    def text(self, node, expanding: tuple[str, ...]) -> str:
        # Nesting is bounded so that junk such as a thousand nested "not"s cannot recurse
        # past Python's limit; validated rule sets are far shallower (MAX_DEPTH).
        if self.depth > 2 * MAX_DEPTH or not isinstance(node, Mapping) or not node:
            return UNRECOGNISED
        self.depth += 1
        try:
            return self.node_text(node, expanding)
        finally:
            self.depth -= 1

    def node_text(self, node: Mapping, expanding: tuple[str, ...]) -> str:
        for tag, joiner in (("all", " and "), ("any", " or ")):
            children = node.get(tag)
            if len(node) == 1 and isinstance(children, list) and children:
                if len(children) == 1:
                    return self.text(children[0], expanding)
                return joiner.join(self.nested(child, expanding) for child in children)
        if "not" in node and len(node) == 1:
            return self.negated(node["not"], expanding)
        if "ref" in node and len(node) == 1:
            name = node["ref"]
            if isinstance(name, str) and name in self.definitions and name not in expanding:
                return self.text(self.definitions[name], (*expanding, name))
            return f'meets "{name if isinstance(name, str) else show(name)}"'
        if "answered" in node and len(node) == 1:
            return f"answered {self.question_label(node['answered'])}"
        if "answer" in node:
            return self.answer_test(node) or UNRECOGNISED
        return UNRECOGNISED

    def nested(self, node, expanding: tuple[str, ...]) -> str:
        """Brackets a group inside another group, so "a and (b or c)" keeps its meaning."""
        text = self.text(node, expanding)
        node = self.effective(node, expanding)
        is_group = isinstance(node, Mapping) and any(
            isinstance(node.get(tag), list) and len(node[tag]) > 1 for tag in ("all", "any"))
        return f"({text})" if is_group else text

    def effective(self, node, expanding: tuple[str, ...]):
        """What a condition reads as: refs, one-item groups and double negations read as
        what they contain, so a group behind them still gets its brackets."""
        for _ in range(2 * MAX_DEPTH):
            if not isinstance(node, Mapping) or len(node) != 1:
                return node
            ((tag, value),) = node.items()
            if tag in ("all", "any") and isinstance(value, list) and len(value) == 1:
                node = value[0]
            elif tag == "not" and isinstance(value, Mapping) and set(value) == {"not"}:
                node = value["not"]
            elif (tag == "ref" and isinstance(value, str) and value in self.definitions
                  and value not in expanding):
                node, expanding = self.definitions[value], (*expanding, value)
            else:
                return node
        return node

    def negated(self, inner, expanding: tuple[str, ...]) -> str:
        if isinstance(inner, Mapping) and isinstance(inner.get("is"), bool) and len(inner) == 2:
            # not(is yes) judges exactly like (is no), blanks included, and reads better.
            return self.answer_test({**inner, "is": not inner["is"]}) or UNRECOGNISED
        if isinstance(inner, Mapping) and len(inner) == 1 and "answered" in inner:
            return f"did not answer {self.question_label(inner['answered'])}"
        if isinstance(inner, Mapping) and len(inner) == 1 and "not" in inner:
            return self.text(inner["not"], expanding)
        return f"not ({self.text(inner, expanding)})"

    def answer_test(self, node: Mapping) -> str | None:
        key = node.get("answer")
        question = self.questions.get(key) if isinstance(key, str) else None
        if question is None:
            return None
        to = f"to {self.question_label(key)}"
        if "is" in node:
            return f"answered {'yes' if node['is'] is True else 'no'} {to}"
        if "equals" in node:
            return f'answered "{self.option_label(question, node["equals"])}" {to}'
        for test, words in (("in", "one of"), ("includes_any", "at least 1 of"),
                            ("includes_all", "all of")):
            if test in node:
                return f"answered {words}: {self.option_labels(question, node[test])} ({to})"
        if "count_at_least" in node:
            return (f"answered at least {node['count_at_least']} of: "
                    f"{self.option_labels(question, node.get('of'))} ({to})")
        if question.type == "number" and node.get("op") in NUMBER_WORDS:
            return (f"{self.question_label(key)} is {NUMBER_WORDS[node['op']]} "
                    f"{show(node.get('value'))}")
        if isinstance(node.get("op"), str) and node["op"] in DATE_WORDS:
            return (f"{self.question_label(key)} is {DATE_WORDS[node['op']]} "
                    f"{self.date_words(node.get('value'))}")
        return None

    def question_label(self, key) -> str:
        question = self.questions.get(key) if isinstance(key, str) else None
        return f'"{question.label or question.key}"' if question else show(key)

    @staticmethod
    def option_label(question: Question, value) -> str:
        if isinstance(value, str):
            return question.options.get(value) or value
        return show(value)

    def option_labels(self, question: Question, values) -> str:
        values = values if isinstance(values, list) else [values]
        return ", ".join(self.option_label(question, value) for value in values)

    @staticmethod
    def date_words(value) -> str:
        if isinstance(value, Mapping) and "years_before_today" in value:
            years = value["years_before_today"]
            return "today's date" if years == 0 else f"the date {years} years ago"
        day = parse_date(value)
        return f"{day.day} {day:%B %Y}" if day else show(value)
