from tests.unit.forum.conftest import (  # noqa: F401
    commissioner,
    forum,
    forum_factory,
    meeting_details,
    member,
    need_details,
    provider,
    thread,
)
