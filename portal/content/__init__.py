"""Reading the `content/` folder: validation of front matter and an idempotent load into the database."""

from portal.content.loader import ContentError, load_content, read_content

__all__ = ["ContentError", "load_content", "read_content"]
