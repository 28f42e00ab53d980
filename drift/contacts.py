"""Contact reads, mixed into DriftClient: one contact by id, and every contact with an email."""

from __future__ import annotations

from typing import Any

from drift.models import Contact, unwrap

CONTACT_READ = "contact_read"


class ContactReads:
    """`GET /contacts/{id}` and `GET /contacts?email=`; the client supplies `_get`.

    Without the `contact_read` scope Drift answers 403, raised as `DriftAuthError` whose
    `scope` is "contact_read" (401 from the contacts API maps to the same error)."""

    def _get(
        self,
        path: str,
        *,
        scope: str | None,
        params: dict[str, str] | None = None,
        timeout: float | tuple[float, float] | None = None,
    ) -> Any:
        raise NotImplementedError

    def get_contact(self, contact_id: int) -> Contact:
        """One contact (GET /contacts/{id})."""
        body = self._get(f"/contacts/{int(contact_id)}", scope=CONTACT_READ)
        return Contact.from_api(unwrap(body))

    def find_contacts(
        self, email: str, *, timeout: float | tuple[float, float] | None = None
    ) -> list[Contact]:
        """Every contact with this email (GET /contacts?email=), oldest first as Drift lists
        them. Emails are not unique in Drift, so it is a list; the documented example shows
        `data` as one object, which is read as a list of one."""
        body = self._get("/contacts", scope=CONTACT_READ, params={"email": email}, timeout=timeout)
        data = body.get("data") if isinstance(body, dict) else None
        entries = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
        contacts = []
        for entry in entries:
            if isinstance(entry, dict) and entry.get("id") is not None:
                contacts.append(Contact.from_api(entry))
        return contacts
