"""Schemathesis against the desk API's own OpenAPI spec, with a valid token, on a real socket:
no 5xx, and every response matches the spec. Bounded: a few examples per operation."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import checks
from tests.unit.desk.deskkit import desk_api, editors_instance, new_source, submit

from quietwire.crypto import encrypt_bytes, parse_recipient

# Everything about the responses; not `positive_data_acceptance`, since a schema-valid body
# for a reply (any bytes) is still refused when it is not an age file, by design.
CONFORMANCE = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


def test_desk_api_conforms_to_its_openapi_spec(tmp_path: Path, database_url: str) -> None:
    with (
        editors_instance(tmp_path, database_url, ["alice"]) as editors,
        desk_api(editors.instance) as url,
    ):
        inst = editors.instance
        source = new_source(inst)
        submit(inst, source, "fuzz me", [("f.txt", "text/plain", b"abc")])
        token = editors["alice"].token
        # The spec is behind the token like every desk API path.
        schema = schemathesis.openapi.from_url(
            f"{url}/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"}
        )
        schema.config.update(base_url=url)
        # /publish/* belongs to the publishing routes (their own tests); these are ours.
        schema = schema.include(path_regex="^/api/v1/")
        operations = [op.ok() for op in schema.get_all_operations()]
        assert {f"{o.method.upper()} {o.path}" for o in operations} >= {
            "GET /api/v1/submissions",
            "GET /api/v1/envelopes/{envelope_id}",
            "POST /api/v1/submissions/{submission_id}/ack",
            "GET /api/v1/sources",
            "DELETE /api/v1/sources/{source_id}",
            "POST /api/v1/sources/{source_id}/replies",
        }
        checked = 0
        for op in operations:

            @settings(
                max_examples=25,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=op.as_strategy(), data=st.data())
            def run(case: schemathesis.Case, data: st.DataObject) -> None:
                nonlocal checked
                response = case.call(headers={"Authorization": f"Bearer {token}"})
                assert response.status_code < 500, (case.method, case.path, response.text)
                case.validate_response(response, checks=CONFORMANCE)
                checked += 1

            run()
        assert checked >= len(operations)
        # The valid-body path of replies is exercised too: an age file is accepted.
        sealed = encrypt_bytes(b"hi", [parse_recipient(source.reply_recipient)])
        import httpx

        r = httpx.post(
            f"{url}/api/v1/sources/{source.source_id}/replies",
            content=sealed,
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code in (201, 404)  # 404 if a fuzzed DELETE removed the source
