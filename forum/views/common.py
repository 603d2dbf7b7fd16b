"""What the forum's pages share: the signed-in person as the services take them, an uploaded file, and the
child-data confirmation box."""
from __future__ import annotations

from typing import Any

from flask_login import current_user

from forum.attachments import Upload


def current_actor() -> Any:
    return current_user._get_current_object()


def uploaded(field: Any) -> Upload | None:
    storage = field.data
    if storage is None or not getattr(storage, "filename", ""):
        return None
    return Upload(filename=storage.filename, data=storage.read())


def confirmed(form: Any) -> bool:
    return bool(form.confirm_no_child_data.data)
