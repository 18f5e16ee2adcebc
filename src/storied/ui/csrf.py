"""CSRF protection for the browser's forms: a token bound to the caller, signed by the app.

Every form that writes carries ``csrf``, an HMAC of the caller's actor and tenant under a
secret only the server knows. Another site can make the browser post a form, but it cannot
read the page, so it cannot know the token; a missing or wrong one is refused (403) before
anything is read or written.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from storied.api import Principal


class Csrf:
    def __init__(self, secret: bytes | str | None = None) -> None:
        if isinstance(secret, str):
            secret = secret.encode()
        # a secret per process unless the app gives one (several workers must share it)
        self._secret = secret or secrets.token_bytes(32)

    def token(self, caller: Principal) -> str:
        subject = f"{caller.actor}\x00{caller.tenant_id}\x00{caller.tenant_ids}"
        return hmac.new(self._secret, subject.encode(), hashlib.sha256).hexdigest()

    def valid(self, caller: Principal, token: str | None) -> bool:
        return token is not None and hmac.compare_digest(self.token(caller), token)
