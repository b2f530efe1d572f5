"""The key signing session cookies: kept outside the database, so reading the data forges nothing.

Where it comes from, in order:

1. ``$KHALDUN_SECRET_KEY`` (at least 32 characters): for several servers on different
   machines sharing one database, or a secret manager;
2. the file ``$KHALDUN_SECRET_FILE``, else ``session.key`` in the user data directory,
   created on first use with owner-only permissions (0600). Processes on one machine
   share it. A key file that other users can read is refused (E925), as ssh does.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

import platformdirs

from khaldun.errors import error

KEY_ENV = "KHALDUN_SECRET_KEY"
KEY_FILE_ENV = "KHALDUN_SECRET_FILE"
MIN_KEY = 32


def key_path() -> Path:
    """Where the key file is: ``$KHALDUN_SECRET_FILE`` or ``session.key`` in the user data directory."""
    configured = os.environ.get(KEY_FILE_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir("khaldun", appauthor=False)) / "session.key"


def session_key() -> str:
    """The signing key from the environment or the key file (made on first use); E925 if unusable."""
    given = os.environ.get(KEY_ENV)
    if given is not None:
        if len(given.strip()) < MIN_KEY:
            raise error("E925", origin=KEY_ENV, reason=f"shorter than {MIN_KEY} characters")
        return given.strip()
    return _key_file(key_path())


def _key_file(path: Path) -> str:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as out:
                out.write(secrets.token_urlsafe(48) + "\n")
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise error("E925", origin=str(path), reason=f"readable by other users (mode {stat.S_IMODE(mode):o}): "
                                                         "chmod 600 it")
        key = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise error("E925", origin=str(path), reason=exc.strerror or str(exc)) from None
    if len(key) < MIN_KEY:
        raise error("E925", origin=str(path), reason=f"shorter than {MIN_KEY} characters")
    return key
