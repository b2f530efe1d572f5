"""Coded errors. Every failure the user can cause has a code and a one-line message."""

from __future__ import annotations


class KhaldunError(Exception):
    """An error with a stable code (``E101``) and a one-line message for the user."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


# Catalogue of codes: the message templates live here, not scattered in the code.
MESSAGES: dict[str, str] = {
    "E101": "{origin}: cannot read: {reason}",
    "E102": "{origin}: empty input",
    "E103": "{origin}: binary file, not text, HTML or JSON Lines",
    "E104": "{origin}: invalid JSON: {reason}",
    "E105": "{origin}: invalid record: {reason}",
    "E106": "{origin}: missing publication date (give --date YYYY-MM-DD or a publication_date field)",
    "E107": "{origin}: malformed date {value!r} (expected YYYY-MM-DD)",
    "E108": "{origin}: no such file or directory",
    "E109": "{origin}: no report text after HTML extraction",
    "E110": "{origin}: report too large: {size} (the limit is {limit} characters; KHALDUN_MAX_CHARS sets it)",
    "E111": "{origin}: a .json file must hold one report object or an array of them, not {found}",
    "E112": "{origin}: implausible publication date {value} (before {earliest} or after today, {today})",
    "E113": "{origin}: duplicate report id {report_id!r} (an earlier report of this run has it); skipped",
    "E114": "{origin}: cannot parse the HTML: {reason}",
    "E115": "{variable}={value!r}: {reason} (give the largest report size in characters)",
    "E201": "{origin}: language {language!r} is not supported yet (supported: {supported})",
    "E202": "{origin}: could not detect the language",
    "E301": "spaCy pipeline for {language!r} is not installed: {package}",
    "E401": "{path}: invalid data file: {reason}",
    "E411": "{origin}: invalid corpus line: {reason}",
    "E412": "{path}: cannot load the event classifier: {reason} (rebuild it with 'khaldun train')",
    "E413": "{origin}: corpus too small to train: {reason}",
    "E501": "{origin}: extraction failed: {reason}",
    "E701": "{url}: cannot open the database: {reason}",
    "E702": "{url}: unsupported database URL (give a SQLite file path, sqlite:///FILE or postgresql://...)",
    "E703": "{url}: database migration failed: {reason}",
    "E704": "{url}: the database was made by a newer khaldun (schema revision {revision}); upgrade khaldun",
    "E705": "{origin}: could not store the document: {reason}",
    "E706": "no event {event_id!r} in the database",
    "E707": "no control information for {place!r}",
    "E708": "{value!r} is not a date YYYY-MM-DD",
    "E709": "parquet is binary: give -o FILE (or redirect stdout to a file)",
    "E801": "{address}: cannot use the Dask cluster: {reason}",
    "E802": "{path}: cannot resume: {reason}",
    "E803": "{origin}: no input partitions found (JSON Lines or Parquet files)",
    "E804": "{origin}: the partition's task failed on the cluster: {reason}",
    "E900": "invalid request: {reason}",
    "E901": "wrong user name or password",
    "E902": "this needs the {role} role or higher (you are {current})",
    "E903": "sign in, or give an API token (Authorization: Bearer TOKEN)",
    "E904": "field {field!r} cannot be edited (editable: {editable})",
    "E905": "{field}: invalid value {value!r}: {reason}",
    "E906": "change {change_id} cannot be reverted: {reason}",
    "E907": "upload too large: more than {limit} bytes",
    "E908": "no upload job {job_id!r}",
    "E909": "user {username!r} already exists",
    "E910": "role {role!r} is not one of {roles}",
    "E911": "password too short: at least {minimum} characters",
    "E912": "missing or wrong CSRF token: reload the page and try again",
    "E913": "event {event_id!r} has no report {document_id!r} #{position}",
    "E914": "cannot {action}: {reason}",
    "E915": "nothing to upload: give a file or paste a report's text",
    "E916": "invalid user name {username!r}: 1 to 64 letters, digits, '.', '_' or '-'",
    "E917": "no change {change_id} in the review history",
    "E918": "a reason is required for {action}",
    "E919": "no page or endpoint {path!r}",
    "E920": "method {method} is not allowed on {path!r}",
    "E921": "too many failed sign-ins: try again in {seconds} s",
    "E922": "upload too large once decompressed: more than {limit} bytes",
    "E923": "no API token {token_id!r} (give an id from 'khaldun user token list')",
    "E924": "no user {username!r}",
    "E925": "{origin}: unusable session key: {reason}",
}


def error(code: str, **fields: object) -> KhaldunError:
    """Build the coded error ``code`` with its catalogued message."""
    return KhaldunError(code, MESSAGES[code].format(**fields))
