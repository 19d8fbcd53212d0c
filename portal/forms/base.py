"""The base of every form: text typed into any field is cleaned of control characters, and a one-line field
refuses line breaks with a message, so what is stored can be written safely into any page, feed, file or email."""

from flask_wtf import FlaskForm
from wtforms import Form, PasswordField, StringField, TextAreaField
from wtforms.validators import InputRequired, StopValidation, ValidationError

from portal.markdown_render import MAX_NESTING, nesting_depth
from portal.security.text import clean_text, has_line_break


def _clean(value):
    return clean_text(value) if isinstance(value, str) else value


def _one_line(form, field):
    if isinstance(field.data, str) and has_line_break(field.data):
        raise ValidationError(f"{_name(field)} must be on one line")


def _shallow(form, field):
    if isinstance(field.data, str) and nesting_depth(field.data) > MAX_NESTING:
        raise ValidationError(f"{_name(field)} has lists or quotes inside each other more than {MAX_NESTING} levels "
                              "deep: use fewer levels")


class _TextRequired(InputRequired):
    """InputRequired looks at what was sent. Text of only spaces or control characters was sent, but is empty once
    cleaned and trimmed, and would be stored as a blank title or name (a feed cannot even be written with one)."""

    def __call__(self, form, field):
        super().__call__(form, field)
        if isinstance(field.data, str) and not field.data.strip():
            field.errors[:] = []
            raise StopValidation(self.message or field.gettext("This field is required."))


def _required_once_cleaned(validator):
    return _TextRequired(validator.message) if type(validator) is InputRequired else validator


def _name(field) -> str:
    return field.label.text.removesuffix(" (optional)")


def _harden(field):
    if isinstance(field, StringField) and not isinstance(field, PasswordField):
        field.filters = (_clean, *field.filters)
        check = _shallow if isinstance(field, TextAreaField) else _one_line
        field.validators = [check, *map(_required_once_cleaned, field.validators)]
    return field


class _CleanTextMeta:
    def bind_field(self, form, unbound_field, options):
        return _harden(super().bind_field(form, unbound_field, options))


def problems(fields) -> list[tuple[str, str]]:
    """(id to link to, message) for an error summary: each field's first error, in the order of `fields`. A list of
    rows whose own errors are sentences (it words its rows' problems itself) links them to the list; otherwise each
    row's fields are linked to one by one, like "#lots-0-title"."""
    found = []
    for field in fields:
        if field.type == "CSRFTokenField":
            continue
        if field.type == "FieldList":
            own = [message for message in field.errors if isinstance(message, str)]
            found += [(field.id, message) for message in own]
            if not own:
                for row in field:
                    found += problems(row if row.type == "FormField" else [row])
        else:
            found += [(field.id, message) for message in field.errors[:1]]
    return found


class PortalForm(FlaskForm):
    """A form posted by a page: CSRF-protected, text cleaned."""

    class Meta(_CleanTextMeta, FlaskForm.Meta):
        pass

    def page_order(self) -> list:
        """The fields in the order the page shows them (the error summary follows it): the order they are declared
        in, unless a form's page puts them otherwise."""
        return list(self)

    def problems(self) -> list[tuple[str, str]]:
        """(id to link to, message) for the error summary, in the order of the page."""
        return problems(self.page_order())


class SubForm(Form):
    """Rows inside a PortalForm (FormField): text cleaned the same way; CSRF is the outer form's."""

    class Meta(_CleanTextMeta, Form.Meta):
        pass
