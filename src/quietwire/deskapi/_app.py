"""The desk API application: JSON over HTTP under /api/v1, every route behind a token.

Served on its own listener (see `quietwire.server`), so it can sit behind its own
authenticated onion service, apart from the source app. The token is checked before a
request body is read (`auth.DeskGate`, which also guards the OpenAPI spec); then each
route caps its body: `NO_BODY_BYTES` unless the route says otherwise (`max_body_size`).
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from quietwire.crypto import age_file_problem
from quietwire.deskapi import _deletion as deletion
from quietwire.deskapi import _service as service
from quietwire.deskapi._schemas import (
    AckManyIn,
    AckManyOut,
    AckOut,
    DeletionOut,
    EditorOut,
    EnvelopeBatchIn,
    EnvelopeBatchOut,
    EnvelopeDataOut,
    EnvelopeOut,
    Problem,
    ReplyOut,
    SourceOut,
    SubmissionOut,
    SubmissionPage,
)
from quietwire.deskapi.auth import DeskGate, Throttle, require_editor
from quietwire.instance import Instance
from quietwire.store import BlobIntegrityError, Editor
from quietwire.web import SecurityHeaders

MAX_REPLY_BYTES = 1024 * 1024
CHUNK = 1024 * 1024
MAX_BATCH_BYTES = 8 * 1024 * 1024
# Request bodies: routes without one get a few bytes of slack; 500 ids in JSON are ~19 KB.
NO_BODY_BYTES = 4 * 1024
MAX_ID_LIST_BYTES = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")

HexId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
SourceId = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]
CurrentEditor = Annotated[Editor, Depends(require_editor)]

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "No valid editor token."},
    413: {"model": Problem, "description": "Request body over this route's limit."},
    429: {"model": Problem, "description": "Too many failed attempts for this editor."},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "Not found."}}

# The router's cap is the default of its routes (a route's own max_body_size wins). Not
# the app's: Starlette's app-wide limiter would answer 413 in place of the gate's 401.
router = APIRouter(prefix="/api/v1", responses=_ERRORS, max_body_size=NO_BODY_BYTES)


def _instance(request: Request) -> Instance:
    inst: Instance = request.app.state.instance
    return inst


@router.get("/me", response_model=EditorOut)
def me(editor: CurrentEditor) -> EditorOut:
    """The editor the token belongs to (a cheap way to check a token)."""
    return EditorOut(name=editor.name)


@router.get("/submissions", response_model=SubmissionPage)
def list_submissions(
    request: Request,
    editor: CurrentEditor,
    after: Annotated[str, Query(pattern=r"^\d{1,18}$")] = "0",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> SubmissionPage:
    """Submissions waiting for this editor after `after`, oldest first, with their envelopes."""
    inst = _instance(request)
    service.purge_expired(inst)
    items = service.pending(inst, editor.id, int(after), limit)
    return SubmissionPage(
        submissions=[
            SubmissionOut(
                cursor=p.cursor,
                id=p.id,
                source=p.source,
                created=p.created,
                size=p.size,
                envelopes=[
                    EnvelopeOut(id=e.id, kind=e.kind, position=e.position, size=e.size)
                    for e in p.envelopes
                ],
            )
            for p in items
        ],
        next=items[-1].cursor if len(items) == limit else None,
    )


def _parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end inclusive) for a single `bytes=` range, None for the whole file."""
    if header is None:
        return None
    m = _RANGE.fullmatch(header.strip())
    if m is None or (not m.group(1) and not m.group(2)):
        raise HTTPException(
            status_code=416,
            detail="only one bytes=START-END range is supported",
            headers={"Content-Range": f"bytes */{size}"},
        )
    if m.group(1):
        start = int(m.group(1))
        end = int(m.group(2)) if m.group(2) else size - 1
    else:
        start, end = max(size - int(m.group(2)), 0), size - 1
    end = min(end, size - 1)
    if start >= size or start > end:
        raise HTTPException(
            status_code=416,
            detail="range not satisfiable",
            headers={"Content-Range": f"bytes */{size}"},
        )
    return start, end


def _stream(instance: Instance, key: str, start: int, length: int) -> Iterator[bytes]:
    # The blob is opened on the first iteration, so a response dropped before it starts
    # leaves no open file behind; `finally` closes it when the generator is closed.
    with instance.blobs.open(key) as fh:
        if start:
            if fh.seekable():
                fh.seek(start)
            else:
                skip = start
                while skip:
                    got = fh.read(min(CHUNK, skip))
                    if not got:
                        return
                    skip -= len(got)
        left = length
        while left:
            chunk = fh.read(min(CHUNK, left))
            if not chunk:
                return  # the blob shrank under us: the client sees a short body and retries
            left -= len(chunk)
            yield chunk


@router.get(
    "/envelopes/{envelope_id}",
    response_class=StreamingResponse,
    responses={
        **_NOT_FOUND,
        200: {"content": {"application/octet-stream": {}}, "description": "The age file."},
        206: {"content": {"application/octet-stream": {}}, "description": "Part of it."},
        416: {"model": Problem, "description": "Range not satisfiable."},
    },
)
def download_envelope(
    request: Request, editor: CurrentEditor, envelope_id: HexId
) -> StreamingResponse:
    """One envelope (an age file) as stored, streamed. Supports a single `Range: bytes=`."""
    inst = _instance(request)
    found = service.envelope_for(inst, editor.id, envelope_id)
    if found is None:
        raise HTTPException(status_code=404, detail="no such envelope for this editor")
    key, size = found
    rng = _parse_range(request.headers.get("range"), size)
    start, end = rng if rng is not None else (0, size - 1)
    length = max(end - start + 1, 0)
    try:
        inst.blobs.size(key)
    except BlobIntegrityError:
        raise HTTPException(status_code=404, detail="the envelope is gone") from None
    headers = {"Content-Length": str(length), "Accept-Ranges": "bytes"}
    if rng is not None:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return StreamingResponse(
        _stream(inst, key, start, length),
        status_code=206 if rng is not None else 200,
        media_type="application/octet-stream",
        headers=headers,
    )


