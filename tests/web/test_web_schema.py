"""Property tests against the published OpenAPI spec (schemathesis): no input makes the server fail.

Each operation of ``/openapi.json`` gets a bounded number of generated requests, valid
(positive) and invalid (negative), sent with an admin token (so they reach the handlers
rather than stop at authentication) to the app in-process over ASGI. Every answer must be
a non-5xx response that matches the spec: a declared status and content type, and a body
that validates against the declared schema.

The operations are driven from inside one test (rather than ``schemathesis.pytest``'s
fixture integration) so the app can come from the same seeded-store fixture as the
other web tests.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                 status_code_conformance)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 30  # per operation and generation mode: about a thousand requests, well under a minute


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_no_generated_request_makes_the_server_fail(bench, mode):
    schema = schemathesis.openapi.from_asgi("/openapi.json", bench.client.app)
    headers = bench.headers("admin")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 17
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def check(case) -> None:  # noqa: ANN001
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE, operation.label  # nothing invalid to send, e.g. GET /api/me
