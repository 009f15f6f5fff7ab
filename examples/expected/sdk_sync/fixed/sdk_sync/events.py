"""Incremental updates through the SDK's EventsApi."""

import clever

from .config import api_client


def poll(token, store, starting_after=None):
    events = clever.EventsApi(api_client(token))
    page = events.get_events(starting_after=starting_after, record_type=["students", "teachers"])
    for response in page.data:
        event = response.data
        if event.type == "students.created":
            store.add_student(event.data.object.id)
        elif event.type == "teachers.deleted":
            store.remove_teacher(event.data.object.id)
        starting_after = event.id
    return starting_after
