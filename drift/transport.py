"""The Drift HTTP transport: a cookie-less Session; a failed TLS handshake is a connect error.

urllib3 reports a TLS handshake failure as `SSLError`, the same error as a TLS failure after the
request went out, and retries it as an "other" error. But a handshake that failed carried no
request, so `DriftHTTPSConnection` raises `TLSHandshakeError`, a `NewConnectionError`: urllib3
then retries it like a refused connection (for POST too) and `error_from_exception` tells the
rep that nothing was sent. This applies to direct connections; behind a proxy, urllib3's own
classes are used unchanged.
"""

from __future__ import annotations

import http.cookiejar
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPSConnectionPool
from urllib3.exceptions import HTTPError, NewConnectionError, SSLError
from urllib3.util.retry import Retry
from urllib3.util.ssl_match_hostname import CertificateError

POOL_MAXSIZE = 32


class TLSHandshakeError(NewConnectionError, SSLError):
    """The TLS handshake failed (certificate, protocol, reset or timeout): nothing was sent."""


class DriftHTTPSConnection(HTTPSConnection):
    """urllib3's HTTPS connection, raising `TLSHandshakeError` when the handshake fails."""

    def connect(self) -> None:
        try:
            super().connect()
        except HTTPError as exc:
            if not isinstance(exc, SSLError):
                raise  # refused, DNS and connect timeouts are already connect errors
            raise TLSHandshakeError(self, f"TLS handshake failed: {exc}") from exc
        except (OSError, CertificateError) as exc:
            # The TCP connect converts its own OSErrors; one escaping here is from the handshake.
            raise TLSHandshakeError(self, f"TLS handshake failed: {exc!r}") from exc


class DriftHTTPSConnectionPool(HTTPSConnectionPool):
    """An HTTPS pool of `DriftHTTPSConnection`s."""

    ConnectionCls = DriftHTTPSConnection


class DriftAdapter(HTTPAdapter):
    """requests' adapter whose direct HTTPS pools use `DriftHTTPSConnection`."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        pools = self.poolmanager.pool_classes_by_scheme
        self.poolmanager.pool_classes_by_scheme = {**pools, "https": DriftHTTPSConnectionPool}


class _NoNetrcAuth(AuthBase):
    """Leaves the request alone; its presence stops requests from reading ~/.netrc."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


def new_session(retry: Retry) -> requests.Session:
    """A Session that keeps no cookies, with `DriftAdapter` (and `retry`) on both schemes."""
    session = requests.Session()
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    adapter = DriftAdapter(max_retries=retry, pool_maxsize=POOL_MAXSIZE)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def authorise(session: requests.Session, access_token: str, user_agent: str) -> None:
    """Send the bearer token and JSON headers on every call, and never ~/.netrc credentials."""
    session.headers.update(
        {
            "Authorization": f"Bearer {access_token}",
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": user_agent,
        }
    )
    session.auth = _NoNetrcAuth()
