"""The transition table of routes/workflow/table.py: docs/spec/workflow.md holds exactly its output, and every
part of the code that reads it finds what it needs (a service, a form, a reviewer rule, a capability)."""

import inspect
import io
import re
import string
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from routes.models import Route
from routes.selectors import CREDIT, REVIEW, STEP_KIND
from routes.workflow import forms, services, table
from schools.access import CAPABILITIES
from tests.routes.factories import RouteFactory

SPEC = Path(settings.BASE_DIR) / "docs" / "spec" / "workflow.md"
RULES = [pytest.param(rule, id=rule.action) for rule in table.TRANSITIONS]


def spec_table() -> str:
    found = re.search(r"<!-- workflow_table: begin -->\n(.*?)<!-- workflow_table: end -->", SPEC.read_text(), re.S)
    assert found, "docs/spec/workflow.md has lost the markers of the generated table"
    return found.group(1)


def test_the_spec_table_is_the_output_of_the_workflow_table_command():
    out = io.StringIO()
    call_command("workflow_table", stdout=out)
    assert out.getvalue() == table.markdown_table()
    assert spec_table() == out.getvalue(), "run `python manage.py workflow_table` and paste it into the spec"


def test_every_state_of_the_table_is_a_route_state_and_every_action_appears_once():
    codes = [rule.action for rule in table.TRANSITIONS]
    assert len(codes) == len(set(codes)) == len(table.ACTIONS)
    for rule in table.TRANSITIONS:
        assert set(rule.sources) <= set(Route.Status.values) and rule.target not in rule.sources
        assert {rule.target, rule.target_without_credit, rule.target_after_end} - {""} <= set(Route.Status.values)


@pytest.mark.parametrize("rule", RULES)
def test_the_service_of_an_action_takes_its_inputs(rule):
    service = getattr(services, f"route_{rule.action}")
    parameters = inspect.signature(service).parameters
    assert all(p.kind == p.KEYWORD_ONLY for p in parameters.values())
    # the system's step has no actor; it takes the moment it runs at instead
    who = {"route", "now"} if rule.who == table.SYSTEM else {"actor", "route"}
    assert set(parameters) == who | {i.name for i in rule.inputs}


USER_RULES = [param for param in RULES if param.values[0].who != table.SYSTEM]


@pytest.mark.django_db
@pytest.mark.parametrize("rule", USER_RULES)
def test_the_form_of_an_action_gives_its_inputs(rule):
    form_class = forms.ACTION_FORMS[rule.action]
    extra = {"route": RouteFactory()} if form_class in forms.ROUTE_FORMS else {}
    fields = set(form_class(**extra).fields)
    # ExpressReviewForm.clean gives the scores, ResultsForm.clean the reasons of the activities not done and the
    # final diagnostics' answers, AcceptResultsForm.clean the reviewer's final scores
    assert {i.name for i in rule.inputs} - {"scores", "not_done_reasons", "reassessment", "final_scores"} <= fields
    assert set(forms.ACTION_FORMS) == {rule.action for rule in table.TRANSITIONS if rule.who != table.SYSTEM}


@pytest.mark.parametrize("rule", RULES)
def test_whose_a_step_is_is_known_to_the_reviewer_rule_or_the_access_layer(rule):
    if rule.who in (REVIEW, CREDIT):
        assert STEP_KIND[rule.action] == rule.who
    elif rule.who not in (table.OWNER, table.SYSTEM):
        assert rule.capability in CAPABILITIES
    assert services.ALLOWED_FROM[rule.action] == list(rule.sources)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("rule", RULES)
def test_the_words_of_a_transition_use_only_the_names_they_are_given(rule):
    assert placeholders(rule.help) <= {"who", "to_whom"}
    assert placeholders(rule.not_yours) <= {"who"}
    for notice in rule.notices:
        assert placeholders(notice.text) <= {"comment", "outcome", "ends_on"}
        assert set(notice.to) <= {table.TEACHER, REVIEW, CREDIT}
        assert notice.when in ("", rule.target, rule.target_without_credit)
    if "{comment}" in "".join(n.text for n in rule.notices):
        assert rule.logged_input, "a notice quotes the comment of a transition that logs none"
