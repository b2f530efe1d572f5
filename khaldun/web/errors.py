"""HTTP status of each coded error, so the API and the pages answer the same thing."""

from __future__ import annotations

from khaldun.errors import KhaldunError

STATUS: dict[str, int] = {
    "E706": 404, "E707": 404, "E908": 404, "E913": 404, "E917": 404,
    "E901": 401, "E903": 401,
    "E902": 403, "E912": 403,
    "E906": 409, "E909": 409,
    "E907": 413, "E922": 413,
    "E921": 429,
    "E923": 404, "E924": 404,
    "E919": 404,
    "E920": 405,
}


def status_of(exc: KhaldunError) -> int:
    """401/403/404/409/413/429 for the codes above, 422 for any other bad input."""
    return STATUS.get(exc.code, 422)


def error_body(exc: KhaldunError) -> dict[str, dict[str, str]]:
    return {"error": {"code": exc.code, "message": exc.message}}


def headers_of(exc: KhaldunError) -> dict[str, str]:
    """``Retry-After`` for a sign-in lockout (E921), nothing otherwise."""
    seconds = getattr(exc, "retry_after", None)
    return {"Retry-After": str(seconds)} if isinstance(seconds, int) else {}