@router.post(
    "/envelopes/batch",
    response_model=EnvelopeBatchOut,
    responses={413: {"model": Problem, "description": "Together larger than the batch limit."}},
    max_body_size=MAX_ID_LIST_BYTES,
)
def download_envelopes(
    request: Request, editor: CurrentEditor, body: EnvelopeBatchIn
) -> EnvelopeBatchOut:
    """Several small envelopes in one answer (what `desk pull` uses for small submissions):
    one request instead of one per envelope. Together at most 8 MiB; larger ones one by one."""
    inst = _instance(request)
    found = service.envelopes_for(inst, editor.id, body.envelopes)
    if sum(size for _, size in found.values()) > MAX_BATCH_BYTES:
        raise HTTPException(status_code=413, detail="too large for one batch: ask for fewer")
    out: list[EnvelopeDataOut] = []
    missing: list[str] = []
    for env_id in dict.fromkeys(body.envelopes):
        if env_id not in found:
            missing.append(env_id)
            continue
        key, size = found[env_id]
        try:
            with inst.blobs.open(key) as fh:
                data = fh.read(size + 1)  # one byte more shows the client a wrong size
        except BlobIntegrityError:
            missing.append(env_id)
            continue
        out.append(EnvelopeDataOut(id=env_id, data=base64.b64encode(data).decode("ascii")))
    return EnvelopeBatchOut(envelopes=out, missing=missing)


@router.post("/submissions/{submission_id}/ack", response_model=AckOut, responses=_NOT_FOUND)
def acknowledge(request: Request, editor: CurrentEditor, submission_id: HexId) -> AckOut:
    """Say this editor has the submission. Deleted once every editor it went to has it."""
    result = service.acknowledge(_instance(request), editor.id, submission_id)
    if result is None:
        raise HTTPException(status_code=404, detail="no such submission for this editor")
    return AckOut(deleted=result)


@router.post("/acks", response_model=AckManyOut, max_body_size=MAX_ID_LIST_BYTES)
def acknowledge_many(request: Request, editor: CurrentEditor, body: AckManyIn) -> AckManyOut:
    """Acknowledge up to 500 submissions at once (what `desk pull` uses)."""
    result = service.acknowledge_many(_instance(request), editor.id, body.submissions)
    return AckManyOut(
        acknowledged=list(result),
        deleted=[i for i, gone in result.items() if gone],
        unknown=[i for i in dict.fromkeys(body.submissions) if i not in result],
    )


@router.get("/sources", response_model=list[SourceOut])
def list_sources(request: Request, editor: CurrentEditor) -> list[SourceOut]:
    """Every source: opaque id and reply recipient."""
    return [
        SourceOut(id=s.id, reply_recipient=s.reply_recipient, created=s.created)
        for s in service.list_sources(_instance(request))
    ]


@router.delete(
    "/sources/{source_id}",
    status_code=204,
    responses={
        **_NOT_FOUND,
        202: {"model": DeletionOut, "description": "Held until the other editors have it."},
    },
)
def delete_source(request: Request, editor: CurrentEditor, source_id: SourceId) -> Response:
    """Delete a source with everything it sent and every reply: rows and blobs (204).

    If another active editor has not fetched all of it yet, this editor's copies are
    withdrawn and the rest is deleted once every such editor has it or asks too (202):
    one token alone cannot empty the others' inboxes."""
    outcome = deletion.request_deletion(_instance(request), source_id, editor.id)
    if outcome is None:
        raise HTTPException(status_code=404, detail="no such source")
    if outcome.deleted:
        return Response(status_code=204)
    body = DeletionOut(deleted=False, waiting_for=outcome.waiting)
    return Response(body.model_dump_json(), status_code=202, media_type="application/json")


@router.post(
    "/sources/{source_id}/replies",
    status_code=201,
    response_model=ReplyOut,
    responses={
        **_NOT_FOUND,
        413: {"model": Problem, "description": "Reply too large."},
        422: {"model": Problem, "description": "Not an age file."},
    },
    max_body_size=MAX_REPLY_BYTES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
async def upload_reply(request: Request, editor: CurrentEditor, source_id: SourceId) -> ReplyOut:
    """Store a reply: an age file encrypted on the desk to the source's reply recipient."""
    body = await request.body()  # at most MAX_REPLY_BYTES: the route's max_body_size
    problem = age_file_problem(bytes(body))
    if problem is not None:
        raise HTTPException(status_code=422, detail=f"a reply must be an age file; {problem}")

    inst = _instance(request)
    reply_id = await anyio.to_thread.run_sync(
        service.store_reply, inst, source_id, io.BytesIO(bytes(body)), MAX_REPLY_BYTES
    )
    if reply_id is None:
        raise HTTPException(status_code=404, detail="no such source")
    return ReplyOut(id=reply_id)


def create_app(instance: Instance) -> FastAPI:
    """The desk API for `instance`, with the publishing routes, ready for uvicorn."""
    from quietwire.deskapi import publishing

    app = FastAPI(
        title="QuietWire desk API",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",  # behind the token, like every path here
    )
    app.state.instance = instance
    app.include_router(router)
    app.include_router(publishing.router)
    # Added last, so outermost: the headers are on the gate's 401 and 429 too.
    app.add_middleware(DeskGate, instance=instance, throttle=Throttle())
    app.add_middleware(SecurityHeaders)
    return app
