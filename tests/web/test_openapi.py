"""schemathesis against the OpenAPI spec: no 5xx, and every answer as the spec says; on the
test network for every endpoint, and on the built-in dataset for the analyses."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from amur.web import create_app

from .corridor_network import write_corridor_network

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ANALYSES = r"^/api/(compare|impact|appraise|regions|projects|scenarios/builtin)$"
#: Flows take up to a few seconds per assignment: few examples.
FLOWS = r"^/api/flows$"

_WORK = Path(tempfile.mkdtemp(prefix="amur-schemathesis-"))
_APP = create_app(
    network=str(write_corridor_network(_WORK / "corridors")), store=_WORK / "amur.sqlite"
)
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)
# The analyses on the dataset that has scenarios, regions and projects, so that generated
# requests reach the computations and not only the 404 of an unknown name.
_BUILTIN = create_app(network="northeast-asia", store=_WORK / "builtin.sqlite")
builtin_schema = schemathesis.openapi.from_asgi("/openapi.json", _BUILTIN).include(
    path_regex=ANALYSES
)
flows_schema = schemathesis.openapi.from_asgi("/openapi.json", _BUILTIN).include(path_regex=FLOWS)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_spec(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)


@pytest.fixture(scope="module")
def appraisals_assigned() -> None:
    """Assign the built-in projects' appraisals once, before the requests: by commodity an
    appraisal's assignment takes longer than the 10 s a request may (the server keeps it per
    network, `amur.impact.traffic`), and this test is about the answers' shape."""
    from amur.impact import appraise, builtin_projects

    network = _BUILTIN.state.amur.network
    for project in builtin_projects():
        appraise(project, network=network, traffic="auto")


@pytest.mark.slow
@builtin_schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_analyses_on_the_builtin_network_conform_to_the_spec(
    case: schemathesis.Case, appraisals_assigned: None
) -> None:
    case.call_and_validate(checks=CHECKS)


@pytest.mark.slow
@flows_schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_flows_on_the_builtin_network_conform_to_the_spec(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
