"""A toy API for tests/test_operations.py: two operations on one view (POST and its PUT alias) and one GET."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from mockserver.operations import operation


class NoteSchema(Schema):
    text = fields.String(required=True)


class PageSchema(Schema):
    size = fields.Integer(load_default=10, validate=validate.Range(min=1, max=5))


@operation("POST", "/notes/<note_id>", "Write a note", response="Note", body=NoteSchema, errors=(422,))
@operation("PUT", "/notes/<note_id>", "Alias of POST", response="Note", body=NoteSchema)
def write_note(note_id: str, body: dict) -> dict:
    """Echo the note."""
    return {"id": note_id, **body}


@operation("GET", "/notes", "List notes", response="Note", query=PageSchema, shape="page")
def list_notes(query: dict) -> dict:
    """Echo the page size."""
    return {"size": query["size"]}
